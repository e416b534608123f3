// plan diff, library side: word diff, post comparison, revisions read from git objects.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/diff.hpp"
#include "cmtool/calendar/diff_format.hpp"
#include "cmtool/calendar/load.hpp"
#include "git_fixture.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

WorkspaceConfig load_ws(const std::filesystem::path& root) {
    Diagnostics d;
    auto ws = load_workspace(root, d);
    REQUIRE(ws);
    return *ws;
}

std::vector<Post> parse(const char* yaml, const WorkspaceConfig& ws) {
    Diagnostics d;
    auto cf = parse_calendar(yaml, "calendar/test.yaml", ws, d);
    REQUIRE(d.error_count() == 0);
    return cf.posts;
}

std::vector<std::string> ids(const std::vector<Post>& posts) {
    std::vector<std::string> out;
    for (const auto& p : posts) {
        out.push_back(p.id);
    }
    return out;
}

const PostChange* find_change(const CalendarDiff& d, const std::string& id) {
    const auto it = std::find_if(d.changed.begin(), d.changed.end(),
                                 [&](const PostChange& c) { return c.id == id; });
    return it == d.changed.end() ? nullptr : &*it;
}

// Every category of k_calendar_v1 → k_calendar_v2, with exact ids.
void check_v1_to_v2(const CalendarDiff& d) {
    CHECK(ids(d.added) == std::vector<std::string>{"nouveau"});
    CHECK(ids(d.removed) == std::vector<std::string>{"adieu"});
    std::vector<std::string> changed;
    for (const auto& c : d.changed) {
        changed.push_back(c.id);
    }
    CHECK(changed == std::vector<std::string>{"bouge", "cible", "texte", "statut", "champs"});
    const auto* bouge = find_change(d, "bouge");
    REQUIRE(bouge != nullptr);
    CHECK(bouge->moved);
    CHECK(bouge->fields.empty());
    const auto* cible = find_change(d, "cible");
    REQUIRE(cible != nullptr);
    CHECK(cible->channels_added == std::vector<std::string>{"bsky", "linkedin"});
    CHECK(cible->channels_removed == std::vector<std::string>{"x"});
    CHECK_FALSE(cible->moved);
    const auto* statut = find_change(d, "statut");
    REQUIRE(statut != nullptr);
    CHECK(statut->status_changed);
    CHECK(statut->after.status == PostStatus::ready);
    const auto* champs = find_change(d, "champs");
    REQUIRE(champs != nullptr);
    CHECK(champs->fields == std::vector<std::string>{"category", "campaign"});
    const auto* texte = find_change(d, "texte");
    REQUIRE(texte != nullptr);
    CHECK(texte->text.size() == 16);
}

}  // namespace

TEST_CASE("diff: word diff keeps punctuation on words and groups replacements") {
    CHECK(split_words("  Vendredi noir,\nlumière douce : -20 %  ") ==
          std::vector<std::string>{"Vendredi", "noir,", "lumière", "douce", ":", "-20", "%"});
    const auto d = word_diff("Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain",
                             "Vendredi blanc, lumière douce : -30 % sur toutes nos lampes ce soir");
    using W = WordEdit;
    const std::vector<WordEdit> expected = {
        W{WordOp::same, "Vendredi"}, W{WordOp::removed, "noir,"},  W{WordOp::added, "blanc,"},
        W{WordOp::same, "lumière"},  W{WordOp::same, "douce"},     W{WordOp::same, ":"},
        W{WordOp::removed, "-20"},   W{WordOp::added, "-30"},      W{WordOp::same, "%"},
        W{WordOp::same, "sur"},      W{WordOp::same, "toutes"},    W{WordOp::same, "nos"},
        W{WordOp::same, "lampes"},   W{WordOp::removed, "demain"}, W{WordOp::added, "ce"},
        W{WordOp::added, "soir"}};
    CHECK(d == expected);
    CHECK(word_diff("a b c", "a b c") ==
          std::vector<WordEdit>{{WordOp::same, "a"}, {WordOp::same, "b"}, {WordOp::same, "c"}});
    CHECK(word_diff("", "neuf") == std::vector<WordEdit>{{WordOp::added, "neuf"}});
    CHECK(word_diff("x a y", "a") == std::vector<WordEdit>{{WordOp::removed, "x"},
                                                           {WordOp::same, "a"},
                                                           {WordOp::removed, "y"}});
}

TEST_CASE("diff: very long rewritten texts skip the LCS past the cell cap") {
    std::string before = "début";
    std::string after = "début";
    for (int i = 0; i < 2500; ++i) {
        before += fmt::format(" a{}", i);
        after += fmt::format(" b{}", i);
    }
    before += " fin";
    after += " fin";
    const auto d = word_diff(before, after);
    REQUIRE(d.size() == 5002);
    CHECK(d.front() == WordEdit{WordOp::same, "début"});
    CHECK(d[1] == WordEdit{WordOp::removed, "a0"});
    CHECK(d[2501] == WordEdit{WordOp::added, "b0"});
    CHECK(d.back() == WordEdit{WordOp::same, "fin"});
}

