#include <doctest/doctest.h>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/recurrence.hpp"
#include "cmtool/calendar/render.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;
using namespace std::chrono_literals;

namespace {

WorkspaceConfig contract_ws(const test::TempDir& dir) {
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    Diagnostics d;
    auto ws = load_workspace(dir.path(), d);
    REQUIRE(ws);
    return *ws;
}

const char* k_contract_post = R"(posts:
  - id: bf-teaser
    at: 2026-11-27 09:00          # or 2026-11-27T09:00:00+01:00
    channels: [masto, bsky, linkedin]
    status: ready                 # draft | ready | cancelled (default ready); only ready is published
    category: promo
    campaign: black-friday-2026
    text: |
      Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain 🕯️
    link: https://atelier.example/bf   # appended to the text when published
    media:
      - {file: media/teaser.jpg, alt: "Lampe en laiton allumée sur une table en chêne"}
    thread:                       # follow-up posts, published as replies in order
      - "Livraison offerte dès 50 €."
    variants:                     # per-channel overrides of text / thread / media / link
      linkedin: {text: "Nos artisans ont préparé ..."}
    notes: internal, never published
)";

}  // namespace

TEST_CASE("the contract post loads with every key") {
    test::TempDir dir("load-contract");
    const auto ws = contract_ws(dir);
    Diagnostics diags;
    const auto cf = parse_calendar(k_contract_post, "calendar/2026/11.yaml", ws, diags);
    CHECK(diags.findings().empty());
    REQUIRE(cf.posts.size() == 1);
    const Post& p = cf.posts[0];
    CHECK(p.id == "bf-teaser");
    CHECK(p.channels == std::vector<std::string>{"masto", "bsky", "linkedin"});
    CHECK(p.status == PostStatus::ready);
    CHECK(p.category == "promo");
    CHECK(p.campaign == "black-friday-2026");
    CHECK(p.text == "Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain 🕯️\n");
    CHECK(p.link == "https://atelier.example/bf");
    REQUIRE(p.media.size() == 1);
    CHECK(p.media[0].alt == "Lampe en laiton allumée sur une table en chêne");
    CHECK(p.thread == std::vector<std::string>{"Livraison offerte dès 50 €."});
    REQUIRE(p.variant_for("linkedin") != nullptr);
    CHECK(p.notes == "internal, never published");
    // 09:00 in Paris in November is 08:00 UTC.
    CHECK(p.at.utc == date::sys_days{date::year{2026} / 11 / 27} + 8h);
    CHECK(p.where("at").line == 3);
    CHECK(p.where("at").column == 9);
    CHECK(p.channel_pos.size() == 3);
    CHECK(p.channel_pos[1].column == 23);
}

TEST_CASE("render applies the variant, the link and UTM parameters") {
    test::TempDir dir("load-render");
    auto ws = contract_ws(dir);
    Diagnostics diags;
    const auto cf = parse_calendar(k_contract_post, "c.yaml", ws, diags);
    const Post& p = cf.posts.at(0);
    const Rendered masto = render(p, "masto", ws);
    CHECK(masto.text ==
          "Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain "
          "🕯️\n\nhttps://atelier.example/bf");
    CHECK(render(p, "linkedin", ws).text ==
          "Nos artisans ont préparé ...\n\nhttps://atelier.example/bf");
    ws.utm.enabled = true;
    ws.utm.medium = "social";
    const Rendered with_utm = render(p, "bsky", ws);
    CHECK(with_utm.link ==
          "https://atelier.example/"
          "bf?utm_source=bluesky&utm_medium=social&utm_campaign=black-friday-2026");
    CHECK(add_utm("https://a.example/x?utm_source=keep#top", ws.utm, "mastodon", "") ==
          "https://a.example/x?utm_source=keep&utm_medium=social#top");
}

