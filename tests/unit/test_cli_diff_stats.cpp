// `cmtool plan diff` and `cmtool plan stats` as a user runs them: exit codes, streams, formats.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "git_fixture.hpp"
#include "stats_fixture.hpp"
#include "test_support.hpp"

using namespace cmtool;

namespace {

bool has(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("cli diff: two commits in text, Markdown and JSON") {
    test::TempDir dir("cli-diff");
    const auto repo = test::diff_repo(dir.path(), "", test::contract_workspace_yaml());
    const auto ws = repo.workspace.string();

    const auto text = test::run_cmtool({"-C", ws, "plan", "diff", repo.first, repo.second});
    CHECK(text.exit_code == 0);
    CHECK(text.err.empty());
    CHECK(has(text.out, "Added (1)\n  + Mon 30 Nov 2026 10:00  nouveau  bsky linkedin"));
    CHECK(has(text.out, "Removed (1)\n  - Sat 28 Nov 2026 09:00  adieu  masto"));
    CHECK(has(text.out, "Moved (1)\n  ~ bouge  Tue 24 Nov 2026 09:00 → Tue 24 Nov 2026 18:30"));
    CHECK(has(text.out, "Status changed (1)\n  ~ statut  draft → ready"));
    CHECK(has(text.out, "[-demain-] {+ce soir+}"));
    CHECK(has(text.out, "Other fields changed (1)\n  ~ champs  category, campaign"));
    CHECK_FALSE(has(text.out, "\x1b["));  // not a terminal: no colour

    const auto md =
        test::run_cmtool({"-C", ws, "plan", "diff", "HEAD~1", "HEAD", "--format", "markdown"});
    CHECK(md.exit_code == 0);
    CHECK(md.out.rfind("## Calendar changes\n", 0) == 0);
    CHECK(has(md.out, "### Added (1)\n\n| Time | Post | Channels | Text |"));
    CHECK(has(md.out, "### Removed (1)"));
    CHECK(has(md.out, "### Moved (1)"));
    CHECK(has(md.out, "<details>\n<summary><code>texte</code>"));

    const auto js =
        test::run_cmtool({"-C", ws, "plan", "diff", "HEAD~1", "HEAD", "--format", "json"});
    REQUIRE(js.exit_code == 0);
    const auto j = nlohmann::json::parse(js.out);
    CHECK(j["base"]["commit"] == repo.first);
    CHECK(j["head"]["commit"] == repo.second);
    CHECK(j["summary"] == nlohmann::json{{"added", 1},
                                         {"removed", 1},
                                         {"moved", 1},
                                         {"retargeted", 1},
                                         {"status", 1},
                                         {"text", 1},
                                         {"other", 1}});
}

TEST_CASE("cli diff: default base on a branch, uncommitted edits, no changes, errors") {
    test::TempDir dir("cli-diff-default");
    const auto repo = test::diff_repo(dir.path(), "planning", test::contract_workspace_yaml());
    const auto ws = repo.workspace.string();

    // On main with a clean tree: HEAD against the working tree, nothing to say.
    const auto clean = test::run_cmtool({"-C", ws, "plan", "diff"});
    CHECK(clean.exit_code == 0);
    CHECK(clean.out ==
          "no calendar changes between HEAD (" + repo.second.substr(0, 7) + ") and working tree\n");

    test::git(dir.path(), "checkout -q -b feature " + repo.first);
    const auto calendar = repo.workspace / "calendar" / "2026" / "11.yaml";
    REQUIRE(util::write_file_atomic(calendar, std::string(test::k_calendar_v1) +
                                                  "  - id: en-cours\n"
                                                  "    at: 2026-12-01 10:00\n"
                                                  "    channels: [masto]\n"
                                                  "    text: Pas encore commité.\n"));
    const auto status_before = test::git(dir.path(), "status --porcelain");
    const auto times_before = test::mtimes(dir.path());
    const auto r = test::run_cmtool({"-C", ws, "plan", "diff", "--format", "json"});
    CHECK(test::mtimes(dir.path()) == times_before);
    CHECK(test::git(dir.path(), "status --porcelain") == status_before);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["base"]["label"] == "main (merge base " + repo.first.substr(0, 7) + ")");
    CHECK(j["head"]["label"] == "working tree");
    REQUIRE(j["added"].size() == 1);
    CHECK(j["added"][0]["id"] == "en-cours");

    const auto unknown = test::run_cmtool({"-C", ws, "plan", "diff", "nope~3"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.out.empty());
    CHECK(has(unknown.err, "cmtool: error: unknown revision `nope~3`"));

    test::TempDir plain("cli-diff-norepo");
    plain.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto norepo = test::run_cmtool({"-C", plain.path().string(), "plan", "diff"});
    CHECK(norepo.exit_code == 2);
    CHECK(has(norepo.err, "is not in a git repository"));
    CHECK(has(norepo.err, "hint: "));
}

TEST_CASE("cli stats: text tables and JSON for a period") {
    test::TempDir dir("cli-stats");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    dir.write("calendar/2026/posts.yaml", test::k_stats_calendar);
    const auto ws = dir.path().string();

    const auto text =
        test::run_cmtool({"-C", ws, "plan", "stats", "--from", "2026-11-30", "--to", "2026-12-13"});
    CHECK(text.exit_code == 0);
    CHECK(has(text.out, "Plan statistics 2026-11-30..2026-12-13 (Europe/Paris)"));
    CHECK(has(text.out, "6 posts ready · 1 draft · 1 cancelled (not counted)"));
    CHECK(has(text.out, "2026-W49      3     1"));
    CHECK(has(text.out, "masto · Monday (5 of 6 weeks): Mon 7 Dec"));
    CHECK(has(text.out, "off target"));

    const auto js =
        test::run_cmtool({"-C", ws, "plan", "stats", "--week", "2026-W49", "--format", "json"});
    REQUIRE(js.exit_code == 0);
    const auto j = nlohmann::json::parse(js.out);
    CHECK(j["period"]["label"] == "2026-W49");
    CHECK(j["posts"] == 3);
    CHECK(j["weeks"].size() == 1);
    CHECK(j["weeks"][0]["channels"]["masto"] == 3);
    CHECK(j["gaps"][0]["date"] == "2026-12-03");

    const auto deflt = test::run_cmtool({"-C", ws, "plan", "stats", "--format", "json"}, {},
                                        {"CMTOOL_NOW=2026-12-02T12:00:00+01:00"});
    REQUIRE(deflt.exit_code == 0);
    CHECK(nlohmann::json::parse(deflt.out)["period"]["label"] == "2026-W49..2026-W52");

    const auto bad = test::run_cmtool({"-C", ws, "plan", "stats", "--week", "2026-W60"});
    CHECK(bad.exit_code == 2);
}
