#include <doctest/doctest.h>

#include "cmtool/calendar/workspace.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

TEST_CASE("the contract cmtool.yaml loads unchanged and clean") {
    test::TempDir dir("ws-contract");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    Diagnostics diags;
    auto ws = load_workspace(dir.path(), diags);
    REQUIRE(ws);
    CHECK(diags.findings().empty());
    CHECK(ws->brand == "Atelier Lumière");
    CHECK(ws->timezone == "Europe/Paris");
    REQUIRE(ws->accounts.size() == 9);
    const Account* bsky = ws->find_account("bsky");
    REQUIRE(bsky != nullptr);
    CHECK(bsky->platform == Platform::bluesky);
    CHECK(bsky->get("handle") == "atelier.bsky.social");
    CHECK(ws->find_account("tg")->get("chat_id") == "@atelier_news");
    CHECK(ws->find_account("discord")->platform == Platform::discord);
    REQUIRE(ws->categories.size() == 3);
    CHECK(ws->find_category("inspiration")->target.value() == doctest::Approx(0.40));
    CHECK(ws->calendar == std::vector<std::string>{"calendar/**/*.yaml"});
    CHECK(ws->max_late == std::chrono::minutes(120));
}

TEST_CASE("unknown keys get a did-you-mean with their position") {
    test::TempDir dir("ws-typo");
    dir.write("cmtool.yaml",
              "version: 1\ntimezone: UTC\naccount:\n  a: {platform: x}\n"
              "accounts:\n  m: {platform: mastodon, instanse: https://m.example}\n");
    Diagnostics diags;
    auto ws = load_workspace(dir.path(), diags);
    REQUIRE(ws);
    const auto& f = diags.findings();
    REQUIRE(f.size() ==
            2);  // `account`, `instanse` (not also a missing `instance`: it is the typo)
    CHECK(f[0].rule == "unknown-key");
    CHECK(f[0].pos.line == 3);
    CHECK(f[0].pos.column == 1);
    CHECK(f[0].hint == "did you mean `accounts`?");
    CHECK(f[1].rule == "unknown-key");
    CHECK(f[1].pos.line == 6);
    CHECK(f[1].pos.column == 27);
    CHECK(f[1].hint == "did you mean `instance`?");
}

TEST_CASE("an unknown time zone and a bad platform are findings, not crashes") {
    test::TempDir dir("ws-zone");
    dir.write("cmtool.yaml",
              "version: 1\ntimezone: Europe/Lyon\naccounts:\n  a: {platform: mastodom, instance: "
              "https://x.example}\n");
    Diagnostics diags;
    auto ws = load_workspace(dir.path(), diags);
    REQUIRE(ws);
    REQUIRE(diags.findings().size() == 2);
    CHECK(diags.findings()[0].rule == "unknown-timezone");
    CHECK(diags.findings()[0].pos.line == 2);
    CHECK(diags.findings()[0].pos.column == 11);
    CHECK(diags.findings()[1].rule == "invalid-value");
    CHECK(diags.findings()[1].hint == "did you mean `mastodon`?");
    CHECK(ws->zone != nullptr);  // falls back to UTC so later rules can still run
}

TEST_CASE("a YAML syntax error in cmtool.yaml fails with a position") {
    test::TempDir dir("ws-syntax");
    dir.write("cmtool.yaml", "version: 1\ntimezone: [UTC\n");
    Diagnostics diags;
    auto ws = load_workspace(dir.path(), diags);
    CHECK_FALSE(ws);
    REQUIRE(diags.findings().size() == 1);
    CHECK(diags.findings()[0].rule == "yaml-syntax");
    CHECK(diags.findings()[0].pos.line >= 2);
}

TEST_CASE("find_workspace walks up like git") {
    test::TempDir dir("ws-find");
    dir.write("cmtool.yaml", "version: 1\ntimezone: UTC\n");
    dir.write("calendar/2026/x.yaml", "posts: []\n");
    auto found = find_workspace(dir.path() / "calendar" / "2026");
    REQUIRE(found);
    CHECK(*found == dir.path());
    auto none = find_workspace(std::filesystem::temp_directory_path());
    if (!none) {
        CHECK(none.error().code == ErrorCode::config);
        CHECK(none.error().hint.find("cmtool init") != std::string::npos);
    }
}

TEST_CASE("parse_duration") {
    CHECK(parse_duration("90m") == std::chrono::minutes(90));
    CHECK(parse_duration("2h") == std::chrono::minutes(120));
    CHECK(parse_duration("1d") == std::chrono::minutes(1440));
    CHECK(parse_duration("45") == std::chrono::minutes(45));
    CHECK_FALSE(parse_duration("2 weeks"));
    CHECK_FALSE(parse_duration("h"));
    CHECK(did_you_mean("chanels", {"channels", "category"}) == "channels");
    CHECK(did_you_mean("zzzzzz", {"channels", "category"}).empty());
}
