// `cmtool init`, `cmtool plan new` and `cmtool help` as a user runs them: files on disk, exit
// codes, streams.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace cmtool;
namespace fs = std::filesystem;

namespace {

const std::string k_now = "--now=2026-11-30T10:00:00Z";

std::string slurp(const fs::path& p) {
    auto r = util::read_file(p);
    REQUIRE(r.has_value());
    return *r;
}

// Every file under `dir` and its content, to prove that a command changed nothing.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            out[e.path().lexically_relative(dir).generic_string()] = slurp(e.path());
        }
    }
    return out;
}

// A comment, a blank line, items indented by four and no newline at the end of the file.
const std::string k_odd_month =
    "# December: the busy month\n"
    "posts:   # keep sorted by date\n"
    "\n"
    "    - id: ouverture\n"
    "      at: 2026-12-01 09:00\n"
    "      channels: [masto]   # Mastodon only\n"
    "      text: \"Atelier ouvert\"";

}  // namespace

TEST_CASE("cli init: scaffolds a workspace that validates with zero findings") {
    test::TempDir tmp("cli-init");
    const auto r = test::run_cmtool({"init", "atelier", k_now}, tmp.path());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("created   cmtool.yaml") != std::string::npos);
    CHECK(r.out.find("calendar/2026/12.yaml") != std::string::npos);
    CHECK(r.out.find("time zone: UTC (from $TZ; change `timezone:` in cmtool.yaml)") !=
          std::string::npos);
    CHECK(r.out.find("cmtool plan new") != std::string::npos);
    const fs::path dir = tmp.path() / "atelier";
    CHECK(fs::exists(dir / "media/.gitkeep"));
    CHECK(slurp(dir / ".gitignore").find(".cmtool/") != std::string::npos);

    const auto v = test::run_cmtool({"plan", "validate"}, dir);
    CHECK(v.exit_code == 0);
    CHECK(v.out.empty());
    CHECK(v.err.find("1 post in 1 file: no problems found") != std::string::npos);
}

TEST_CASE("cli init: a second init refuses with exit 2 and changes nothing") {
    test::TempDir tmp("cli-init-twice");
    tmp.write(".gitignore", "node_modules/\n");
    REQUIRE(test::run_cmtool({"init", k_now}, tmp.path()).exit_code == 0);
    const std::string ignore = slurp(tmp.path() / ".gitignore");
    CHECK(ignore ==
          "node_modules/\n# cmtool's local state (publish ledger, metrics): never "
          "committed\n.cmtool/\n");
    const auto before = snapshot(tmp.path());
    const auto again = test::run_cmtool({"init", k_now, "--brand", "Autre"}, tmp.path());
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("already a workspace") != std::string::npos);
    CHECK(again.err.find("hint:") != std::string::npos);
    CHECK(snapshot(tmp.path()) == before);
}

TEST_CASE("cli init: --format json, --timezone, --lang and a bad time zone") {
    test::TempDir tmp("cli-init-json");
    const auto r = test::run_cmtool(
        {"init", "x", "--format", "json", "--timezone", "Europe/Paris", "--lang", "fr", k_now},
        tmp.path());
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["timezone"]["name"] == "Europe/Paris");
    CHECK(j["timezone"]["source"] == "--timezone");
    CHECK(j["lang"] == "fr");
    CHECK(j["example"]["file"] == "calendar/2026/12.yaml");
    CHECK(j["created"].size() == 4);
    const auto bad = test::run_cmtool({"init", "y", "--timezone", "Europe/Lyon"}, tmp.path());
    CHECK(bad.exit_code == 2);
    CHECK_FALSE(fs::exists(tmp.path() / "y"));
}

TEST_CASE("cli plan new: appends after the existing bytes, which stay as they were") {
    test::TempDir tmp("cli-new-append");
    tmp.write("cmtool.yaml", test::contract_workspace_yaml());
    tmp.write("calendar/2026/12.yaml", k_odd_month);
    const auto r = test::run_cmtool({"plan", "new", "--at", "2026-12-04 09:00", "--channel",
                                     "masto,bsky", "--text", "Nouvelles lampes en laiton"},
                                    tmp.path());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "calendar/2026/12.yaml:8: added post `nouvelles-lampes-en-laiton`\n");
    const std::string after = slurp(tmp.path() / "calendar/2026/12.yaml");
    CHECK(after.substr(0, k_odd_month.size()) == k_odd_month);
    CHECK(after.substr(k_odd_month.size()) ==
          "\n    - id: nouvelles-lampes-en-laiton\n"
          "      at: 2026-12-04 09:00\n"
          "      channels: [masto, bsky]\n"
          "      text: Nouvelles lampes en laiton\n");
    const auto v = test::run_cmtool({"plan", "validate", "-q"}, tmp.path());
    CHECK(v.exit_code == 0);
    CHECK(v.out.empty());
}

