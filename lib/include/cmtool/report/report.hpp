#pragma once
// `cmtool report`: the figures a client reads every week or month, computed from the snapshot
// store (pull-metrics), the publish ledger and the calendar. Every figure is defined once, with
// its formula, in docs/kpis.md. A figure the platform does not provide is nullopt
// ("unavailable"), never 0.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "cmtool/calendar/period.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/store/metrics.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::report {

using Seconds = std::chrono::sys_seconds;
using Count = std::optional<std::int64_t>;
using Rate = std::optional<double>;

// A delivery sent more than this after its scheduled time is late (docs/kpis.md).
inline constexpr std::chrono::minutes k_late_after{15};
// A post's latest snapshot older than this before the period end is stale.
inline constexpr std::chrono::hours k_stale_after{24};
// Best times: the history window before the period end, and the posts a channel needs.
inline constexpr std::chrono::days k_best_times_window{90};
inline constexpr std::int64_t k_best_times_min_posts = 20;
// How many posts the top and bottom lists hold.
inline constexpr std::size_t k_top_posts = 3;
// The category row of posts without one (unplanned posts included).
inline constexpr const char* k_uncategorised = "uncategorised";

enum class Compare { previous, none };

struct ReportOptions {
    calendar::Period period;
    Compare compare = Compare::previous;
    std::string campaign;  // not empty: only this campaign's posts (period: campaign_period)
};

// One tracked post published in the period, with the counters of its latest snapshot taken at
// or before the period end.
struct PostFigures {
    std::int64_t id = 0;
    std::string account;
    std::string platform;
    std::string url;
    std::string excerpt;
    std::string post_id;  // the calendar post, empty when unplanned
    std::string category;
    std::string campaign;
    bool planned = false;
    Seconds published_at{};
    std::optional<Seconds> snapshot_at;  // nullopt: never pulled before the period end
    bool stale = false;                  // snapshot older than k_stale_after before the end
    store::PostCounters counters;
    Count engagements;  // sum of the provided likes, reposts, replies, quotes, bookmarks
    Count followers;    // the account's followers at publish time
    Rate rate;          // engagements / followers
};

// The headline figures of one period (or one channel, category or campaign of it).
struct Totals {
    std::int64_t posts = 0;
    std::int64_t planned = 0;
    std::int64_t unplanned = 0;
    std::int64_t with_metrics = 0;  // posts with a snapshot
    std::int64_t stale = 0;
    Count engagements;  // over posts whose engagements are available
    Count views;        // over posts whose platform gives views
    Rate rate;          // Σ engagements / Σ followers at publish, over posts with both
    Count followers_start;
    Count followers_end;
};

// Plan adherence: each planned delivery (post occurrence × channel) of the period, once.
struct Adherence {
    std::int64_t planned = 0;
    std::int64_t on_time = 0;
    std::int64_t late = 0;
    std::int64_t missed = 0;
    std::int64_t failed = 0;
    std::int64_t pending = 0;  // not due yet, or still within max_late
    Rate on_time_share;        // on_time / (planned − pending)
};

// One account's audience over the period.
struct Growth {
    std::string account;
    std::string platform;
    Count start;  // followers in the snapshot nearest the period start
    Count end;    // ... nearest the period end
    std::optional<Seconds> start_at;
    std::optional<Seconds> end_at;
    Count change;
    Rate change_share;         // change / start
    std::vector<Count> daily;  // followers at the end of each day of the period
};

// A breakdown row: a channel, a category or a campaign.
struct Row {
    std::string name;
    std::string platform;  // channels only
    Totals current;
    std::optional<Totals> previous;
    Rate share;   // categories: share of the period's posts
    Rate target;  // categories: the editorial line's target share
};

struct Cell {
    std::int64_t posts = 0;
    Rate rate;  // mean of the posts' engagement rates
};

// Engagement rate by local weekday (0 = Monday) and hour, over the history window.
struct BestTimes {
    std::string account;
    std::string platform;
    std::int64_t posts = 0;  // posts with a rate in the window
    bool enough = false;     // posts >= k_best_times_min_posts
    std::array<std::array<Cell, 24>, 7> cells{};
    std::optional<unsigned> best_weekday;
    std::optional<unsigned> best_hour;
};

struct Report {
    std::string brand;
    calendar::Period period;
    std::optional<calendar::Period> previous;  // nullopt with Compare::none
    std::string campaign;
    Seconds generated_at{};
    Seconds cut{};  // counters as of: min(period end, now); now for a campaign
    Totals totals;
    Totals previous_totals;
    Adherence adherence;
    Adherence previous_adherence;
    std::vector<Growth> growth;
    std::vector<Row> channels;
    std::vector<Row> categories;
    std::vector<Row> campaigns;
    std::vector<PostFigures> posts;        // by publication time
    std::vector<std::size_t> top;          // indices into posts, best rate first
    std::vector<std::size_t> bottom;       // worst rate first
    std::vector<Count> daily_engagements;  // engagements of the posts published each day
    date::local_days history_from{};       // best times window, inclusive
    date::local_days history_to{};
    std::vector<BestTimes> best_times;

    // True when the period has a post or a follower snapshot to report on.
    bool has_metrics() const;
};

// The change from `before` to `now` as a fraction ((now − before) / before): unavailable when
// either is, or when `before` is 0 (never an infinite change).
Rate relative_change(Rate now, Rate before);
// A count as a Rate (for relative_change).
inline Rate as_rate(Count c) {
    return c ? Rate(static_cast<double>(*c)) : std::nullopt;
}

// The default period: the last full ISO week (Monday to Sunday) before `now`. Never fails.
calendar::Period default_report_period(Seconds now, const date::time_zone& zone);

// The span of a campaign: the local days of its first and last occurrence (ready posts).
// Fails (not_found) when no post has this campaign, with the known campaigns in the hint.
Result<calendar::Period> campaign_period(const std::vector<calendar::Post>& posts,
                                         const calendar::WorkspaceConfig& ws,
                                         const std::string& campaign);

// Computes every figure of the period (and of the previous one unless Compare::none) from the
// store and the calendar as of `now`. An empty store gives a report without metrics, not an
// error; fails only when the store cannot be read.
Result<Report> build_report(const calendar::WorkspaceConfig& ws,
                            const std::vector<calendar::Post>& posts, store::Store& store,
                            const ReportOptions& options, Seconds now);

}  // namespace cmtool::report
