// plan import's library side: formats, row checks with line numbers, ids, appending to files.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/append.hpp"
#include "cmtool/calendar/export.hpp"
#include "cmtool/calendar/import.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/slug.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

WorkspaceConfig workspace(const test::TempDir& dir) {
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    Diagnostics d;
    auto ws = load_workspace(dir.path(), d);
    REQUIRE(ws);
    return *ws;
}

std::string fixture(const std::string& name) {
    auto content = util::read_file(std::filesystem::path(CMTOOL_TEST_DATA) / "import" / name);
    REQUIRE(content);
    return *content;
}

std::vector<std::size_t> rejected_lines(const ImportReport& r) {
    std::vector<std::size_t> out;
    for (const auto& rej : r.rejected) {
        out.push_back(rej.row.line);
    }
    return out;
}

std::vector<Post> load_all(const WorkspaceConfig& ws) {
    Diagnostics d;
    auto posts = load_posts(ws, d);
    REQUIRE(posts);
    CHECK(d.error_count() == 0);
    return *posts;
}

}  // namespace

TEST_CASE("import hootsuite: every rejected row with its line, the rest as drafts") {
    test::TempDir dir("import-hootsuite");
    const auto ws = workspace(dir);
    ImportOptions opts;
    opts.channels = {"masto", "x"};
    auto r = read_import(fixture("hootsuite.csv"), ws, {}, opts);
    REQUIRE(r);
    CHECK(r->format == ImportFormat::hootsuite);
    CHECK(r->rows == 10);
    CHECK(rejected_lines(*r) == std::vector<std::size_t>{5, 6, 7});
    REQUIRE(r->rejected.size() == 3);
    CHECK(r->rejected[0].reasons.at(0).find("invalid-date") != std::string::npos);
    CHECK(r->rejected[0].reasons.at(0).find("30/02/2026 09:00") != std::string::npos);
    CHECK(r->rejected[1].reasons.at(0).find("text-too-long") != std::string::npos);
    CHECK(r->rejected[1].reasons.at(0).find("x") != std::string::npos);
    CHECK(r->rejected[2].reasons.at(0).find("text-empty") != std::string::npos);
    REQUIRE(r->accepted.size() == 7);
    const Post& first = r->accepted[0].post;
    CHECK(first.id == "decembre-commence-nos-lampes-de-fete-2026-12-01");
    CHECK(first.at.text.find("2026-12-01") != std::string::npos);
    CHECK(first.status == PostStatus::draft);
    CHECK(first.channels == std::vector<std::string>{"masto", "x"});
    CHECK(first.link == "https://atelier.example/noel");
    CHECK(r->accepted[1].row.line == 2);
    CHECK(r->accepted[1].post.text ==
          "Coulisses : le polissage du laiton, étape par étape.\nUne journée de travail par pied "
          "de lampe.");
    CHECK(r->accepted[2].row.line == 4);  // after the two-line record
    CHECK(r->notes.size() == 1);
    CHECK(r->notes[0].find("line 10") != std::string::npos);
}

TEST_CASE("import hootsuite: channels are required, dates must be unambiguous") {
    test::TempDir dir("import-hootsuite-usage");
    const auto ws = workspace(dir);
    ImportOptions opts;
    auto none = read_import(fixture("hootsuite.csv"), ws, {}, opts);
    REQUIRE(!none);
    CHECK(none.error().code == ErrorCode::usage);
    CHECK(none.error().hint.find("--channel") != std::string::npos);
    opts.channels = {"mastodon"};
    auto unknown = read_import(fixture("hootsuite.csv"), ws, {}, opts);
    REQUIRE(!unknown);
    CHECK(unknown.error().hint.find("masto") != std::string::npos);
    opts.channels = {"masto"};
    const std::string ambiguous = "Date,Message,Link\n03/04/2027 10:00,Printemps,\n";
    auto a = read_import(ambiguous, ws, {}, opts);
    REQUIRE(!a);
    CHECK(a.error().message.find("line 2") != std::string::npos);
    CHECK(a.error().hint.find("--date-format") != std::string::npos);
    opts.date_order = DateOrder::mdy;
    opts.status = PostStatus::ready;
    auto mdy = read_import(ambiguous, ws, {}, opts);
    REQUIRE(mdy);
    CHECK(mdy->notes.at(0).find("header") != std::string::npos);
    REQUIRE(mdy->accepted.size() == 1);
    CHECK(mdy->accepted[0].post.at.text == "2027-03-04 10:00");
    CHECK(mdy->accepted[0].post.status == PostStatus::ready);
    CHECK(mdy->accepted[0].row.line == 2);
    opts.date_order = DateOrder::detect;
    auto mixed = read_import("13/04/2027 10:00,a,\n04/13/2027 10:00,b,\n", ws, {}, opts);
    REQUIRE(!mixed);
    CHECK(mixed.error().message.find("day-first at line 1") != std::string::npos);
}

