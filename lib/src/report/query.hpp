#pragma once
// The report's reads from state.db, written for the report's access paths: the latest
// snapshot per post through post_snapshots_by_post (post, taken_at), the follower history of
// each account, and the ledger's deliveries of a period.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cmtool/report/report.hpp"
#include "cmtool/store/ledger.hpp"

namespace cmtool::report::detail {

// A tracked post and the counters of its latest snapshot at or before the cut.
struct PostRow {
    std::int64_t id = 0;
    std::string account;
    std::string platform;
    std::string url;
    std::string excerpt;
    std::string post_id;
    std::string occurrence_id;
    bool planned = false;
    Seconds published_at{};
    std::optional<Seconds> snapshot_at;
    store::PostCounters counters;
};

struct FollowerPoint {
    Seconds at{};
    std::int64_t followers = 0;
};

// One account's follower counts, oldest first (snapshots without followers are left out).
struct FollowerHistory {
    std::string platform;
    std::vector<FollowerPoint> points;

    // The latest point at or before `t`, else the earliest after it (followers at publish).
    std::optional<FollowerPoint> at_or_before(Seconds t) const;
    // The point nearest `t` (the earlier one on a tie), among points taken at or before `cut`.
    std::optional<FollowerPoint> nearest(Seconds t, Seconds cut) const;
    // The latest point at or before `t`.
    std::optional<FollowerPoint> latest(Seconds t) const;
};

// Tracked posts published in [from, to) (deleted ones included: they were published), with
// their latest snapshot taken at or before `cut`, by publication time.
Result<std::vector<PostRow>> posts_with_latest(store::Store& store, Seconds from, Seconds to,
                                               Seconds cut);
// Every account's follower history.
Result<std::map<std::string, FollowerHistory>> follower_histories(store::Store& store);
// The deliveries scheduled in [from, to).
Result<std::vector<store::DeliveryRecord>> deliveries(store::Store& store, Seconds from,
                                                      Seconds to);
// The channels cmtool has ever published to (a delivery exists).
Result<std::set<std::string>> published_channels(store::Store& store);

}  // namespace cmtool::report::detail
