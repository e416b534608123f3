// The engagement history's writes and reads (docs/metrics.md). Snapshots are only ever
// inserted; record() writes one pull's findings in a single transaction so an interrupted run
// leaves either all of them or none.
#include "cmtool/store/metrics.hpp"

#include <array>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "store/ledger_rows.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

using detail::from_db;
using detail::to_db;

namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> k_run_statuses{{
    {RunStatus::running, "running"},
    {RunStatus::ok, "ok"},
    {RunStatus::partial, "partial"},
    {RunStatus::failed, "failed"},
    {RunStatus::interrupted, "interrupted"},
}};

constexpr std::string_view k_post_columns =
    "id, account, platform, remote_id, url, delivery_id, post_id, occurrence_id, published_at, "
    "excerpt, first_seen, last_pulled, deleted_at";

std::optional<Seconds> opt_time(const sqlite::Statement& s, int column) {
    const auto v = s.column_opt_int(column);
    return v ? std::optional<Seconds>(from_db(*v)) : std::nullopt;
}

TrackedPost read_post(const sqlite::Statement& s) {
    TrackedPost p;
    p.id = s.column_int(0);
    p.account = s.column_text(1);
    p.platform = s.column_text(2);
    p.remote_id = s.column_text(3);
    p.url = s.column_text(4);
    p.delivery_id = s.column_opt_int(5);
    p.post_id = s.column_text(6);
    p.occurrence_id = s.column_text(7);
    p.published_at = from_db(s.column_int(8));
    p.excerpt = s.column_text(9);
    p.first_seen = from_db(s.column_int(10));
    p.last_pulled = opt_time(s, 11);
    p.deleted_at = opt_time(s, 12);
    return p;
}

std::optional<std::string> text_or_null(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// The id of the (platform, mapping) row, inserted when new; cached per transaction.
class SourceIds {
  public:
    explicit SourceIds(sqlite::Connection& c) : m_conn(c) {}
    Result<std::int64_t> get(const FieldMap& f) {
        const auto key = std::make_pair(f.platform, f.mapping);
        if (auto it = m_ids.find(key); it != m_ids.end()) {
            return it->second;
        }
        if (auto r = m_conn.exec("INSERT INTO metric_sources (platform, mapping) VALUES (?, ?) "
                                 "ON CONFLICT (platform, mapping) DO NOTHING",
                                 {f.platform, f.mapping});
            !r) {
            return fail(std::move(r).error());
        }
        auto id =
            m_conn.query_int("SELECT id FROM metric_sources WHERE platform = ? AND mapping = ?",
                             {f.platform, f.mapping});
        if (!id) {
            return fail(std::move(id).error());
        }
        m_ids.emplace(key, id->value_or(0));
        return id->value_or(0);
    }

  private:
    sqlite::Connection& m_conn;
    std::map<std::pair<std::string, std::string>, std::int64_t> m_ids;
};

Result<void> insert_post_snapshot(sqlite::Statement& insert, const PostObservation& o,
                                  std::int64_t source, std::int64_t run, Seconds now) {
    const auto& c = o.counters;
    if (auto b = insert.bind_all({o.post, to_db(now), c.likes, c.reposts, c.replies, c.quotes,
                                  c.bookmarks, c.views, source, run});
        !b) {
        return b;
    }
    return insert.run();
}

}  // namespace

std::string_view run_status_name(RunStatus s) {
    for (const auto& [status, name] : k_run_statuses) {
        if (status == s) {
            return name;
        }
    }
    return "running";
}

Result<std::int64_t> MetricsStore::begin_run(Seconds now) {
    auto& c = m_store->connection();
    if (auto r = c.exec("INSERT INTO pull_runs (started_at) VALUES (?)", {to_db(now)}); !r) {
        return fail(std::move(r).error());
    }
    return c.last_insert_rowid();
}

Result<void> MetricsStore::finish_run(std::int64_t run, RunStatus status,
                                      std::string_view summary_json, Seconds now) {
    return m_store->connection().exec(
        "UPDATE pull_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
        {to_db(now), run_status_name(status), summary_json, run});
}

Result<TrackedPost> MetricsStore::track(const TrackedPost& post, Seconds now) {
    auto rows = track_all({post}, now);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    return std::move(rows->front());
}

namespace {

Result<TrackedPost> track_one(sqlite::Connection& c, const TrackedPost& post, Seconds now) {
    auto r = c.exec(
        "INSERT INTO tracked_posts (account, platform, remote_id, url, delivery_id, "
        "post_id, occurrence_id, published_at, excerpt, first_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (account, remote_id) DO UPDATE SET "
        "delivery_id = coalesce(delivery_id, excluded.delivery_id), "
        "post_id = coalesce(post_id, excluded.post_id), "
        "occurrence_id = coalesce(occurrence_id, excluded.occurrence_id), "
        "url = CASE WHEN url = '' THEN excluded.url ELSE url END, "
        "excerpt = CASE WHEN excerpt = '' THEN excluded.excerpt ELSE excerpt END",
        {post.account, post.platform, post.remote_id, post.url, post.delivery_id,
         text_or_null(post.post_id), text_or_null(post.occurrence_id), to_db(post.published_at),
         post.excerpt, to_db(now)});
    if (!r) {
        return fail(std::move(r).error());
    }
    auto rows = sqlite::collect<TrackedPost>(
        c,
        fmt::format("SELECT {} FROM tracked_posts WHERE account = ? AND remote_id = ?",
                    k_post_columns),
        {post.account, post.remote_id}, read_post);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    if (rows->empty()) {
        return fail(ErrorCode::internal, "tracked post vanished after insert");
    }
    return std::move(rows->front());
}

}  // namespace

