#pragma once
// The report's arithmetic, one function per figure family (docs/kpis.md): posts with their
// engagement and rate, totals, growth, plan adherence, breakdowns and best times.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cmtool/report/report.hpp"
#include "cmtool/store/ledger.hpp"
#include "report/query.hpp"

namespace cmtool::report::detail {

using Histories = std::map<std::string, FollowerHistory>;
using PostIndex = std::map<std::string, const calendar::Post*>;

// The calendar posts by id.
PostIndex index_posts(const std::vector<calendar::Post>& posts);

// Engagements of one snapshot: the sum of the provided counters among likes, reposts, replies,
// quotes and bookmarks; nullopt when none is provided.
Count engagements(const store::PostCounters& c);

// Each row as a PostFigures (category and campaign from the calendar, followers at publish
// from `histories`, stale against `cut`), keeping only `campaign`'s posts when not empty.
std::vector<PostFigures> post_figures(const std::vector<PostRow>& rows, const PostIndex& calendar,
                                      const Histories& histories, Seconds cut,
                                      const std::string& campaign);

// The totals of the posts for which `keep` is true (all when empty).
Totals totals(const std::vector<PostFigures>& posts,
              const std::function<bool(const PostFigures&)>& keep = {});

// Followers of every account at the period start and end, and at the end of each day.
std::vector<Growth> growth(const Histories& histories, const calendar::Period& period, Seconds cut,
                           const calendar::WorkspaceConfig& ws);
// Sets totals.followers_start/end: sums over the accounts where both are known (or only
// `account` when not empty).
void add_followers(Totals& t, const std::vector<Growth>& growth, const std::string& account = {});

// Plan adherence of the period as of `now`: calendar occurrences (ready posts) on channels
// cmtool publishes to, matched with their deliveries, plus deliveries no longer in the
// calendar.
Adherence adherence(const std::vector<store::DeliveryRecord>& deliveries,
                    const std::vector<calendar::Post>& posts, const std::set<std::string>& channels,
                    const calendar::WorkspaceConfig& ws, const calendar::Period& period,
                    Seconds now, const std::string& campaign);

// Channel, category and campaign rows (previous totals when `previous` is given).
std::vector<Row> channel_rows(const std::vector<PostFigures>& current,
                              const std::vector<PostFigures>* previous,
                              const std::vector<Growth>& growth,
                              const std::vector<Growth>* previous_growth,
                              const calendar::WorkspaceConfig& ws);
std::vector<Row> category_rows(const std::vector<PostFigures>& current,
                               const std::vector<PostFigures>* previous,
                               const calendar::WorkspaceConfig& ws);
std::vector<Row> campaign_rows(const std::vector<PostFigures>& current);

// Indices of the best and worst posts by engagement rate (no post in both lists).
void rank_posts(const std::vector<PostFigures>& posts, std::vector<std::size_t>& top,
                std::vector<std::size_t>& bottom);
// Engagements of the posts published on each day of the period (0 on a day without posts).
std::vector<Count> daily_engagements(const std::vector<PostFigures>& posts,
                                     const calendar::Period& period, const date::time_zone& zone);

// Engagement rate by weekday and hour per channel over `history` (posts with a rate).
std::vector<BestTimes> best_times(const std::vector<PostFigures>& history,
                                  const calendar::WorkspaceConfig& ws);

}  // namespace cmtool::report::detail