TEST_CASE("import csv: a quoted multi-line message keeps later line numbers right") {
    test::TempDir dir("import-csv-lines");
    const auto ws = workspace(dir);
    const std::string csv =
        "id,at,channels,text\n"
        "un,2026-12-01 09:00,masto,\"Première ligne\r\ndeuxième ligne\r\ntroisième\"\n"
        "deux,2026-12-02 09:00,masto,Bonjour\n"
        "trois,2026-13-02 09:00,masto,Mauvaise date\n"
        "un,2026-12-04 09:00,masto,Même id\n"
        "quatre,2026-12-05 09:00,masto,\"Encore\n"
        "deux lignes\"\n"
        "cinq,2026-12-06 09:00,inconnu,Compte inconnu\n";
    auto r = read_import(csv, ws, {}, {});
    REQUIRE(r);
    CHECK(r->format == ImportFormat::csv);
    CHECK(rejected_lines(*r) == std::vector<std::size_t>{6, 7, 10});
    CHECK(r->rejected[1].reasons.at(0).find("already used by line 2") != std::string::npos);
    CHECK(r->rejected[2].reasons.at(0).find("unknown-channel") != std::string::npos);
    REQUIRE(r->accepted.size() == 3);
    CHECK(r->accepted[0].post.text == "Première ligne\ndeuxième ligne\ntroisième");
    CHECK(r->accepted[0].post.status == PostStatus::ready);  // our CSV keeps its status
}

TEST_CASE("import: an id that exists in the workspace is rejected, never overwritten") {
    test::TempDir dir("import-existing");
    const auto ws = workspace(dir);
    dir.write("calendar/2026/12.yaml",
              "posts:\n  - id: deja\n    at: 2026-12-01 09:00\n    channels: [masto]\n"
              "    text: Déjà là\n");
    const auto existing = load_all(ws);
    auto r =
        read_import("id,at,channels,text\ndeja,2026-12-03 09:00,masto,Nouveau\n", ws, existing, {});
    REQUIRE(r);
    REQUIRE(r->rejected.size() == 1);
    CHECK(r->rejected[0].reasons.at(0) ==
          "duplicate-id: id `deja` already exists at calendar/2026/12.yaml:2");
}

TEST_CASE("import json: export → import → append → export gives the same posts") {
    test::TempDir src_dir("import-json-src");
    const auto ws = workspace(src_dir);
    src_dir.write("calendar/2026/12.yaml", R"(posts:
  - id: fil
    at: 2026-12-01 09:00
    channels: [masto, bsky]
    status: draft
    category: promo
    campaign: noel
    text: |
      Première ligne
      seconde : « citée »
    link: https://atelier.example/noel
    thread: ["suite 1"]
    variants:
      bsky: {text: "Court"}
    notes: interne
  - id: hebdo
    at: 2026-12-04 18:00
    channels: [masto]
    text: Chaque vendredi
    repeat: {every: week, until: 2027-01-29}
)");
    const auto posts = load_all(ws);
    std::vector<const Post*> all;
    for (const auto& p : posts) {
        all.push_back(&p);
    }
    const auto exported = export_json(all, ws);
    test::TempDir dst_dir("import-json-dst");
    const auto dst = workspace(dst_dir);
    auto r = read_import(exported.dump(2), dst, {}, {});
    REQUIRE(r);
    CHECK(r->format == ImportFormat::json);
    CHECK(r->rejected.empty());
    std::vector<Post> imported;
    for (const auto& a : r->accepted) {
        imported.push_back(a.post);
    }
    auto written = append_posts(dst, imported, std::nullopt, DryRun::no);
    REQUIRE(written);
    CHECK(written->size() == 1);
    const auto back = load_all(dst);
    std::vector<const Post*> back_ptrs;
    for (const auto& p : back) {
        back_ptrs.push_back(&p);
    }
    CHECK(export_json(back_ptrs, dst).dump(2) == exported.dump(2));
    // A rejected JSON row is named by its index.
    auto bad = read_import(R"({"posts": [{"id": "a b", "at": "2026-12-01 09:00",
                                           "channels": ["masto"], "text": "x"}]})",
                           dst, back, {});
    REQUIRE(bad);
    REQUIRE(bad->rejected.size() == 1);
    CHECK(bad->rejected[0].row.label() == "posts[0]");
}

