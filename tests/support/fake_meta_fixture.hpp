#pragma once
// A running fake_meta (Facebook Page 1001, Instagram user 17841400000000001, Threads user 2002)
// plus a CurlTransport for its admin API, for integration tests. Tokens are obviously fake.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cmtool/net/curl_transport.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

inline constexpr const char* k_meta_token = "fake-meta-user-token";
inline constexpr const char* k_meta_app_secret = "fake-meta-app-secret";
inline constexpr const char* k_meta_page = "1001";
inline constexpr const char* k_meta_ig_user = "17841400000000001";
inline constexpr const char* k_meta_threads_user = "2002";

struct FakeMeta {
    FakeServerProcess server;
    net::CurlTransport admin_api;

    std::string url(const std::string& path = {}) const { return server.base_url() + path; }

    // Calls /__admin/...; requires a 200 and returns the parsed body.
    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nlohmann::json::object()) {
        net::HttpRequest r;
        r.method = method;
        r.url = url(path);
        if (method != "GET") {
            net::set_json_body(r, body.dump());
        }
        auto res = admin_api.send(r);
        REQUIRE(res.has_value());
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return nlohmann::json::parse(res->body);
    }

    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }

    // The fake's posts of one network ("facebook", "instagram", "threads"), oldest first.
    nlohmann::json posts(const std::string& network) {
        nlohmann::json out = nlohmann::json::array();
        const nlohmann::json state = admin("GET", "/__admin/posts");  // kept alive for the loop
        for (const auto& p : state["posts"]) {
            if (p["network"] == network) {
                out.push_back(p);
            }
        }
        return out;
    }
    nlohmann::json containers() { return admin("GET", "/__admin/posts")["containers"]; }
    long requests() { return admin("GET", "/__admin/stats")["requests"].get<long>(); }
};

// Starts fake_meta (path from CMTOOL_FAKE_META) accepting k_meta_token plus `extra` flags.
inline FakeMeta start_fake_meta(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--token", k_meta_token, "--max-lifetime", "300"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = FakeServerProcess::start(CMTOOL_FAKE_META, args);
    REQUIRE_MESSAGE(server.has_value(), (server ? std::string() : server.error().message));
    return FakeMeta{std::move(*server), net::CurlTransport{}};
}

}  // namespace cmtool::test
