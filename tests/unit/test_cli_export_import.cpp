// `plan export` and `plan import` as a user runs them: files written or not, exit codes,
// rejected rows on stderr with their lines, round trips through an empty workspace.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cmtool/util/files.hpp"
#include "ics_reader.hpp"
#include "test_support.hpp"

using namespace cmtool;
namespace fs = std::filesystem;

namespace {

const std::string k_now = "--now=2026-11-20T12:00:00+01:00";

std::string hootsuite_fixture() {
    return (fs::path(CMTOOL_TEST_DATA) / "import" / "hootsuite.csv").string();
}

// A workspace with the example's cmtool.yaml and media, and no calendar.
void empty_copy_of_example(const test::TempDir& dir) {
    fs::copy_file(fs::path(CMTOOL_EXAMPLES) / "cmtool.yaml", dir.path() / "cmtool.yaml");
    fs::copy(fs::path(CMTOOL_EXAMPLES) / "media", dir.path() / "media",
             fs::copy_options::recursive);
}

nlohmann::json without_files(nlohmann::json doc) {
    for (auto& p : doc["posts"]) {
        p.erase("file");
    }
    return doc;
}

}  // namespace

TEST_CASE("cli: plan export ics from the example, to stdout and with -o") {
    const auto r = test::run_cmtool({"-C", CMTOOL_EXAMPLES, k_now, "plan", "export", "--format",
                                     "ics", "--from", "2026-11-27", "--to", "2026-12-31"});
    REQUIRE(r.exit_code == 0);
    CHECK(test::ics_layout_problems(r.out).empty());
    const auto cal = test::ics_parse(r.out);
    std::vector<std::string> uids;
    for (const auto* e : cal.all("VEVENT")) {
        uids.push_back(e->value("UID"));
        CHECK(e->value("DTSTAMP") == "20261120T110000Z");
    }
    CHECK(std::find(uids.begin(), uids.end(),
                    "coulisses-du-vendredi@2026-12-04@atelier-lumiere.cmtool") != uids.end());
    CHECK(std::find(uids.begin(), uids.end(), "bf-annonce@atelier-lumiere.cmtool") ==
          uids.end());  // 23 November: before --from
    test::TempDir dir("cli-export-o");
    const auto file = (dir.path() / "equipe.ics").string();
    const auto o = test::run_cmtool({"-C", CMTOOL_EXAMPLES, k_now, "plan", "export", "--from",
                                     "2026-11-27", "--to", "2026-12-31", "-o", file});
    CHECK(o.exit_code == 0);
    CHECK(o.out.empty());
    CHECK(util::read_file(file).value_or("") == r.out);
    const auto none = test::run_cmtool({"-C", CMTOOL_EXAMPLES, "plan", "export"});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("--format") != std::string::npos);
}

