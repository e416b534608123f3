// build_report on the seeded fixture: every hand-computed figure of expected.json (the
// arithmetic is in tests/data/report/expected.md), campaigns, best times and empty stores.
#include <date/tz.h>
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmtool/calendar/period.hpp"
#include "cmtool/report/render.hpp"
#include "report_fixture.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

// Every value of `expected` is in `actual` at the same place, exactly; arrays have the same
// length. Returns the path of the first difference, or empty.
std::string first_difference(const json& expected, const json& actual, const std::string& path) {
    if (expected.is_object()) {
        if (!actual.is_object()) {
            return path + " is not an object";
        }
        for (const auto& [key, value] : expected.items()) {
            if (!actual.contains(key)) {
                return path + "." + key + " is missing";
            }
            auto d = first_difference(value, actual.at(key), path + "." + key);
            if (!d.empty()) {
                return d;
            }
        }
        return {};
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) {
            return fmt::format("{}: expected {} items, got {}", path, expected.size(),
                               actual.dump());
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            auto d = first_difference(expected[i], actual[i], fmt::format("{}[{}]", path, i));
            if (!d.empty()) {
                return d;
            }
        }
        return {};
    }
    const bool same = expected.is_number() && actual.is_number()
                          ? expected.get<double>() == actual.get<double>()
                          : expected == actual;
    return same ? std::string()
                : fmt::format("{}: expected {}, got {}", path, expected.dump(), actual.dump());
}

calendar::Period week(const test::ReportFixture& f, const char* w) {
    auto p = calendar::parse_week(w, *f.ws.zone);
    REQUIRE(p.has_value());
    return *p;
}

}  // namespace

TEST_CASE("report: every figure of the seeded week matches the hand-computed expected.json") {
    test::ReportFixture f("report-build");
    auto r = f.build(report::default_report_period(test::k_report_now, *f.ws.zone));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    CHECK(r->period.label == "2026-W47");
    const auto actual = report::report_json(*r, f.ws);
    auto text = util::read_file(test::k_report_data / "expected.json");
    REQUIRE(text.has_value());
    const auto expected = json::parse(*text);
    const auto diff = first_difference(expected, actual, "report");
    CHECK_MESSAGE(diff.empty(), diff);
}

TEST_CASE("report: unavailable figures are null, never 0") {
    test::ReportFixture f("report-null");
    auto r = f.build(week(f, "2026-W47"));
    REQUIRE(r.has_value());
    CHECK_FALSE(r->totals.views.has_value());
    for (const auto& p : r->posts) {
        CHECK_FALSE(p.counters.views.has_value());
        CHECK_FALSE(p.counters.bookmarks.has_value());
    }
    const auto j = report::report_json(*r, f.ws);
    CHECK(j["totals"]["views"].is_null());
    CHECK(j["changes"]["views"].is_null());
}

TEST_CASE("report: --compare none leaves the previous period out") {
    test::ReportFixture f("report-nocompare");
    auto r = f.build(week(f, "2026-W47"), report::Compare::none);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->previous.has_value());
    const auto j = report::report_json(*r, f.ws);
    CHECK(j["previous"].is_null());
    CHECK_FALSE(j.contains("changes"));
    CHECK_FALSE(j["channels"][0].contains("previous"));
}

TEST_CASE("report: a campaign is reported over its whole span, with its posts only") {
    test::ReportFixture f("report-campaign");
    auto span = report::campaign_period(f.posts, f.ws, "noel-2026");
    REQUIRE(span.has_value());
    CHECK(span->label == "noel-2026");
    CHECK(date::format("%F", span->first_day) == "2026-11-16");
    CHECK(date::format("%F", span->last_day) == "2026-11-16");
    auto r = f.build(*span, report::Compare::none, "noel-2026");
    REQUIRE(r.has_value());
    CHECK(r->totals.posts == 2);
    // As of now, not of the campaign's last day: post 11's 11-24 snapshot (37) + post 12 (12).
    CHECK(r->cut == test::k_report_now);
    CHECK(r->totals.engagements == 49);
    CHECK(r->adherence.planned == 2);
    CHECK(r->adherence.on_time == 1);
    CHECK(r->adherence.late == 1);

    auto unknown = report::campaign_period(f.posts, f.ws, "paques");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == ErrorCode::not_found);
    CHECK(unknown.error().hint.find("noel-2026") != std::string::npos);
}

