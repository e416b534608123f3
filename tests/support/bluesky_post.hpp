#pragma once
// Posts on a Bluesky PDS (the fake or a real local one) as a given account, with a mention
// facet, so that the mentioned account gets a mention notification. For watch tests.
#include <doctest/doctest.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cmtool/net/curl_transport.hpp"

namespace cmtool::test {

struct PostedRef {
    std::string uri;
    std::string cid;
};

// createSession as `handle`, then createRecord of an app.bsky.feed.post "@<mention_handle>
// <text>" whose mention facet points at `mention_did`.
inline PostedRef post_mention(const std::string& pds, const std::string& handle,
                              const std::string& password, const std::string& mention_handle,
                              const std::string& mention_did, const std::string& text) {
    net::CurlTransport http;
    net::HttpRequest login;
    login.method = "POST";
    login.url = pds + "/xrpc/com.atproto.server.createSession";
    net::set_json_body(login,
                       nlohmann::json{{"identifier", handle}, {"password", password}}.dump());
    auto session = http.send(login);
    REQUIRE(session.has_value());
    REQUIRE_MESSAGE(session->status == 200, session->body);
    const auto s = nlohmann::json::parse(session->body);
    const std::string full = "@" + mention_handle + " " + text;
    const auto end = static_cast<long>(mention_handle.size() + 1);
    nlohmann::json record = {
        {"$type", "app.bsky.feed.post"},
        {"text", full},
        {"createdAt",
         fmt::format("{:%Y-%m-%dT%H:%M:%S}.000Z",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))},
        {"langs", {"fr"}},
        {"facets",
         {{{"index", {{"byteStart", 0}, {"byteEnd", end}}},
           {"features", {{{"$type", "app.bsky.richtext.facet#mention"}, {"did", mention_did}}}}}}}};
    net::HttpRequest create;
    create.method = "POST";
    create.url = pds + "/xrpc/com.atproto.repo.createRecord";
    create.headers = {{"Authorization", "Bearer " + s["accessJwt"].get<std::string>()}};
    net::set_json_body(
        create,
        nlohmann::json{{"repo", s["did"]}, {"collection", "app.bsky.feed.post"}, {"record", record}}
            .dump());
    auto created = http.send(create);
    REQUIRE(created.has_value());
    REQUIRE_MESSAGE(created->status == 200, created->body);
    const auto c = nlohmann::json::parse(created->body);
    return {c["uri"].get<std::string>(), c["cid"].get<std::string>()};
}

}  // namespace cmtool::test