Result<std::vector<TrackedPost>> MetricsStore::track_all(const std::vector<TrackedPost>& posts,
                                                         Seconds now) {
    return sqlite::in_transaction<std::vector<TrackedPost>>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<std::vector<TrackedPost>> {
            std::vector<TrackedPost> out;
            out.reserve(posts.size());
            for (const auto& p : posts) {
                auto row = track_one(c, p, now);
                if (!row) {
                    return fail(std::move(row).error());
                }
                out.push_back(std::move(*row));
            }
            return out;
        });
}

Result<std::vector<TrackedPost>> MetricsStore::due(std::string_view account, Seconds since) {
    return sqlite::collect<TrackedPost>(
        m_store->connection(),
        fmt::format("SELECT {} FROM tracked_posts WHERE account = ? AND published_at >= ? AND "
                    "deleted_at IS NULL ORDER BY coalesce(last_pulled, 0), published_at DESC, id",
                    k_post_columns),
        {account, to_db(since)}, read_post);
}

Result<std::vector<TrackedPost>> MetricsStore::posts(const SnapshotFilter& filter) {
    return sqlite::collect<TrackedPost>(
        m_store->connection(),
        fmt::format("SELECT {} FROM tracked_posts WHERE (?1 IS NULL OR published_at >= ?1) AND "
                    "(?2 IS NULL OR published_at < ?2) AND (?3 IS NULL OR account = ?3) "
                    "ORDER BY published_at, id",
                    k_post_columns),
        {to_db(filter.from), to_db(filter.to), filter.account}, read_post);
}

Result<void> MetricsStore::record(std::int64_t run, const std::vector<PostObservation>& posts,
                                  const std::vector<AccountObservation>& accounts, Seconds now) {
    return sqlite::in_transaction<void>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<void> {
            SourceIds sources(c);
            auto insert = c.prepare(
                "INSERT INTO post_snapshots (post, taken_at, likes, reposts, replies, quotes, "
                "bookmarks, views, source, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            auto pulled = c.prepare(
                "UPDATE tracked_posts SET last_pulled = ?1, deleted_at = "
                "CASE WHEN ?2 THEN coalesce(deleted_at, ?1) END WHERE id = ?3");
            if (!insert || !pulled) {
                return fail(!insert ? std::move(insert).error() : std::move(pulled).error());
            }
            for (const auto& o : posts) {
                if (!o.deleted) {
                    auto source = sources.get(o.fields);
                    if (!source) {
                        return fail(std::move(source).error());
                    }
                    if (auto r = insert_post_snapshot(*insert, o, *source, run, now); !r) {
                        return r;
                    }
                }
                if (auto b = pulled->bind_all({to_db(now), o.deleted ? 1 : 0, o.post}); !b) {
                    return b;
                }
                if (auto r = pulled->run(); !r) {
                    return r;
                }
            }
            for (const auto& a : accounts) {
                auto source = sources.get(a.fields);
                if (!source) {
                    return fail(std::move(source).error());
                }
                const auto& k = a.counters;
                if (auto r = c.exec("INSERT INTO account_snapshots (account, platform, taken_at, "
                                    "followers, following, posts, source, run) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    {a.account, a.platform, to_db(now), k.followers, k.following,
                                     k.posts, *source, run});
                    !r) {
                    return r;
                }
            }
            return {};
        });
}

Result<std::vector<PostSnapshot>> MetricsStore::post_snapshots(const SnapshotFilter& filter) {
    return sqlite::collect<PostSnapshot>(
        m_store->connection(),
        "SELECT s.post, s.taken_at, s.likes, s.reposts, s.replies, s.quotes, s.bookmarks, "
        "s.views, m.mapping FROM post_snapshots s JOIN metric_sources m ON m.id = s.source "
        "JOIN tracked_posts t ON t.id = s.post "
        "WHERE (?1 IS NULL OR s.taken_at >= ?1) AND (?2 IS NULL OR s.taken_at < ?2) AND "
        "(?3 IS NULL OR t.account = ?3) ORDER BY s.taken_at, s.post",
        {to_db(filter.from), to_db(filter.to), filter.account}, [](const sqlite::Statement& s) {
            PostSnapshot p;
            p.post = s.column_int(0);
            p.taken_at = from_db(s.column_int(1));
            p.counters = {s.column_opt_int(2), s.column_opt_int(3), s.column_opt_int(4),
                          s.column_opt_int(5), s.column_opt_int(6), s.column_opt_int(7)};
            p.fields = s.column_text(8);
            return p;
        });
}

Result<std::vector<AccountSnapshot>> MetricsStore::account_snapshots(const SnapshotFilter& filter) {
    return sqlite::collect<AccountSnapshot>(
        m_store->connection(),
        "SELECT a.account, a.platform, a.taken_at, a.followers, a.following, a.posts, m.mapping "
        "FROM account_snapshots a JOIN metric_sources m ON m.id = a.source "
        "WHERE (?1 IS NULL OR a.taken_at >= ?1) AND (?2 IS NULL OR a.taken_at < ?2) AND "
        "(?3 IS NULL OR a.account = ?3) ORDER BY a.taken_at, a.account",
        {to_db(filter.from), to_db(filter.to), filter.account}, [](const sqlite::Statement& s) {
            AccountSnapshot a;
            a.account = s.column_text(0);
            a.platform = s.column_text(1);
            a.taken_at = from_db(s.column_int(2));
            a.counters = {s.column_opt_int(3), s.column_opt_int(4), s.column_opt_int(5)};
            a.fields = s.column_text(6);
            return a;
        });
}

}  // namespace cmtool::store