TEST_CASE("cli: a Hootsuite file with bad rows writes nothing, then --skip-invalid imports") {
    test::TempDir dir("cli-import-hootsuite");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const std::vector<std::string> base = {"-C",     dir.path().string(), "plan",
                                           "import", hootsuite_fixture(), "--channel",
                                           "masto",  "--channel",         "x"};
    const auto strict = test::run_cmtool(base);
    CHECK(strict.exit_code == 1);
    CHECK(strict.err.find("hootsuite.csv:5: error: invalid-date") != std::string::npos);
    CHECK(strict.err.find("hootsuite.csv:6: error: text-too-long") != std::string::npos);
    CHECK(strict.err.find("hootsuite.csv:7: error: text-empty") != std::string::npos);
    CHECK(strict.err.find("3 rows of 10 rejected; nothing written") != std::string::npos);
    CHECK(!fs::exists(dir.path() / "calendar"));

    auto dry_args = base;
    dry_args.insert(dry_args.end(), {"--skip-invalid", "--dry-run"});
    const auto dry = test::run_cmtool(dry_args);
    CHECK(dry.exit_code == 0);
    CHECK(dry.out.find("# calendar/2026/12.yaml: 5 posts (new file)\nposts:\n  - id: "
                       "decembre-commence-nos-lampes-de-fete-2026-12-01\n") != std::string::npos);
    CHECK(dry.out.find("# calendar/2027/01.yaml: 2 posts (new file)") != std::string::npos);
    CHECK(!fs::exists(dir.path() / "calendar"));

    auto skip_args = base;
    skip_args.push_back("--skip-invalid");
    const auto skip = test::run_cmtool(skip_args);
    CHECK(skip.exit_code == 0);
    CHECK(skip.err.find("imported 7 posts") != std::string::npos);
    CHECK(skip.err.find("3 rows rejected") != std::string::npos);
    CHECK(fs::exists(dir.path() / "calendar/2026/12.yaml"));
    CHECK(fs::exists(dir.path() / "calendar/2027/01.yaml"));
    const auto valid = test::run_cmtool({"-C", dir.path().string(), "plan", "validate"});
    CHECK(valid.exit_code == 0);
    CHECK(valid.out.find("error") == std::string::npos);

    // The same file again: its posts exist now, and nothing is overwritten or doubled.
    const auto before = util::read_file(dir.path() / "calendar/2026/12.yaml").value_or("");
    const auto again = test::run_cmtool(skip_args);
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("hootsuite.csv:1: error: duplicate-id: id "
                         "`decembre-commence-nos-lampes-de-fete-2026-12-01` already exists at "
                         "calendar/2026/12.yaml:2") != std::string::npos);
    CHECK(util::read_file(dir.path() / "calendar/2026/12.yaml").value_or("") == before);
}

TEST_CASE("cli: export json/csv → import into an empty workspace → export json is identical") {
    const auto original =
        test::run_cmtool({"-C", CMTOOL_EXAMPLES, k_now, "plan", "export", "--format", "json"});
    REQUIRE(original.exit_code == 0);
    const auto expected = without_files(nlohmann::json::parse(original.out));
    REQUIRE(expected["posts"].size() > 10);
    const auto csv =
        test::run_cmtool({"-C", CMTOOL_EXAMPLES, k_now, "plan", "export", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    for (const auto& [format, content] : std::vector<std::pair<std::string, std::string>>{
             {"json", original.out}, {"csv", csv.out}}) {
        CAPTURE(format);
        test::TempDir dir("cli-roundtrip-" + format);
        empty_copy_of_example(dir);
        dir.write("export." + format, content);
        const auto imported = test::run_cmtool({"-C", dir.path().string(), "plan", "import",
                                                (dir.path() / ("export." + format)).string()});
        CHECK(imported.exit_code == 0);
        CHECK(imported.err.find("error") == std::string::npos);
        const auto back = test::run_cmtool(
            {"-C", dir.path().string(), k_now, "plan", "export", "--format", "json"});
        REQUIRE(back.exit_code == 0);
        CHECK(without_files(nlohmann::json::parse(back.out)) == expected);
    }
}

TEST_CASE("cli: import --dry-run on our CSV prints the YAML and writes nothing") {
    test::TempDir dir("cli-import-dry");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    dir.write("in.csv",
              "id,at,channels,status,text\n"
              "noel,2026-12-24 18:00,masto bsky,draft,\"Joyeux Noël,\nà demain !\"\n");
    const auto r = test::run_cmtool({"-C", dir.path().string(), "plan", "import",
                                     (dir.path() / "in.csv").string(), "--dry-run"});
    CHECK(r.exit_code == 0);
    CHECK(r.out ==
          "# calendar/2026/12.yaml: 1 post (new file)\nposts:\n  - id: noel\n"
          "    at: 2026-12-24 18:00\n    channels: [masto, bsky]\n    status: draft\n"
          "    text: |-\n      Joyeux Noël,\n      à demain !\n");
    CHECK(r.err.find("dry run: would import 1 post") != std::string::npos);
    CHECK(!fs::exists(dir.path() / "calendar"));
}
