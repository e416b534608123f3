#pragma once
// Posts on a Bluesky PDS (the fake or a real local one) as a given account, with a mention
// facet, so that the mentioned account gets a mention notification. For watch tests.
#include <doctest/doctest.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "live_bluesky.hpp"

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
    XrpcClient as(pds, handle, password);
    const std::string full = "@" + mention_handle + " " + text;
    const auto end = static_cast<long>(mention_handle.size() + 1);
    const nlohmann::json record = {
        {"text", full},
        {"createdAt",
         fmt::format("{:%Y-%m-%dT%H:%M:%S}.000Z",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))},
        {"langs", {"fr"}},
        {"facets",
         {{{"index", {{"byteStart", 0}, {"byteEnd", end}}},
           {"features", {{{"$type", "app.bsky.richtext.facet#mention"}, {"did", mention_did}}}}}}}};
    const auto c = as.create("app.bsky.feed.post", record);
    return {c["uri"].get<std::string>(), c["cid"].get<std::string>()};
}

}  // namespace cmtool::test
