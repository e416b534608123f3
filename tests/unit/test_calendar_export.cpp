// plan export's documents: iCalendar read back with a small RFC 5545 reader, CSV and JSON.
#include <doctest/doctest.h>

#include <date/date.h>
#include <date/tz.h>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/export.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/util/csv.hpp"
#include "ics_reader.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

struct Fixture {
    test::TempDir dir;
    WorkspaceConfig ws;
    std::vector<Post> posts;

    Fixture(const std::string& name, const std::string& calendar,
            const std::string& workspace = test::contract_workspace_yaml())
        : dir(name) {
        dir.write("cmtool.yaml", workspace);
        Diagnostics d;
        auto loaded = load_workspace(dir.path(), d);
        REQUIRE(loaded);
        ws = *loaded;
        Diagnostics pd;
        posts = parse_calendar(calendar, "calendar/2026/07.yaml", ws, pd).posts;
        REQUIRE(pd.error_count() == 0);
    }
    std::string ics(std::chrono::sys_seconds now = std::chrono::sys_seconds{
                        date::sys_days{date::year{2026} / 6 / 1}}) const {
        return export_ics(export_occurrences(posts, ws, {}), ws, now);
    }
};

const char* k_long_text =
    "Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain 🕯️ Les artisans de "
    "l'atelier ont préparé une sélection « coup de cœur » ; livraison offerte dès 50 €, "
    "emballage cadeau en papier recyclé, et un mot écrit à la main pour chaque commande. "
    "Œuvres numérotées, réparables à vie 👨‍👩‍👧‍👦✨";

std::string two_seasons_calendar() {
    return std::string(R"(posts:
  - id: ete
    at: 2026-07-14 09:00
    channels: [masto, bsky]
    category: promo
    campaign: "soldes, été"
    text: |
      )") + k_long_text +
           R"(
      Deuxième ligne \ avec ; et , dedans
    link: https://atelier.example/ete
    notes: relire avec Camille
  - id: hiver
    at: 2026-12-04 18:30
    channels: [masto]
    status: draft
    text: Soirée d'hiver
)";
}

// Offset in force at a local time according to the VTIMEZONE's observances.
std::string offset_at(const test::IcsComponent& vtz, const std::string& local) {
    std::string best_start, best_offset;
    for (const auto& obs : vtz.children) {
        const auto start = obs.value("DTSTART");
        if (start <= local && start >= best_start) {
            best_start = start;
            best_offset = obs.value("TZOFFSETTO");
        }
    }
    return best_offset;
}

}  // namespace

TEST_CASE("export ics: layout, required properties, folding that keeps UTF-8 whole") {
    Fixture f("export-ics-layout", two_seasons_calendar());
    const std::string doc = f.ics();
    const auto problems = test::ics_layout_problems(doc);
    CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : problems.front()));
    const auto cal = test::ics_parse(doc);
    CHECK(cal.name == "VCALENDAR");
    CHECK(cal.value("VERSION") == "2.0");
    CHECK(!cal.value("PRODID").empty());
    CHECK(cal.value("CALSCALE") == "GREGORIAN");
    CHECK(cal.value("METHOD") == "PUBLISH");
    CHECK(test::ics_unescape(cal.value("X-WR-CALNAME")) == "Atelier Lumière");
    CHECK(cal.value("X-WR-TIMEZONE") == "Europe/Paris");
    const auto events = cal.all("VEVENT");
    REQUIRE(events.size() == 2);
    for (const auto* e : events) {
        CHECK(!e->value("UID").empty());
        CHECK(e->value("DTSTAMP") == "20260601T000000Z");
        CHECK(e->prop("DTSTART") != nullptr);
        CHECK(e->value("DURATION") == "PT15M");
    }
    const auto& ete = *events[0];
    CHECK(ete.value("UID") == "ete@atelier-lumiere.cmtool");
    CHECK(test::ics_unescape(ete.value("SUMMARY")).rfind("[masto, bsky] Vendredi noir", 0) == 0);
    const auto description = test::ics_unescape(ete.value("DESCRIPTION"));
    CHECK(description.find(k_long_text) != std::string::npos);
    CHECK(description.find("Deuxième ligne \\ avec ; et , dedans") != std::string::npos);
    CHECK(description.find("relire avec Camille") != std::string::npos);  // notes: for the team
    CHECK(ete.value("CATEGORIES") == "promo,soldes\\, été");
    CHECK(ete.value("STATUS") == "CONFIRMED");
    CHECK(ete.value("URL") == "https://atelier.example/ete");
    CHECK(events[1]->value("STATUS") == "TENTATIVE");
}

