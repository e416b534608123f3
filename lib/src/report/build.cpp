// build_report: reads the store once per period and assembles every figure.
#include <date/tz.h>
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cmtool/calendar/recurrence.hpp"
#include "report/figures.hpp"

namespace cmtool::report {

namespace {

using namespace detail;

// The posts of one period and their figures.
struct PeriodData {
    std::vector<PostFigures> posts;
    std::vector<Growth> growth;
    Totals totals;
    Adherence adherence;
};

Result<PeriodData> period_data(store::Store& store, const calendar::WorkspaceConfig& ws,
                               const std::vector<calendar::Post>& posts, const PostIndex& index,
                               const Histories& histories, const std::set<std::string>& channels,
                               const calendar::Period& period, Seconds now,
                               const std::string& campaign) {
    // A campaign's posts keep collecting engagement after its last day: read them as of now.
    const Seconds cut = campaign.empty() ? std::min(period.to, now) : now;
    auto rows = posts_with_latest(store, period.from, period.to, cut);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    auto ds = deliveries(store, period.from, period.to);
    if (!ds) {
        return fail(std::move(ds).error());
    }
    PeriodData d;
    d.posts = post_figures(*rows, index, histories, cut, campaign);
    d.growth = growth(histories, period, cut, ws);
    d.totals = totals(d.posts);
    add_followers(d.totals, d.growth);
    d.adherence = adherence(*ds, posts, channels, ws, period, now, campaign);
    return d;
}

}  // namespace

Rate relative_change(Rate now, Rate before) {
    if (!now || !before || *before == 0) {
        return std::nullopt;
    }
    return (*now - *before) / *before;
}

bool Report::has_metrics() const {
    return totals.with_metrics > 0 ||
           std::any_of(growth.begin(), growth.end(), [](const Growth& g) { return g.end; });
}

calendar::Period default_report_period(Seconds now, const date::time_zone& zone) {
    const auto today = calendar::local_day(now, zone);
    const auto monday = today - (date::weekday{today} - date::Monday);
    const auto first = monday - date::days{7};
    return calendar::make_period(first, first + date::days{6}, zone,
                                 calendar::iso_week_label(first));
}

Result<calendar::Period> campaign_period(const std::vector<calendar::Post>& posts,
                                         const calendar::WorkspaceConfig& ws,
                                         const std::string& campaign) {
    std::optional<Seconds> first;
    std::optional<Seconds> last;
    std::set<std::string> known;
    for (const auto& p : posts) {
        if (p.status == calendar::PostStatus::cancelled || p.campaign.empty()) {
            continue;
        }
        known.insert(p.campaign);
        if (p.campaign != campaign) {
            continue;
        }
        for (const auto& occ : calendar::occurrences(p, ws)) {
            first = first ? std::min(*first, occ.at.utc) : occ.at.utc;
            last = last ? std::max(*last, occ.at.utc) : occ.at.utc;
        }
    }
    if (!first) {
        return fail(ErrorCode::not_found,
                    fmt::format("no post of the calendar has campaign `{}`", campaign),
                    known.empty() ? "the calendar has no campaign"
                                  : fmt::format("known campaigns: {}", fmt::join(known, ", ")));
    }
    return calendar::make_period(calendar::local_day(*first, *ws.zone),
                                 calendar::local_day(*last, *ws.zone), *ws.zone, campaign);
}

Result<Report> build_report(const calendar::WorkspaceConfig& ws,
                            const std::vector<calendar::Post>& posts, store::Store& store,
                            const ReportOptions& o, Seconds now) {
    auto histories = follower_histories(store);
    if (!histories) {
        return fail(std::move(histories).error());
    }
    auto channels = published_channels(store);
    if (!channels) {
        return fail(std::move(channels).error());
    }
    const auto index = index_posts(posts);
    Report r;
    r.brand = ws.brand;
    r.period = o.period;
    r.campaign = o.campaign;
    r.generated_at = now;
    r.cut = o.campaign.empty() ? std::min(o.period.to, now) : now;
    auto cur =
        period_data(store, ws, posts, index, *histories, *channels, o.period, now, o.campaign);
    if (!cur) {
        return fail(std::move(cur).error());
    }
    std::optional<PeriodData> prev;
    if (o.compare == Compare::previous) {
        r.previous = o.period.previous(*ws.zone);
        auto p = period_data(store, ws, posts, index, *histories, *channels, *r.previous, now,
                             o.campaign);
        if (!p) {
            return fail(std::move(p).error());
        }
        prev = std::move(*p);
        r.previous_totals = prev->totals;
        r.previous_adherence = prev->adherence;
    }
    r.totals = cur->totals;
    r.adherence = cur->adherence;
    r.channels = channel_rows(cur->posts, prev ? &prev->posts : nullptr, cur->growth,
                              prev ? &prev->growth : nullptr, ws);
    r.categories = category_rows(cur->posts, prev ? &prev->posts : nullptr, ws);
    r.campaigns = campaign_rows(cur->posts);
    rank_posts(cur->posts, r.top, r.bottom);
    r.daily_engagements = daily_engagements(cur->posts, o.period, *ws.zone);
    r.growth = std::move(cur->growth);
    r.posts = std::move(cur->posts);

    // Best times: every post of the window before the cut, whatever the campaign.
    const Seconds history_from = r.cut - k_best_times_window;
    r.history_from = calendar::local_day(history_from, *ws.zone);
    r.history_to = calendar::local_day(r.cut - std::chrono::seconds{1}, *ws.zone);
    auto history = posts_with_latest(store, history_from, r.cut, r.cut);
    if (!history) {
        return fail(std::move(history).error());
    }
    r.best_times = best_times(post_figures(*history, index, *histories, r.cut, {}), ws);
    return r;
}

}  // namespace cmtool::report
