// The report's SQL. The latest snapshot of each post is one index seek on
// post_snapshots_by_post (post, taken_at) per post, whatever the number of snapshots.
#include "report/query.hpp"

#include <algorithm>

#include "store/sqlite.hpp"

namespace cmtool::report::detail {

namespace {

std::int64_t to_db(Seconds t) {
    return t.time_since_epoch().count();
}
Seconds from_db(std::int64_t v) {
    return Seconds{std::chrono::seconds{v}};
}

constexpr std::string_view k_posts_sql = R"sql(
SELECT t.id, t.account, t.platform, t.url, t.excerpt, coalesce(t.post_id, ''),
       coalesce(t.occurrence_id, ''), t.delivery_id IS NOT NULL, t.published_at,
       s.taken_at, s.likes, s.reposts, s.replies, s.quotes, s.bookmarks, s.views
FROM tracked_posts t
LEFT JOIN post_snapshots s ON s.rowid = (
    SELECT p.rowid FROM post_snapshots p
    WHERE p.post = t.id AND p.taken_at <= ?3
    ORDER BY p.taken_at DESC LIMIT 1)
WHERE t.published_at >= ?1 AND t.published_at < ?2
ORDER BY t.published_at, t.id
)sql";

PostRow read_post_row(const store::sqlite::Statement& s) {
    PostRow r;
    r.id = s.column_int(0);
    r.account = s.column_text(1);
    r.platform = s.column_text(2);
    r.url = s.column_text(3);
    r.excerpt = s.column_text(4);
    r.post_id = s.column_text(5);
    r.occurrence_id = s.column_text(6);
    r.planned = s.column_int(7) != 0;
    r.published_at = from_db(s.column_int(8));
    if (!s.is_null(9)) {
        r.snapshot_at = from_db(s.column_int(9));
        r.counters.likes = s.column_opt_int(10);
        r.counters.reposts = s.column_opt_int(11);
        r.counters.replies = s.column_opt_int(12);
        r.counters.quotes = s.column_opt_int(13);
        r.counters.bookmarks = s.column_opt_int(14);
        r.counters.views = s.column_opt_int(15);
    }
    return r;
}

}  // namespace

std::optional<FollowerPoint> FollowerHistory::at_or_before(Seconds t) const {
    if (points.empty()) {
        return std::nullopt;
    }
    auto it = std::upper_bound(points.begin(), points.end(), t,
                               [](Seconds v, const FollowerPoint& p) { return v < p.at; });
    return it == points.begin() ? *it : *std::prev(it);
}

std::optional<FollowerPoint> FollowerHistory::latest(Seconds t) const {
    auto it = std::upper_bound(points.begin(), points.end(), t,
                               [](Seconds v, const FollowerPoint& p) { return v < p.at; });
    if (it == points.begin()) {
        return std::nullopt;
    }
    return *std::prev(it);
}

std::optional<FollowerPoint> FollowerHistory::nearest(Seconds t, Seconds cut) const {
    auto end = std::upper_bound(points.begin(), points.end(), cut,
                                [](Seconds v, const FollowerPoint& p) { return v < p.at; });
    if (end == points.begin()) {
        return std::nullopt;
    }
    auto it = std::lower_bound(points.begin(), end, t,
                               [](const FollowerPoint& p, Seconds v) { return p.at < v; });
    if (it == end) {
        return *std::prev(it);
    }
    if (it == points.begin()) {
        return *it;
    }
    const auto before = *std::prev(it);
    return (t - before.at) <= (it->at - t) ? before : *it;
}

Result<std::vector<PostRow>> posts_with_latest(store::Store& store, Seconds from, Seconds to,
                                               Seconds cut) {
    return store::sqlite::collect<PostRow>(store.connection(), k_posts_sql,
                                           {to_db(from), to_db(to), to_db(cut)}, read_post_row);
}

Result<std::map<std::string, FollowerHistory>> follower_histories(store::Store& store) {
    struct Point {
        std::string account;
        std::string platform;
        FollowerPoint point;
    };
    auto rows = store::sqlite::collect<Point>(
        store.connection(),
        "SELECT account, platform, taken_at, followers FROM account_snapshots "
        "WHERE followers IS NOT NULL ORDER BY account, taken_at",
        {}, [](const store::sqlite::Statement& s) {
            return Point{s.column_text(0), s.column_text(1),
                         FollowerPoint{from_db(s.column_int(2)), s.column_int(3)}};
        });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    std::map<std::string, FollowerHistory> out;
    for (auto& r : *rows) {
        auto& h = out[r.account];
        h.platform = r.platform;
        h.points.push_back(r.point);
    }
    return out;
}

Result<std::vector<store::DeliveryRecord>> deliveries(store::Store& store, Seconds from,
                                                      Seconds to) {
    store::DeliveryFilter f;
    f.from = from;
    f.to = to;
    return store::Ledger(store).list(f);
}

Result<std::set<std::string>> published_channels(store::Store& store) {
    auto rows = store::sqlite::collect<std::string>(
        store.connection(), "SELECT DISTINCT channel FROM deliveries", {},
        [](const store::sqlite::Statement& s) { return s.column_text(0); });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    return std::set<std::string>(rows->begin(), rows->end());
}

}  // namespace cmtool::report::detail
