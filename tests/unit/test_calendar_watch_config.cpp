#include <doctest/doctest.h>

#include <algorithm>

#include "cmtool/calendar/workspace.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

constexpr const char* k_head = R"(version: 1
timezone: UTC
accounts:
  masto: {platform: mastodon, instance: https://m.example}
  bsky: {platform: bluesky, handle: a.test}
)";

std::vector<Finding> load(const std::string& watch, WorkspaceConfig* out = nullptr) {
    test::TempDir dir("ws-watch");
    dir.write("cmtool.yaml", std::string(k_head) + watch);
    Diagnostics diags;
    auto ws = load_workspace(dir.path(), diags);
    REQUIRE(ws);
    if (out != nullptr) {
        *out = *ws;
    }
    return diags.findings();
}

}  // namespace

TEST_CASE("watch config: a full section loads clean") {
    WorkspaceConfig ws;
    const auto f = load(R"(watch:
  group_window: 12h
  queries:
    brand:
      terms: 'greencart "green cart" -recrute'
      languages: [fr, en]
      sources: [masto-mentions, bsky-search, news]
  sources:
    masto-mentions: {type: mastodon_mentions, account: masto}
    bsky-search: {type: bluesky_search, account: bsky, max_pages: 2}
    news: {type: feed, url: https://news.example/rss}
  rules:
    spike: {type: spike, window: 1h, baseline: 24, min_count: 10, z: 3, ratio: 3, cooldown: 6h}
    negative: {type: negative_share, window: 6h, threshold: 40%, min_count: 10}
    scam: {type: keyword, words: [arnaque, boycott], channels: [slack]}
  channels:
    slack: {type: webhook, url: https://hooks.example/x, format: slack}
    mail: {type: email, smtp: 'smtps://smtp.example:465', from: a@x.test, to: [b@x.test]}
)",
                        &ws);
    CHECK(f.empty());
    REQUIRE(ws.watch.queries.size() == 1);
    CHECK(ws.watch.queries[0].languages == std::vector<std::string>{"fr", "en"});
    CHECK(ws.watch.group_window == std::chrono::minutes(720));
    REQUIRE(ws.watch.sources.size() == 3);
    CHECK(ws.watch.sources[1].max_pages == 2);
    REQUIRE(ws.watch.rules.size() == 3);
    CHECK(ws.watch.rules[1].threshold == doctest::Approx(0.4));
    CHECK(ws.watch.rules[0].cooldown == std::chrono::minutes(360));
    CHECK(ws.watch.channels[1].type == WatchChannelType::email);
}

TEST_CASE("watch config: unknown keys, bad values and references are located findings") {
    const auto f = load(R"(watch:
  queries:
    brand: {terms: x, sources: [newz], language: [fr]}
  sources:
    news: {type: fed, url: ftp://x}
    masto: {type: bluesky_mentions, account: masto}
  rules:
    r: {type: spike, window: soon, channels: [nope]}
  alerts: {}
)");
    auto has = [&](const std::string& text, std::uint32_t line) {
        return std::any_of(f.begin(), f.end(), [&](const Finding& x) {
            return (x.message + " " + x.hint).find(text) != std::string::npos && x.pos.line == line;
        });
    };
    CHECK(has("did you mean `languages`", 8));
    CHECK(has("did you mean `news`", 8));
    CHECK(has("did you mean `feed`", 10));
    CHECK(has("http(s) URL", 10));
    CHECK(has("needs a bluesky account", 11));
    CHECK(has("is not a duration", 13));
    CHECK(has("unknown channel `nope`", 13));
    CHECK(std::any_of(f.begin(), f.end(), [](const Finding& x) {
        return x.message.find("alerts") != std::string::npos;
    }));
}