TEST_CASE("diff: posts compared by id, recurring posts as posts, whitespace-only edits") {
    test::TempDir dir("diff-posts");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto ws = load_ws(dir.path());
    check_v1_to_v2(diff_posts(parse(test::k_calendar_v1, ws), parse(test::k_calendar_v2, ws)));
    CHECK(diff_posts(parse(test::k_calendar_v1, ws), parse(test::k_calendar_v1, ws)).empty());

    const auto weekly = parse(R"(posts:
  - id: hebdo
    at: 2026-11-02 09:00
    channels: [masto]
    text: "Chaque lundi\n"
    repeat: {every: week, count: 4}
)",
                              ws);
    const auto longer = parse(R"(posts:
  - id: hebdo
    at: 2026-11-02 09:00
    channels: [masto]
    text: "Chaque   lundi"
    repeat: {every: week, count: 8}
)",
                              ws);
    const auto d = diff_posts(weekly, longer);
    CHECK(d.added.empty());
    CHECK(d.removed.empty());
    REQUIRE(d.changed.size() == 1);
    CHECK(d.changed[0].id == "hebdo");
    CHECK(d.changed[0].text.empty());
    CHECK(d.changed[0].fields == std::vector<std::string>{"repeat", "text (whitespace)"});
}

TEST_CASE("diff: two commits, then HEAD against the working tree, without touching either") {
    test::TempDir dir("diff-git");
    const auto repo = test::diff_repo(dir.path(), "", test::contract_workspace_yaml());
    const auto ws = load_ws(repo.workspace);

    auto between = diff_revisions(ws, repo.first, repo.second);
    REQUIRE(between);
    CHECK(between->base.commit == repo.first);
    CHECK(between->head.commit == repo.second);
    CHECK(between->base.label == fmt::format("{} ({})", repo.first, repo.first.substr(0, 7)));
    check_v1_to_v2(between->diff);

    auto named = diff_revisions(ws, "HEAD~1", "main");
    REQUIRE(named);
    CHECK(named->base.label == fmt::format("HEAD~1 ({})", repo.first.substr(0, 7)));
    check_v1_to_v2(named->diff);

    // An uncommitted edit and an untracked file are part of the working tree.
    dir.write("calendar/2026/11.yaml", std::string(test::k_calendar_v2) +
                                           "  - id: brouillon-local\n"
                                           "    at: 2026-12-01 10:00\n"
                                           "    channels: [masto]\n"
                                           "    text: Pas encore commité.\n");
    dir.write("calendar/2026/12.yaml",
              "posts:\n  - id: decembre\n    at: 2026-12-02 10:00\n    channels: [masto]\n"
              "    text: Fichier non suivi.\n");
    const auto status_before = test::git(dir.path(), "status --porcelain");
    const auto times_before = test::mtimes(dir.path());
    auto worktree = diff_revisions(ws, "HEAD", "");
    REQUIRE(worktree);
    CHECK(test::mtimes(dir.path()) == times_before);
    CHECK(test::git(dir.path(), "status --porcelain") == status_before);
    CHECK(worktree->head.label == "working tree");
    CHECK(worktree->head.commit.empty());
    CHECK(ids(worktree->diff.added) == std::vector<std::string>{"brouillon-local", "decembre"});
    CHECK(worktree->diff.removed.empty());
    CHECK(worktree->diff.changed.empty());

    // Default base on main itself: HEAD, compared with the working tree.
    auto defaults = diff_revisions(ws, "", "");
    REQUIRE(defaults);
    CHECK(defaults->base.commit == repo.second);
    CHECK(defaults->base.label.rfind("HEAD (", 0) == 0);
    CHECK(defaults->diff.added.size() == 2);
}

TEST_CASE("diff: default base is the merge base with main, a workspace in a subfolder") {
    test::TempDir dir("diff-sub");
    const auto repo = test::diff_repo(dir.path(), "site/planning", test::contract_workspace_yaml());
    const auto ws = load_ws(repo.workspace);
    auto between = diff_revisions(ws, repo.first, repo.second);
    REQUIRE(between);
    check_v1_to_v2(between->diff);

    // A feature branch forked at the first commit, while main moved on to the second.
    test::git(dir.path(), "checkout -q -b feature HEAD~1");
    const auto calendar = repo.workspace / "calendar" / "2026" / "11.yaml";
    auto r = util::write_file_atomic(calendar, test::k_calendar_v2);
    REQUIRE(r);
    test::commit_all(dir.path(), "feature work");
    auto feature = diff_revisions(ws, "", "");
    REQUIRE(feature);
    CHECK(feature->base.commit == repo.first);  // the fork point, not main's tip
    CHECK(feature->base.label == fmt::format("main (merge base {})", repo.first.substr(0, 7)));
    check_v1_to_v2(feature->diff);

    // A revision before the workspace existed has no posts.
    test::git(dir.path(), "checkout -q --orphan empty");
    test::git(dir.path(), "rm -rq --cached .");
    test::git(dir.path(), "commit -q --allow-empty -m empty");
    auto from_empty = diff_revisions(ws, "empty", repo.first);
    REQUIRE(from_empty);
    CHECK(from_empty->diff.added.size() == 7);
}

