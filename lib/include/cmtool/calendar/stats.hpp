#pragma once
// `plan stats`: the figures of a period. Recurring posts count once per occurrence; cancelled
// posts are left out; drafts are counted apart and are in none of the other figures, which
// are about what is ready to be published.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "cmtool/calendar/period.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

// A category is off target when its share is further than this from its target.
inline constexpr double k_mix_tolerance_points = 10.0;
// Usual weekdays are learnt over the period plus this many weeks before it.
inline constexpr int k_usual_lookback_weeks = 4;
// The mix row of posts without a category.
inline constexpr const char* k_uncategorised = "uncategorised";

struct WeekStats {
    std::string week;  // ISO week, "2026-W48"
    date::local_days monday{};
    std::map<std::string, std::size_t> per_channel;  // ready posts per channel
    std::size_t posts = 0;   // ready posts; a post on three channels counts once
    std::size_t drafts = 0;  // draft posts
};

struct CategoryShare {
    std::string name;  // a category, or k_uncategorised
    std::size_t posts = 0;
    double share = 0;                  // of the period's ready posts, in [0, 1]
    std::optional<double> target;      // from cmtool.yaml, in [0, 1]
    std::optional<double> gap_points;  // (share - target) × 100; none without target or posts
    bool off_target = false;           // |gap_points| > k_mix_tolerance_points
};

// A channel that posts on `weekday` in at least half of the weeks of the period plus the
// k_usual_lookback_weeks before it.
struct UsualDay {
    std::string channel;
    unsigned weekday = 0;  // 0 = Monday ... 6 = Sunday
    std::size_t weeks_with_posts = 0;
    std::size_t weeks = 0;  // how many such weekdays the window holds
};

// A day of the period with no ready post on a channel's usual weekday.
struct Gap {
    date::local_days day{};
    unsigned weekday = 0;  // 0 = Monday
    std::string channel;
    bool draft_planned = false;  // a draft is planned on that channel that day
};

struct CampaignSpan {
    std::string name;
    std::chrono::sys_seconds first{};  // first occurrence in the period
    std::chrono::sys_seconds last{};   // last occurrence in the period
    std::size_t posts = 0;
    std::vector<std::string> channels;  // in column order
};

struct PlanStats {
    Period period;
    std::vector<std::string> channels;  // the accounts, then channels used that are not accounts
    std::vector<WeekStats> weeks;       // every ISO week the period touches
    std::size_t posts = 0;
    std::size_t drafts = 0;
    std::size_t cancelled = 0;            // left out of every figure, counted to say so
    std::vector<CategoryShare> mix;       // declared categories, other names used, uncategorised
    std::vector<UsualDay> usual;          // by channel (column order), then weekday
    std::vector<Gap> gaps;                // by day, then channel
    std::vector<CampaignSpan> campaigns;  // by first occurrence, then name
};

// The default period: the ISO week holding `now` and the three after it, Monday to Sunday,
// labelled "2026-W48..2026-W51". Never fails.
Period default_stats_period(std::chrono::sys_seconds now, const date::time_zone& zone);

// The figures of `period` (occurrences expanded in the workspace zone). Posts whose time
// could not be read are left out. Never fails.
PlanStats compute_stats(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                        const Period& period);

}  // namespace cmtool::calendar