TEST_CASE("cli plan new: creates the month file, ids are unique (-2), --id collisions fail") {
    test::TempDir tmp("cli-new-create");
    tmp.write("cmtool.yaml", test::contract_workspace_yaml());
    const std::vector<std::string> args = {"plan",      "new",   "--at",   "2027-01-08 10:00",
                                           "--channel", "masto", "--text", "Bonne année !"};
    REQUIRE(test::run_cmtool(args, tmp.path()).exit_code == 0);
    const fs::path month = tmp.path() / "calendar/2027/01.yaml";
    CHECK(slurp(month).rfind("posts:\n  - id: bonne-annee\n", 0) == 0);
    auto second = args;
    second[3] = "2027-01-09 10:00";
    const auto r2 = test::run_cmtool(second, tmp.path());
    REQUIRE(r2.exit_code == 0);
    CHECK(r2.out.find("`bonne-annee-2`") != std::string::npos);

    const std::string before = slurp(month);
    auto dup = second;
    dup.insert(dup.end(), {"--id", "bonne-annee"});
    const auto r3 = test::run_cmtool(dup, tmp.path());
    CHECK(r3.exit_code == 1);
    CHECK(r3.err.find("error[duplicate-id]") != std::string::npos);
    CHECK(r3.err.find("calendar/2027/01.yaml:2:") != std::string::npos);
    CHECK(slurp(month) == before);
}

TEST_CASE("cli plan new: an invalid post is refused and nothing is written") {
    test::TempDir tmp("cli-new-invalid");
    tmp.write("cmtool.yaml", test::contract_workspace_yaml());
    tmp.write("calendar/2026/12.yaml", k_odd_month);
    const auto before = snapshot(tmp.path());
    const auto too_long = test::run_cmtool({"plan", "new", "--at", "2026-12-04 09:00", "--channel",
                                            "bsky", "--text", std::string(301, 'a')},
                                           tmp.path());
    CHECK(too_long.exit_code == 1);
    CHECK(too_long.err.find("calendar/2026/12.yaml:11:11:") != std::string::npos);
    CHECK(too_long.err.find("error[text-too-long]") != std::string::npos);
    CHECK(too_long.err.find("nothing written") != std::string::npos);
    const auto channel = test::run_cmtool(
        {"plan", "new", "--at", "2026-12-04 09:00", "--channel", "mastodon", "--text", "Salut"},
        tmp.path());
    CHECK(channel.exit_code == 1);
    CHECK(channel.err.find("error[unknown-channel]") != std::string::npos);
    const auto gap = test::run_cmtool(
        {"plan", "new", "--at", "2026-03-29 02:30", "--channel", "masto", "--text", "Salut"},
        tmp.path());
    CHECK(gap.exit_code == 1);
    CHECK(gap.err.find("calendar/2026/03.yaml:3:") != std::string::npos);
    CHECK(gap.err.find("error[nonexistent-time]") != std::string::npos);
    const auto malformed = test::run_cmtool(
        {"plan", "new", "--at", "27/11/2026", "--channel", "masto", "--text", "Salut"}, tmp.path());
    CHECK(malformed.exit_code == 2);
    CHECK(snapshot(tmp.path()) == before);
}

TEST_CASE("cli plan new: --dry-run writes nothing, --text-file - reads stdin, no text, no tty") {
    test::TempDir tmp("cli-new-dry");
    tmp.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto before = snapshot(tmp.path());
    const auto dry =
        test::run_cmtool({"plan", "new", "--at", "2026-12-04 09:00", "--channel", "masto",
                          "--text-file", "-", "--dry-run", "--status", "draft"},
                         tmp.path(), {}, "Ligne un\nLigne deux\n");
    REQUIRE(dry.exit_code == 0);
    CHECK(dry.out ==
          "posts:\n  - id: ligne-un-ligne-deux\n    at: 2026-12-04 09:00\n    channels: [masto]\n"
          "    status: draft\n    text: |-\n      Ligne un\n      Ligne deux\n");
    CHECK(dry.err.find("would add `ligne-un-ligne-deux` at calendar/2026/12.yaml:2 (new file)") !=
          std::string::npos);
    CHECK(snapshot(tmp.path()) == before);

    const auto none =
        test::run_cmtool({"plan", "new", "--at", "2026-12-04 09:00", "--channel", "masto"},
                         tmp.path(), {"EDITOR=vi"});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("--text-file -") != std::string::npos);
    CHECK(snapshot(tmp.path()) == before);
}

TEST_CASE("cli help: topics print and exit 0, an unknown topic exits 2 with the list") {
    for (const char* topic : {"calendar", "workspace", "rules", "exit-codes"}) {
        const auto r = test::run_cmtool({"help", topic});
        CHECK(r.exit_code == 0);
        CHECK(r.out.size() > 200);
        CHECK(r.err.empty());
    }
    CHECK(test::run_cmtool({"help", "rules"}).out.find("nonexistent-time") != std::string::npos);
    const auto list = test::run_cmtool({"help"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("plan new") != std::string::npos);
    CHECK(list.out.find("exit-codes") != std::string::npos);
    const auto cmd = test::run_cmtool({"help", "plan", "new"});
    CHECK(cmd.exit_code == 0);
    CHECK(cmd.out.find("--dry-run") != std::string::npos);
    const auto bad = test::run_cmtool({"help", "calender"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("calendar, workspace, rules, exit-codes") != std::string::npos);
}

TEST_CASE("cli help: docs/cmtool.1 is what `cmtool help --man` prints") {
    const auto man = test::run_cmtool({"help", "--man"});
    REQUIRE(man.exit_code == 0);
    CHECK(man.out.rfind(".TH CMTOOL 1", 0) == 0);
    const fs::path page = fs::path(CMTOOL_EXAMPLES).parent_path() / "docs" / "cmtool.1";
    INFO("regenerate it: ./build/cli/cmtool help --man > docs/cmtool.1");
    CHECK(slurp(page) == man.out);
}