TEST_CASE(
    "append_posts keeps existing bytes, follows the file's indentation, dry-run writes nothing") {
    test::TempDir dir("import-append");
    const auto ws = workspace(dir);
    const std::string original =
        "# Décembre\nposts:\n- id: a\n  at: 2026-12-01 09:00\n  channels: [masto]\n  text: |\n"
        "    Bonjour\n    à tous\n# fin";  // items at column 0, no final newline
    dir.write("calendar/2026/12.yaml", original);
    Diagnostics d;
    auto cf = parse_calendar(
        "posts:\n  - id: b\n    at: 2026-12-02 09:00\n    channels: [masto]\n    text: |\n"
        "      Deux\n      lignes\n  - id: c\n    at: 2027-01-02 09:00\n    channels: [masto]\n"
        "    text: Janvier\n",
        "x.yaml", ws, d);
    REQUIRE(cf.posts.size() == 2);
    auto dry = append_posts(ws, cf.posts, std::nullopt, DryRun::yes);
    REQUIRE(dry);
    REQUIRE(dry->size() == 2);
    CHECK((*dry)[0].file == "calendar/2026/12.yaml");
    CHECK(!(*dry)[0].created);
    CHECK((*dry)[1].file == "calendar/2027/01.yaml");
    CHECK((*dry)[1].created);
    CHECK((*dry)[1].appended.rfind("posts:\n  - id: c\n", 0) == 0);
    CHECK(*util::read_file(dir.path() / "calendar/2026/12.yaml") == original);
    CHECK(!std::filesystem::exists(dir.path() / "calendar/2027/01.yaml"));
    auto done = append_posts(ws, cf.posts, std::nullopt, DryRun::no);
    REQUIRE(done);
    const auto after = *util::read_file(dir.path() / "calendar/2026/12.yaml");
    CHECK(after.rfind(original, 0) == 0);
    CHECK(after.substr(original.size()).rfind("\n- id: b\n  at: 2026-12-02 09:00\n", 0) == 0);
    const auto all = load_all(ws);
    REQUIRE(all.size() == 3);
    CHECK(all[1].text == "Deux\nlignes\n");
    // An empty flow list opens into a block list (its comment kept)...
    dir.write("calendar/2026/11.yaml", "posts: []  # rien encore\n");
    auto empty =
        append_posts(ws, {cf.posts[0]}, std::filesystem::path("calendar/2026/11.yaml"), DryRun::no);
    REQUIRE(empty);
    CHECK(util::read_file(dir.path() / "calendar/2026/11.yaml")
              ->rfind("posts: # rien encore\n  - id: ", 0) == 0);
    // ...but a non-empty flow list cannot be appended to: an error, and the file is left alone.
    dir.write("calendar/2026/11.yaml",
              "posts: [{id: z, at: 2026-11-01 09:00, channels: [masto]}]\n");
    auto flow =
        append_posts(ws, {cf.posts[0]}, std::filesystem::path("calendar/2026/11.yaml"), DryRun::no);
    REQUIRE(!flow);
    CHECK(flow.error().message.find("block list") != std::string::npos);
    CHECK(*util::read_file(dir.path() / "calendar/2026/11.yaml") ==
          "posts: [{id: z, at: 2026-11-01 09:00, channels: [masto]}]\n");
    auto outside = append_posts(ws, {cf.posts[0]}, std::filesystem::path("../x.yaml"), DryRun::yes);
    REQUIRE(!outside);
    CHECK(outside.error().code == ErrorCode::usage);
}

TEST_CASE("slugify folds accents and ligatures, cuts at a word") {
    CHECK(util::slugify("Atelier Lumière") == "atelier-lumiere");
    CHECK(util::slugify("  Œuvres « coup de cœur » ! ") == "oeuvres-coup-de-coeur");
    CHECK(util::slugify("🎄✨") == "");
    CHECK(util::slugify("Décembre commence : nos lampes", 20) == "decembre-commence");
    CHECK(util::slugify("Straße") == "strasse");
}
