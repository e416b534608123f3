// plan stats, library side: weeks × channels, editorial mix, usual weekdays and gaps, campaigns.
#include <doctest/doctest.h>

#include <date/tz.h>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/calendar/stats.hpp"
#include "cmtool/calendar/stats_format.hpp"
#include "stats_fixture.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

struct Fixture {
    test::TempDir dir{"stats"};
    WorkspaceConfig ws;
    std::vector<Post> posts;

    explicit Fixture(const std::string& extra_config = {}) {
        dir.write("cmtool.yaml", test::contract_workspace_yaml() + extra_config);
        dir.write("calendar/2026/posts.yaml", test::k_stats_calendar);
        Diagnostics d;
        auto loaded = load_workspace(dir.path(), d);
        REQUIRE(loaded);
        ws = *loaded;
        auto p = load_posts(ws, d);
        REQUIRE(p);
        REQUIRE(d.error_count() == 0);
        posts = *p;
    }

    PlanStats stats() const {
        auto period = resolve_period({"", "", "2026-11-30", "2026-12-13"}, {}, *ws.zone, 0);
        REQUIRE(period);
        return compute_stats(posts, ws, *period);
    }
};

date::local_days day(int y, unsigned m, unsigned d) {
    return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

const CategoryShare& mix_row(const PlanStats& s, const std::string& name) {
    for (const auto& m : s.mix) {
        if (m.name == name) {
            return m;
        }
    }
    FAIL("no mix row " << name);
    return s.mix.front();
}

}  // namespace

TEST_CASE("stats: posts per channel and ISO week, drafts apart, cancelled left out") {
    const Fixture f;
    const auto s = f.stats();
    CHECK(s.posts == 6);
    CHECK(s.drafts == 1);
    CHECK(s.cancelled == 1);
    CHECK(s.channels.front() == "masto");
    REQUIRE(s.weeks.size() == 2);
    CHECK(s.weeks[0].week == "2026-W49");
    CHECK(s.weeks[0].monday == day(2026, 11, 30));
    CHECK(s.weeks[0].posts == 3);
    CHECK(s.weeks[0].drafts == 0);
    CHECK(s.weeks[0].per_channel ==
          std::map<std::string, std::size_t>{{"masto", 3}, {"bsky", 1}, {"insta", 1}});
    CHECK(s.weeks[1].week == "2026-W50");
    CHECK(s.weeks[1].posts == 3);
    CHECK(s.weeks[1].drafts == 1);
    CHECK(s.weeks[1].per_channel == std::map<std::string, std::size_t>{{"masto", 1}, {"insta", 2}});
}

TEST_CASE("stats: editorial mix against targets, uncategorised posts, off-target flags") {
    const Fixture f;
    const auto s = f.stats();
    REQUIRE(s.mix.size() == 4);
    CHECK(s.mix[0].name == "inspiration");
    CHECK(s.mix[3].name == k_uncategorised);
    const auto& insp = mix_row(s, "inspiration");
    CHECK(insp.posts == 1);
    CHECK(insp.share == doctest::Approx(1.0 / 6));
    CHECK(*insp.target == doctest::Approx(0.4));
    CHECK(*insp.gap_points == doctest::Approx(-23.333).epsilon(0.001));
    CHECK(insp.off_target);
    const auto& bts = mix_row(s, "behind-the-scenes");
    CHECK(bts.posts == 2);
    CHECK(*bts.gap_points == doctest::Approx(3.333).epsilon(0.001));
    CHECK_FALSE(bts.off_target);
    const auto& promo = mix_row(s, "promo");
    CHECK(promo.posts == 2);
    CHECK(promo.off_target);
    const auto& none = mix_row(s, k_uncategorised);
    CHECK(none.posts == 1);
    CHECK_FALSE(none.target);
    CHECK_FALSE(none.gap_points);
}