TEST_CASE("report: an empty store is a report without metrics, not an error") {
    test::ReportFixture f("report-empty", false);
    auto r = f.build(week(f, "2026-W47"));
    REQUIRE(r.has_value());
    CHECK_FALSE(r->has_metrics());
    CHECK(r->totals.posts == 0);
    CHECK_FALSE(r->totals.engagements.has_value());
    CHECK_FALSE(r->totals.rate.has_value());
    // Nothing was ever published by cmtool: no channel to hold the plan against.
    CHECK(r->adherence.planned == 0);
    const auto j = report::report_json(*r, f.ws);
    CHECK(j["has_metrics"] == false);
    CHECK(j["changes"]["engagements"].is_null());
}

TEST_CASE("report: a period still running counts what is due and leaves the rest pending") {
    test::ReportFixture f("report-running");
    // W47 seen from Friday 20 November 12:30 Paris: inspi/bsky failed at 12:00, and manquee
    // (tomorrow) has no delivery yet.
    test::exec_sql(f.store.file(), "DELETE FROM deliveries WHERE id = 7");
    report::ReportOptions o;
    o.period = week(f, "2026-W47");
    const std::chrono::sys_seconds friday{std::chrono::seconds{1795174200}};
    auto r = report::build_report(f.ws, f.posts, f.store, o, friday);
    REQUIRE(r.has_value());
    CHECK(r->cut == friday);
    CHECK(r->adherence.pending == 1);
    CHECK(r->adherence.missed == 0);
    CHECK(r->adherence.on_time_share == doctest::Approx(3.0 / 5.0));
    // Counters as of Friday 12:30: post 11's 11-17 snapshot (6), not the later ones.
    REQUIRE_FALSE(r->posts.empty());
    CHECK(r->posts[0].engagements == 6);
}

TEST_CASE("report: best times need enough history and name the best slot") {
    test::ReportFixture f("report-best", false);
    // 24 posts on masto over 12 weeks: Tuesdays 10:00 (rate 5 %) and Thursdays 18:00 (1 %).
    std::string sql =
        "INSERT INTO metric_sources (id, platform, mapping) VALUES (1, 'mastodon', 'x');"
        "INSERT INTO account_snapshots (account, platform, taken_at, followers, source) VALUES "
        "('masto', 'mastodon', 1780000000, 1000, 1);";
    const date::local_days first_tuesday{date::year{2026} / 9 / 1};
    auto at = [&f](date::local_days day, int hour) {
        const auto local = date::local_seconds{day.time_since_epoch()} + std::chrono::hours{hour};
        return f.ws.zone->to_sys(local).time_since_epoch().count();
    };
    for (int i = 0; i < 12; ++i) {
        const auto tue = at(first_tuesday + date::weeks{i}, 10);
        const auto thu = at(first_tuesday + date::weeks{i} + date::days{2}, 18);
        for (const auto& [id, published, likes] :
             {std::tuple{100 + 2 * i, tue, 50}, std::tuple{101 + 2 * i, thu, 10}}) {
            sql += fmt::format(
                "INSERT INTO tracked_posts (id, account, platform, remote_id, published_at, "
                "first_seen) VALUES ({0}, 'masto', 'mastodon', '{0}', {1}, {1});"
                "INSERT INTO post_snapshots (post, taken_at, likes, source) VALUES ({0}, {2}, "
                "{3}, 1);",
                id, published, published + 3600, likes);
        }
    }
    test::exec_sql(f.store.file(), sql);
    auto r = f.build(week(f, "2026-W47"));
    REQUIRE(r.has_value());
    REQUIRE(r->best_times.size() == 1);
    const auto& b = r->best_times[0];
    CHECK(b.posts == 24);
    CHECK(b.enough);
    REQUIRE(b.best_weekday.has_value());
    CHECK(*b.best_weekday == 1);
    CHECK(*b.best_hour == 10);
    CHECK(b.cells[1][10].posts == 12);
    CHECK(*b.cells[1][10].rate == doctest::Approx(0.05));
    CHECK(b.cells[3][18].posts == 12);
}