TEST_CASE("export ics: TZID names a VTIMEZONE whose offsets are right in July and December") {
    Fixture f("export-ics-tz", two_seasons_calendar());
    const auto cal = test::ics_parse(f.ics());
    const auto zones = cal.all("VTIMEZONE");
    REQUIRE(zones.size() == 1);
    CHECK(zones[0]->value("TZID") == "Europe/Paris");
    const auto events = cal.all("VEVENT");
    REQUIRE(events.size() == 2);
    const auto* july = events[0]->prop("DTSTART");
    const auto* december = events[1]->prop("DTSTART");
    CHECK(july->params.at("TZID") == "Europe/Paris");
    CHECK(july->value == "20260714T090000");
    CHECK(december->params.at("TZID") == "Europe/Paris");
    CHECK(december->value == "20261204T183000");
    CHECK(offset_at(*zones[0], july->value) == "+0200");
    CHECK(offset_at(*zones[0], december->value) == "+0100");
    // The changes themselves, in local time before each change.
    std::vector<std::string> changes;
    for (const auto& obs : zones[0]->children) {
        changes.push_back(obs.name + " " + obs.value("DTSTART") + " " + obs.value("TZOFFSETFROM") +
                          ">" + obs.value("TZOFFSETTO"));
    }
    CHECK(changes == std::vector<std::string>{"STANDARD 20251026T030000 +0200>+0100",
                                              "DAYLIGHT 20260329T020000 +0100>+0200",
                                              "STANDARD 20261025T030000 +0200>+0100"});
}

TEST_CASE("export ics: UIDs are stable across exports, recurring posts are expanded") {
    Fixture f("export-ics-uid", R"(posts:
  - id: coulisses
    at: 2026-10-16 09:00
    channels: [masto]
    text: Les coulisses du vendredi
    repeat: {every: week, count: 3}
)");
    const auto a = test::ics_parse(f.ics());
    const auto b =
        test::ics_parse(f.ics(std::chrono::sys_seconds{date::sys_days{date::year{2026} / 9 / 1}}));
    std::vector<std::string> uids_a, uids_b, starts;
    for (const auto* e : a.all("VEVENT")) {
        uids_a.push_back(e->value("UID"));
        starts.push_back(e->value("DTSTART"));
    }
    for (const auto* e : b.all("VEVENT")) {
        uids_b.push_back(e->value("UID"));
    }
    CHECK(uids_a == std::vector<std::string>{"coulisses@2026-10-16@atelier-lumiere.cmtool",
                                             "coulisses@2026-10-23@atelier-lumiere.cmtool",
                                             "coulisses@2026-10-30@atelier-lumiere.cmtool"});
    CHECK(uids_a == uids_b);
    // 09:00 local on both sides of the 25 October change.
    CHECK(starts ==
          std::vector<std::string>{"20261016T090000", "20261023T090000", "20261030T090000"});
    CHECK(a.all("VEVENT")[0]->value("DTSTAMP") != b.all("VEVENT")[0]->value("DTSTAMP"));
}

TEST_CASE("export ics: a UTC workspace writes Z times and no VTIMEZONE") {
    std::string ws = test::contract_workspace_yaml();
    ws.replace(ws.find("Europe/Paris"), 12, "UTC");
    Fixture f("export-ics-utc", R"(posts:
  - id: a
    at: 2026-07-14 09:00
    channels: [masto]
    text: Bonjour
)",
              ws);
    const auto cal = test::ics_parse(f.ics());
    CHECK(cal.all("VTIMEZONE").empty());
    CHECK(cal.all("VEVENT")[0]->value("DTSTART") == "20260714T090000Z");
    CHECK(cal.all("VEVENT")[0]->prop("DTSTART")->params.empty());
}