TEST_CASE("stats: usual weekdays over the period and 4 weeks before, gaps on them") {
    const Fixture f;
    const auto s = f.stats();
    REQUIRE(s.usual.size() == 2);
    CHECK(s.usual[0].channel == "masto");
    CHECK(s.usual[0].weekday == 0);
    CHECK(s.usual[0].weeks_with_posts == 5);
    CHECK(s.usual[0].weeks == 6);
    CHECK(s.usual[1].channel == "bsky");
    CHECK(s.usual[1].weekday == 3);
    CHECK(s.usual[1].weeks_with_posts == 4);
    REQUIRE(s.gaps.size() == 3);
    CHECK(s.gaps[0].day == day(2026, 12, 3));
    CHECK(s.gaps[0].channel == "bsky");
    CHECK_FALSE(s.gaps[0].draft_planned);
    CHECK(s.gaps[1].day == day(2026, 12, 7));
    CHECK(s.gaps[1].channel == "masto");
    CHECK(s.gaps[2].day == day(2026, 12, 10));
    CHECK(s.gaps[2].draft_planned);
}

TEST_CASE("stats: campaign spans within the period") {
    const Fixture f;
    const auto s = f.stats();
    REQUIRE(s.campaigns.size() == 1);
    const auto& c = s.campaigns[0];
    CHECK(c.name == "noel-2026");
    CHECK(iso_local(c.first, f.ws) == "2026-12-01T10:00:00+01:00");
    CHECK(iso_local(c.last, f.ws) == "2026-12-12T11:00:00+01:00");
    CHECK(c.posts == 3);
    CHECK(c.channels == std::vector<std::string>{"masto", "bsky", "insta"});
}

TEST_CASE("stats: the default period is this ISO week and the next three") {
    const auto* zone = date::locate_zone("Europe/Paris");
    // Wednesday 2 December 2026, 12:00 in Paris.
    const auto now = std::chrono::sys_seconds{date::sys_days{date::year{2026} / 12 / 2}} +
                     std::chrono::hours{11};
    const auto p = default_stats_period(now, *zone);
    CHECK(p.first_day == day(2026, 11, 30));
    CHECK(p.last_day == day(2026, 12, 27));
    CHECK(p.label == "2026-W49..2026-W52");
}

TEST_CASE("stats: text tables in French, JSON with every figure") {
    const Fixture f("lang: fr\n");
    const auto s = f.stats();
    const auto text = stats_text(s, f.ws, {});
    CHECK(text.find("Statistiques du plan 2026-11-30..2026-12-13 (Europe/Paris)") !=
          std::string::npos);
    CHECK(text.find("6 publications prêtes · 1 brouillon · 1 annulée (non comptée)") !=
          std::string::npos);
    CHECK(text.find("1  16,7\u00A0%  40,0\u00A0%  \u221223,3 pts  hors cible\n") !=
          std::string::npos);
    CHECK(text.find("sans catégorie") != std::string::npos);
    CHECK(text.find("masto · lundi (5 semaines sur 6) : lun. 7 déc.") != std::string::npos);
    CHECK(text.find("bsky · jeudi (4 semaines sur 6) : jeu. 3 déc., jeu. 10 déc. (brouillon "
                    "prévu)") != std::string::npos);
    CHECK(text.find("noel-2026") != std::string::npos);

    const auto j = stats_json(s, f.ws);
    CHECK(j["posts"] == 6);
    CHECK(j["weeks"][0]["channels"]["masto"] == 3);
    CHECK(j["weeks"][0]["channels"]["linkedin"] == 0);
    CHECK(j["mix"][3]["category"] == "uncategorised");
    CHECK(j["mix"][3]["target"].is_null());
    CHECK(j["gaps"][1] == nlohmann::json{{"date", "2026-12-07"},
                                         {"weekday", "monday"},
                                         {"channel", "masto"},
                                         {"draft_planned", false}});
    CHECK(j["campaigns"][0]["first"] == "2026-12-01T10:00:00+01:00");
}