TEST_CASE("diff: not a repository is a configuration error, unknown revisions are named") {
    test::TempDir dir("diff-norepo");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto ws = load_ws(dir.path());
    auto none = diff_revisions(ws, "", "");
    REQUIRE_FALSE(none);
    CHECK(none.error().code == ErrorCode::config);
    CHECK_FALSE(none.error().hint.empty());

    test::git(dir.path(), "init -q");
    test::commit_all(dir.path(), "init");
    auto unknown = diff_revisions(ws, "no-such-branch", "");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::usage);
    CHECK(unknown.error().message.find("no-such-branch") != std::string::npos);
}

TEST_CASE("diff: renderers: text sections, Markdown tables and details, JSON") {
    test::TempDir dir("diff-render");
    dir.write("cmtool.yaml", test::contract_workspace_yaml() + "lang: fr\n");
    const auto ws = load_ws(dir.path());
    RevisionDiff r;
    r.base = DiffSide{"main (merge base 1234567)", "1234567890", 0};
    r.head = DiffSide{"working tree", "", 0};
    r.diff = diff_posts(parse(test::k_calendar_v1, ws), parse(test::k_calendar_v2, ws));

    const auto text = diff_text(r, ws, {});
    CHECK(text.find("1 added, 1 removed, 1 moved, 1 retargeted, 1 status changed, 1 text "
                    "edited, 1 other fields changed") != std::string::npos);
    CHECK(text.find("Vendredi [-noir,-] {+blanc,+} lumière douce : [--20-] {+-30+} % sur toutes "
                    "nos lampes [-demain-] {+ce soir+}") != std::string::npos);
    CHECK(text.find("~ bouge  mar. 24 nov. 2026 09:00 → mar. 24 nov. 2026 18:30") !=
          std::string::npos);
    CHECK(text.find("~ cible  +bsky +linkedin \u2212x") != std::string::npos);

    const auto md = diff_markdown(r, ws);
    CHECK(md.rfind("## Calendar changes\n", 0) == 0);
    CHECK(md.find("| Time | Post | Channels | Text |") != std::string::npos);
    CHECK(md.find("| lun. 30 nov. 2026 10:00 | `nouveau` | bsky, linkedin | Un nouveau post \\| "
                  "avec une barre |") != std::string::npos);
    CHECK(md.find("| `bouge` | mar. 24 nov. 2026 09:00 | mar. 24 nov. 2026 18:30 |") !=
          std::string::npos);
    CHECK(md.find("<details>\n<summary><code>texte</code>") != std::string::npos);
    CHECK(md.find("Vendredi ~~noir,~~ **blanc,** lumière") != std::string::npos);
    CHECK(md.find("| `statut` | status draft → ready |") != std::string::npos);

    const auto j = diff_json(r, ws);
    CHECK(j["base"]["commit"] == "1234567890");
    CHECK(j["head"]["commit"].is_null());
    CHECK(j["summary"]["added"] == 1);
    CHECK(j["added"][0]["id"] == "nouveau");
    CHECK(j["removed"][0]["id"] == "adieu");
    const auto& bouge = j["changed"][0];
    CHECK(bouge["id"] == "bouge");
    CHECK(bouge["changes"]["at"]["from"] == "2026-11-24T09:00:00+01:00");
    CHECK(bouge["changes"]["at"]["to"] == "2026-11-24T18:30:00+01:00");
    CHECK(j["changed"][1]["changes"]["channels"]["removed"] == nlohmann::json{"x"});
    CHECK(j["changed"][2]["changes"]["text"]["diff"][1] ==
          nlohmann::json{{"op", "removed"}, {"word", "noir,"}});
}

TEST_CASE("diff: text output cuts long unchanged stretches, Markdown escapes a list start") {
    test::TempDir dir("diff-context");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto ws = load_ws(dir.path());
    RevisionDiff r;
    r.base = DiffSide{"a", "", 0};
    r.head = DiffSide{"b", "", 0};
    r.diff = diff_posts(parse(R"(posts:
  - id: long
    at: 2026-11-02 09:00
    channels: [masto]
    text: "- w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 avant w11 w12 w13 w14 w15 w16 w17 w18 w19 w20"
)",
                              ws),
                        parse(R"(posts:
  - id: long
    at: 2026-11-02 09:00
    channels: [masto]
    text: "- w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 après w11 w12 w13 w14 w15 w16 w17 w18 w19 w20"
)",
                              ws));
    const auto text = diff_text(r, ws, {});
    CHECK(text.find("      … w5 w6 w7 w8 w9 w10 [-avant-] {+après+} w11 w12 w13 w14 w15 w16 …\n") !=
          std::string::npos);
    const auto md = diff_markdown(r, ws);
    CHECK(md.find("\n\\- w1 w2") != std::string::npos);
}
