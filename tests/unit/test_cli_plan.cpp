// The built binary as a user runs it: exit codes, streams, formats.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace cmtool;

TEST_CASE("cli: --version, --help and usage errors") {
    const auto v = test::run_cmtool({"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.out == "cmtool " CMTOOL_VERSION "\n");
    const auto h = test::run_cmtool({"plan", "validate", "--help"});
    CHECK(h.exit_code == 0);
    CHECK(h.out.find("Example") != std::string::npos);
    const auto bad = test::run_cmtool({"plan", "validate", "--format", "xml"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.rfind("cmtool: error:", 0) == 0);
    CHECK(bad.out.empty());
    const auto unknown = test::run_cmtool({"plna"});
    CHECK(unknown.exit_code == 2);
}

TEST_CASE("cli: plan validate on the example is clean, -C and discovery from a subfolder") {
    const auto r = test::run_cmtool({"-C", CMTOOL_EXAMPLES, "plan", "validate"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("no problems found") != std::string::npos);
    const auto sub = test::run_cmtool({"plan", "validate", "-q"},
                                      std::filesystem::path(CMTOOL_EXAMPLES) / "calendar");
    CHECK(sub.exit_code == 0);
    CHECK(sub.err.empty());
}

TEST_CASE(
    "cli: an invalid calendar exits 1 with file:line:col on stdout, JSON and GitHub formats") {
    const auto dir = std::filesystem::path(CMTOOL_TEST_DATA) / "invalid" / "times";
    const auto text = test::run_cmtool({"-C", dir.string(), "plan", "validate"});
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("error[nonexistent-time]") != std::string::npos);
    CHECK(text.err.find("invalid:") != std::string::npos);
    const auto json =
        test::run_cmtool({"-C", dir.string(), "plan", "validate", "--format", "json"});
    CHECK(json.exit_code == 1);
    const auto j = nlohmann::json::parse(json.out);
    CHECK(j["valid"] == false);
    CHECK(j["errors"].get<int>() >= 1);
    const auto gh =
        test::run_cmtool({"-C", dir.string(), "plan", "validate", "--format", "github"});
    CHECK(gh.out.find("::error file=") != std::string::npos);
}

TEST_CASE("cli: --strict fails on warnings, no workspace is a configuration error (2)") {
    const auto dir = std::filesystem::path(CMTOOL_TEST_DATA) / "invalid" / "editorial";
    const auto lax = test::run_cmtool({"-C", dir.string(), "plan", "validate"});
    const auto strict = test::run_cmtool({"-C", dir.string(), "plan", "validate", "--strict"});
    CHECK(lax.exit_code == 0);
    CHECK(strict.exit_code == 1);
    const auto none =
        test::run_cmtool({"plan", "validate"}, std::filesystem::temp_directory_path());
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("hint:") != std::string::npos);
}

TEST_CASE("cli: plan list groups by day in the workspace zone, in French for a French workspace") {
    const auto r = test::run_cmtool({"-C", CMTOOL_EXAMPLES, "plan", "list", "--week", "2026-W48"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("vendredi 27 novembre 2026") != std::string::npos);
    CHECK(r.out.find("coulisses-du-vendredi@2026-11-27") != std::string::npos);
    const auto j =
        test::run_cmtool({"-C", CMTOOL_EXAMPLES, "agenda", "--from", "2026-11-27", "--to",
                          "2026-11-27", "--channel", "insta", "--format", "json"});
    REQUIRE(j.exit_code == 0);
    const auto doc = nlohmann::json::parse(j.out);
    CHECK(doc["period"]["from"] == "2026-11-27T00:00:00+01:00");
    for (const auto& p : doc["posts"]) {
        const auto& ch = p["channels"];
        CHECK(std::find(ch.begin(), ch.end(), "insta") != ch.end());
    }
    CHECK(doc["count"].get<int>() == static_cast<int>(doc["posts"].size()));
    const auto empty =
        test::run_cmtool({"-C", CMTOOL_EXAMPLES, "plan", "list", "--month", "2030-01"});
    CHECK(empty.exit_code == 0);
    CHECK(empty.out.find("Aucune publication") != std::string::npos);
    const auto bad =
        test::run_cmtool({"-C", CMTOOL_EXAMPLES, "plan", "list", "--week", "2026-W60"});
    CHECK(bad.exit_code == 2);
}
