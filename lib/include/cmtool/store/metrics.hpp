#pragma once
// The engagement history (docs/metrics.md): the posts whose counters are tracked (published by
// cmtool, or found on the account: "unplanned"), and snapshots of their counters and of each
// account's profile counters, appended at every pull and never overwritten. A counter the
// platform does not provide is nullopt (NULL), never 0.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::store {

using Seconds = std::chrono::sys_seconds;
using Count = std::optional<std::int64_t>;

struct PostCounters {
    Count likes, reposts, replies, quotes, bookmarks, views;
};

struct AccountCounters {
    Count followers, following, posts;
};

// Which platform field each counter was read from, e.g. "likes=favourites_count;reposts=
// reblogs_count;..." in the order likes, reposts, replies, quotes, bookmarks, views (posts) or
// followers, following, posts (accounts); a counter the platform lacks is left out.
struct FieldMap {
    std::string platform;
    std::string mapping;
};

struct TrackedPost {
    std::int64_t id = 0;
    std::string account;  // the workspace's account name (the calendar's channel)
    std::string platform;
    std::string remote_id;  // Mastodon status id, Bluesky at:// URI
    std::string url;
    std::optional<std::int64_t> delivery_id;  // nullopt: not published by cmtool (unplanned)
    std::string post_id;                      // the calendar post, when planned
    std::string occurrence_id;
    Seconds published_at{};
    std::string excerpt;  // start of the text, for reports on unplanned posts
    Seconds first_seen{};
    std::optional<Seconds> last_pulled;
    std::optional<Seconds> deleted_at;

    bool planned() const { return delivery_id.has_value(); }
};

// What a pull found for one post: the counters, or that it no longer exists.
struct PostObservation {
    std::int64_t post = 0;  // TrackedPost::id
    bool deleted = false;
    PostCounters counters;
    FieldMap fields;
};

struct AccountObservation {
    std::string account;
    std::string platform;
    AccountCounters counters;
    FieldMap fields;
};

struct PostSnapshot {
    std::int64_t post = 0;
    Seconds taken_at{};
    PostCounters counters;
    std::string fields;  // the mapping
};

struct AccountSnapshot {
    std::string account;
    std::string platform;
    Seconds taken_at{};
    AccountCounters counters;
    std::string fields;
};

// For `metrics export` and reports: snapshots taken in [from, to), optionally one account.
struct SnapshotFilter {
    std::optional<Seconds> from;
    std::optional<Seconds> to;
    std::optional<std::string> account;
};

enum class RunStatus { running, ok, partial, failed, interrupted };
std::string_view run_status_name(RunStatus s);

class MetricsStore {
  public:
    explicit MetricsStore(Store& store) : m_store(&store) {}

    // Starts a pull run (status running) and returns its id.
    Result<std::int64_t> begin_run(Seconds now);
    // Ends a run with its status and a JSON summary (as text).
    Result<void> finish_run(std::int64_t run, RunStatus status, std::string_view summary_json,
                            Seconds now);

    // Adds the post when (account, remote_id) is new and returns its row; an existing row is
    // returned unchanged except that a delivery (and its post and occurrence) fills in a row
    // first seen as unplanned, and an empty url or excerpt is filled.
    Result<TrackedPost> track(const TrackedPost& post, Seconds now);
    // track() for many posts in one transaction; the rows in the same order.
    Result<std::vector<TrackedPost>> track_all(const std::vector<TrackedPost>& posts, Seconds now);
    // The tracked posts of `account` published at or after `since` and not deleted, least
    // recently pulled first (never pulled first), so a run cut short by a rate limit starts
    // with the rest next time.
    Result<std::vector<TrackedPost>> due(std::string_view account, Seconds since);
    // Every tracked post (deleted included), by publication time.
    Result<std::vector<TrackedPost>> posts(const SnapshotFilter& filter = {});

    // Appends, in one transaction, a snapshot at `now` for each observation (a deleted post is
    // marked deleted instead, once), and the account snapshots. Nothing is written on failure.
    Result<void> record(std::int64_t run, const std::vector<PostObservation>& posts,
                        const std::vector<AccountObservation>& accounts, Seconds now);

    // Snapshots in the filter's range, oldest first (then by post).
    Result<std::vector<PostSnapshot>> post_snapshots(const SnapshotFilter& filter = {});
    Result<std::vector<AccountSnapshot>> account_snapshots(const SnapshotFilter& filter = {});

  private:
    Store* m_store;
};

}  // namespace cmtool::store