TEST_CASE("export ics: the second 02:30 of a DST end is written in UTC") {
    Fixture f("export-ics-ambiguous", R"(posts:
  - id: tard
    at: 2026-10-25T02:30:00+01:00
    channels: [masto]
    text: Bonjour
)");
    const auto cal = test::ics_parse(f.ics());
    CHECK(cal.all("VEVENT")[0]->value("DTSTART") == "20261025T013000Z");
}

TEST_CASE("ics_escape and ics_fold") {
    const std::string text = "a\\b;c,d\ne\r\nf\x01g";
    CHECK(ics_escape(text) == "a\\\\b\\;c\\,d\\ne\\nfg");
    CHECK(test::ics_unescape(ics_escape("x\\;,\ny")) == "x\\;,\ny");
    CHECK(ics_fold(std::string(75, 'a')) == std::string(75, 'a') + "\r\n");
    CHECK(ics_fold(std::string(76, 'a')) == std::string(75, 'a') + "\r\n a\r\n");
    // "é" (2 octets) straddling octet 75 moves to the next line whole.
    const std::string accented = std::string(74, 'a') + "é";
    CHECK(ics_fold(accented) == std::string(74, 'a') + "\r\n é\r\n");
    // An escape is not cut between its backslash and its letter.
    const std::string escaped = std::string(74, 'a') + "\\n";
    CHECK(ics_fold(escaped) == std::string(74, 'a') + "\r\n \\n\r\n");
}

TEST_CASE("export csv and json: one entry per post with every field") {
    Fixture f("export-csv", two_seasons_calendar() + R"(    media:
      - {file: media/a.jpg, alt: "Une lampe"}
    thread: ["suite 1", "suite 2"]
    variants:
      masto: {text: "Court"}
    repeat: {every: week, count: 2}
)");
    std::vector<const Post*> all;
    for (const auto& p : f.posts) {
        all.push_back(&p);
    }
    auto records = util::parse_csv(export_csv(all, f.ws));
    REQUIRE(records);
    REQUIRE(records->size() == 3);
    CHECK((*records)[0].fields == export_csv_columns());
    const auto& ete = (*records)[1].fields;
    CHECK(ete[0] == "ete");
    CHECK(ete[1] == "2026-07-14T09:00:00+02:00");
    CHECK(ete[2] == "masto bsky");
    CHECK(ete[6].find("Deuxième ligne") != std::string::npos);
    CHECK(ete[11] == "relire avec Camille");
    CHECK(ete[13] == "calendar/2026/07.yaml");
    const auto& hiver = (*records)[2].fields;
    CHECK(hiver[3] == "draft");
    CHECK(nlohmann::json::parse(hiver[8]) ==
          nlohmann::json::parse(R"([{"file":"media/a.jpg","alt":"Une lampe"}])"));
    CHECK(nlohmann::json::parse(hiver[9]) == nlohmann::json::parse(R"(["suite 1","suite 2"])"));
    CHECK(nlohmann::json::parse(hiver[10])["masto"]["text"] == "Court");
    CHECK(nlohmann::json::parse(hiver[12])["count"] == 2);
    const auto j = export_json(all, f.ws);
    CHECK(j["workspace"]["timezone"] == "Europe/Paris");
    CHECK(j["posts"].size() == 2);
    CHECK(j["posts"][1]["repeat"]["every"] == "week");
}

TEST_CASE("export selection: a period keeps posts with an occurrence in it") {
    Fixture f("export-select", two_seasons_calendar());
    ExportSelection sel;
    auto december = parse_month("2026-12", *f.ws.zone);
    REQUIRE(december);
    sel.period = *december;
    const auto posts = export_posts(f.posts, f.ws, sel);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0]->id == "hiver");
    sel.period.reset();
    sel.filter.statuses = {"ready"};
    CHECK(export_posts(f.posts, f.ws, sel).size() == 1);
    CHECK(export_occurrences(f.posts, f.ws, sel).front().post->id == "ete");
}
