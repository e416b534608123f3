// The report as one JSON document (docs/kpis.md names every field).
#include <date/tz.h>
#include <cmath>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/report/render.hpp"

namespace cmtool::report {

namespace {

using nlohmann::json;

json count(const Count& c) {
    return c ? json(*c) : json(nullptr);
}

// Fractions rounded to 6 decimals, so that hand-computed expectations compare exactly.
json fraction(const Rate& r) {
    return r ? json(std::round(*r * 1e6) / 1e6) : json(nullptr);
}

json time(const std::optional<Seconds>& t, const calendar::WorkspaceConfig& ws) {
    return t ? json(calendar::iso_local(*t, ws)) : json(nullptr);
}

std::string day(date::local_days d) {
    return date::format("%Y-%m-%d", d);
}

json period_json(const calendar::Period& p, const calendar::WorkspaceConfig& ws) {
    return {{"label", p.label},
            {"from", calendar::iso_local(p.from, ws)},
            {"to", calendar::iso_local(p.to, ws)},
            {"first_day", day(p.first_day)},
            {"last_day", day(p.last_day)}};
}

json totals_json(const Totals& t) {
    json change = nullptr;  // a json, not an optional: GCC 12 -O2 warns on the latter
    if (t.followers_start && t.followers_end) {
        change = *t.followers_end - *t.followers_start;
    }
    return {{"posts", t.posts},
            {"planned", t.planned},
            {"unplanned", t.unplanned},
            {"with_metrics", t.with_metrics},
            {"stale", t.stale},
            {"engagements", count(t.engagements)},
            {"views", count(t.views)},
            {"engagement_rate", fraction(t.rate)},
            {"followers_start", count(t.followers_start)},
            {"followers_end", count(t.followers_end)},
            {"followers_change", change},
            {"followers_growth",
             fraction(relative_change(as_rate(t.followers_end), as_rate(t.followers_start)))}};
}

json changes_json(const Totals& now, const Totals& before) {
    return {{"posts", fraction(relative_change(static_cast<double>(now.posts),
                                               static_cast<double>(before.posts)))},
            {"engagements",
             fraction(relative_change(as_rate(now.engagements), as_rate(before.engagements)))},
            {"views", fraction(relative_change(as_rate(now.views), as_rate(before.views)))},
            {"engagement_rate", fraction(relative_change(now.rate, before.rate))},
            {"followers_end",
             fraction(relative_change(as_rate(now.followers_end), as_rate(before.followers_end)))}};
}

json adherence_json(const Adherence& a) {
    return {{"planned", a.planned},
            {"on_time", a.on_time},
            {"late", a.late},
            {"missed", a.missed},
            {"failed", a.failed},
            {"pending", a.pending},
            {"on_time_share", fraction(a.on_time_share)}};
}

json row_json(const Row& r) {
    json j = totals_json(r.current);
    j["name"] = r.name;
    if (!r.platform.empty()) {
        j["platform"] = r.platform;
    }
    if (r.share || r.target) {
        j["share"] = fraction(r.share);
        j["target"] = fraction(r.target);
    }
    if (r.previous) {
        j["previous"] = totals_json(*r.previous);
    }
    return j;
}

json post_json(const PostFigures& p, const calendar::WorkspaceConfig& ws) {
    const auto& c = p.counters;
    return {{"id", p.id},
            {"account", p.account},
            {"platform", p.platform},
            {"url", p.url},
            {"excerpt", p.excerpt},
            {"post_id", p.post_id},
            {"category", p.category},
            {"campaign", p.campaign},
            {"planned", p.planned},
            {"published_at", calendar::iso_local(p.published_at, ws)},
            {"snapshot_at", time(p.snapshot_at, ws)},
            {"stale", p.stale},
            {"likes", count(c.likes)},
            {"reposts", count(c.reposts)},
            {"replies", count(c.replies)},
            {"quotes", count(c.quotes)},
            {"bookmarks", count(c.bookmarks)},
            {"views", count(c.views)},
            {"engagements", count(p.engagements)},
            {"followers_at_publish", count(p.followers)},
            {"engagement_rate", fraction(p.rate)}};
}

json best_times_json(const Report& r) {
    json channels = json::array();
    for (const auto& b : r.best_times) {
        json cells = json::array();
        for (unsigned d = 0; d < 7; ++d) {
            for (unsigned h = 0; h < 24; ++h) {
                const auto& c = b.cells[d][h];
                if (c.posts > 0) {
                    cells.push_back({{"weekday", d},
                                     {"hour", h},
                                     {"posts", c.posts},
                                     {"rate", fraction(c.rate)}});
                }
            }
        }
        json best = nullptr;
        if (b.best_weekday && b.best_hour) {
            const auto& c = b.cells[*b.best_weekday][*b.best_hour];
            best = {{"weekday", *b.best_weekday},
                    {"hour", *b.best_hour},
                    {"posts", c.posts},
                    {"rate", fraction(c.rate)}};
        }
        channels.push_back({{"account", b.account},
                            {"platform", b.platform},
                            {"posts", b.posts},
                            {"enough", b.enough},
                            {"best", best},
                            {"cells", cells}});
    }
    return {{"from", day(r.history_from)},
            {"to", day(r.history_to)},
            {"min_posts", k_best_times_min_posts},
            {"channels", channels}};
}

}  // namespace

json report_json(const Report& r, const calendar::WorkspaceConfig& ws) {
    json j;
    j["brand"] = r.brand;
    j["period"] = period_json(r.period, ws);
    j["previous"] = r.previous ? period_json(*r.previous, ws) : json(nullptr);
    j["campaign"] = r.campaign.empty() ? json(nullptr) : json(r.campaign);
    j["generated_at"] = calendar::iso_local(r.generated_at, ws);
    j["counters_as_of"] = calendar::iso_local(r.cut, ws);
    j["has_metrics"] = r.has_metrics();
    j["totals"] = totals_json(r.totals);
    j["adherence"] = adherence_json(r.adherence);
    if (r.previous) {
        j["previous_totals"] = totals_json(r.previous_totals);
        j["previous_adherence"] = adherence_json(r.previous_adherence);
        j["changes"] = changes_json(r.totals, r.previous_totals);
    }
    j["growth"] = json::array();
    for (const auto& g : r.growth) {
        json daily = json::array();
        for (const auto& v : g.daily) {
            daily.push_back(count(v));
        }
        j["growth"].push_back({{"account", g.account},
                               {"platform", g.platform},
                               {"start", count(g.start)},
                               {"end", count(g.end)},
                               {"start_at", time(g.start_at, ws)},
                               {"end_at", time(g.end_at, ws)},
                               {"change", count(g.change)},
                               {"growth", fraction(g.change_share)},
                               {"daily", daily}});
    }
    for (const auto* section : {"channels", "categories", "campaigns"}) {
        j[section] = json::array();
    }
    for (const auto& row : r.channels) {
        j["channels"].push_back(row_json(row));
    }
    for (const auto& row : r.categories) {
        j["categories"].push_back(row_json(row));
    }
    for (const auto& row : r.campaigns) {
        j["campaigns"].push_back(row_json(row));
    }
    j["posts"] = json::array();
    for (const auto& p : r.posts) {
        j["posts"].push_back(post_json(p, ws));
    }
    j["top"] = json::array();
    j["bottom"] = json::array();
    for (auto i : r.top) {
        j["top"].push_back(r.posts[i].id);
    }
    for (auto i : r.bottom) {
        j["bottom"].push_back(r.posts[i].id);
    }
    j["daily_engagements"] = json::array();
    for (std::size_t i = 0; i < r.daily_engagements.size(); ++i) {
        j["daily_engagements"].push_back(
            {{"day", day(r.period.first_day + date::days{static_cast<int>(i)})},
             {"engagements", count(r.daily_engagements[i])}});
    }
    j["best_times"] = best_times_json(r);
    return j;
}

}  // namespace cmtool::report