TEST_CASE("times: offsets, DST gap, ambiguity, impossible dates") {
    test::TempDir dir("load-times");
    const auto ws = contract_ws(dir);
    auto resolve = [&](std::string_view t, Diagnostics& d) {
        return resolve_time(t, ws, d, "f.yaml", Pos{1, 1}, "p");
    };
    Diagnostics d1;
    auto t1 = resolve("2026-11-27T09:00:00+01:00", d1);
    REQUIRE(t1);
    CHECK(t1->utc == date::sys_days{date::year{2026} / 11 / 27} + 8h);
    CHECK(t1->has_offset);
    auto tz = resolve("2026-07-01T12:30Z", d1);
    REQUIRE(tz);
    CHECK(tz->utc == date::sys_days{date::year{2026} / 7 / 1} + 12h + 30min);
    CHECK(d1.findings().empty());

    Diagnostics gap;
    CHECK_FALSE(resolve("2026-03-29 02:30", gap));
    REQUIRE(gap.findings().size() == 1);
    CHECK(gap.findings()[0].rule == "nonexistent-time");
    CHECK(gap.findings()[0].severity == Severity::error);

    Diagnostics amb;
    auto t2 = resolve("2026-10-25 02:30", amb);
    REQUIRE(t2);  // still usable: the first instant (summer time, UTC+2)
    CHECK(t2->utc == date::sys_days{date::year{2026} / 10 / 25} + 30min);
    REQUIRE(amb.findings().size() == 1);
    CHECK(amb.findings()[0].rule == "ambiguous-time");
    CHECK(amb.findings()[0].severity == Severity::warning);
    Diagnostics amb_ok;
    CHECK(resolve("2026-10-25T02:30:00+01:00", amb_ok));
    CHECK(amb_ok.findings().empty());

    for (const char* bad : {"2026-02-30 10:00", "2026-13-01 10:00", "2026-11-27",
                            "27/11/2026 09:00", "2026-11-27 25:00", "2026-11-27T09:00+1"}) {
        Diagnostics d;
        CAPTURE(bad);
        CHECK_FALSE(resolve(bad, d));
        REQUIRE(d.findings().size() == 1);
        CHECK(d.findings()[0].rule == "invalid-date");
    }
}

TEST_CASE("recurring posts step in local time across DST") {
    test::TempDir dir("load-repeat");
    const auto ws = contract_ws(dir);
    Diagnostics diags;
    const auto cf = parse_calendar(R"(posts:
  - id: coulisses
    at: 2026-10-16 18:00
    channels: [masto]
    text: Les coulisses du vendredi
    repeat: {every: week, count: 3}
  - id: monthly
    at: 2026-01-31 10:00
    channels: [masto]
    text: Fin de mois
    repeat: {every: month, until: 2026-04-30}
)",
                                   "c.yaml", ws, diags);
    CHECK(diags.findings().empty());
    REQUIRE(cf.posts.size() == 2);
    const auto occ = occurrences(cf.posts[0], ws);
    REQUIRE(occ.size() == 3);
    CHECK(occ[0].id == "coulisses@2026-10-16");
    CHECK(occ[2].id == "coulisses@2026-10-30");
    // 18:00 Paris is 16:00 UTC before 25 October and 17:00 UTC after.
    CHECK(occ[0].at.utc == date::sys_days{date::year{2026} / 10 / 16} + 16h);
    CHECK(occ[2].at.utc == date::sys_days{date::year{2026} / 10 / 30} + 17h);
    const auto months = occurrences(cf.posts[1], ws);
    REQUIRE(months.size() == 4);  // Jan 31, Feb 28 (clamped), Mar 31, Apr 30 (until is inclusive)
    CHECK(months[1].id == "monthly@2026-02-28");
    CHECK(months[3].id == "monthly@2026-04-30");
    CHECK(base_post_id(months[1].id) == "monthly");
}

TEST_CASE("types, unknown keys and missing keys are findings with positions") {
    test::TempDir dir("load-types");
    const auto ws = contract_ws(dir);
    Diagnostics diags;
    const auto cf = parse_calendar(R"(posts:
  - id: a
    at: 2026-11-27 09:00
    chanels: [masto]
    status: publish
  - at: 2026-11-28 09:00
    channels: masto
  - id: "bad id"
    at: 2026-11-29 09:00
    channels: [masto]
    text: [not, text]
)",
                                   "c.yaml", ws, diags);
    std::vector<std::string> got;
    for (const auto& f : diags.findings()) {
        got.push_back(fmt::format("{}:{}:{}", f.rule, f.pos.line, f.pos.column));
    }
    // `chanels` is reported once, as a typo of `channels`, not also as a missing `channels`.
    CHECK(got == std::vector<std::string>{"unknown-key:4:5", "invalid-value:5:13", "type:7:15",
                                          "required:6:5", "invalid-id:8:9", "type:11:11"});
    CHECK(diags.findings()[0].hint == "did you mean `channels`?");
    CHECK(cf.posts.size() == 2);  // the one without an id cannot be referred to
}
