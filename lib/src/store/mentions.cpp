// Mentions, watch cursors and alerts (mentions.hpp): reading, batches and cursors. Inserting
// a batch, its keys and its repost groups are in mentions_insert.cpp.
#include "cmtool/store/mentions.hpp"

#include <fmt/format.h>

#include "store/ledger_rows.hpp"
#include "store/mentions_insert.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

using detail::from_db;
using detail::insert_all;
using detail::to_db;

namespace {

constexpr std::string_view k_columns =
    "id, source, query, platform, remote_uri, url, author, author_url, published_at, "
    "fetched_at, text, lang, sentiment, score, group_key, group_count";

Mention read_mention(const sqlite::Statement& s) {
    Mention m;
    m.id = s.column_int(0);
    m.source = s.column_text(1);
    m.query = s.column_text(2);
    m.platform = s.column_text(3);
    m.remote_uri = s.column_text(4);
    m.url = s.column_text(5);
    m.author = s.column_text(6);
    m.author_url = s.column_text(7);
    m.published_at = from_db(s.column_int(8));
    m.fetched_at = from_db(s.column_int(9));
    m.text = s.column_text(10);
    m.lang = s.column_text(11);
    m.sentiment = s.column_text(12);
    m.score = s.column_double(13);
    m.group_key = static_cast<std::uint64_t>(s.column_int(14));
    m.group_count = s.column_int(15);
    return m;
}

AlertRecord read_alert(const sqlite::Statement& s) {
    AlertRecord a;
    a.id = s.column_int(0);
    a.rule = s.column_text(1);
    a.query = s.column_text(2);
    a.fired_at = from_db(s.column_int(3));
    a.updated_at = from_db(s.column_int(4));
    a.updates = s.column_int(5);
    a.figures_json = s.column_text(6);
    a.mentions_json = s.column_text(7);
    a.channels_json = s.column_text(8);
    return a;
}

// Writes `cursor` (failures reset) in the current transaction.
Result<void> write_cursor(sqlite::Connection& c, const WatchCursor& cursor) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return c.exec(
        "INSERT INTO watch_cursors (source, cursor, etag, last_modified, failures, "
        "next_try_at, last_error, updated_at) VALUES (?,?,?,?,0,NULL,'',?) "
        "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, etag = "
        "excluded.etag, last_modified = excluded.last_modified, failures = 0, "
        "next_try_at = NULL, last_error = '', updated_at = excluded.updated_at",
        {cursor.source, cursor.cursor, cursor.etag, cursor.last_modified, to_db(now)});
}

}  // namespace

Result<std::optional<WatchCursor>> MentionStore::cursor(const std::string& source) {
    auto rows = sqlite::collect<WatchCursor>(
        m_store.connection(),
        "SELECT source, cursor, etag, last_modified, failures, next_try_at, last_error "
        "FROM watch_cursors WHERE source = ?",
        {source}, [](const sqlite::Statement& s) {
            WatchCursor c;
            c.source = s.column_text(0);
            c.cursor = s.column_text(1);
            c.etag = s.column_text(2);
            c.last_modified = s.column_text(3);
            c.failures = s.column_int(4);
            const auto next = s.column_opt_int(5);
            c.next_try_at = next ? std::optional(from_db(*next)) : std::nullopt;
            c.last_error = s.column_text(6);
            return c;
        });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    return rows->empty() ? std::nullopt : std::optional(rows->front());
}

MentionBatch::MentionBatch(Store& store, std::unique_ptr<sqlite::Transaction> tx)
    : m_store(&store), m_tx(std::move(tx)) {}

MentionBatch::MentionBatch(MentionBatch&&) noexcept = default;

MentionBatch::~MentionBatch() = default;  // an uncommitted transaction rolls back

Result<SaveResult> MentionBatch::save(const std::vector<Mention>& mentions,
                                      const WatchCursor& cursor, std::chrono::minutes window) {
    return save(prepare_mentions(mentions), cursor, window);
}

Result<SaveResult> MentionBatch::save(const PreparedMentions& mentions, const WatchCursor& cursor,
                                      std::chrono::minutes window) {
    if (!m_tx) {
        return fail(ErrorCode::internal, "mention batch used after its commit");
    }
    auto& c = m_store->connection();
    auto saved = insert_all(c, mentions, window);
    if (!saved) {
        return saved;
    }
    if (auto w = write_cursor(c, cursor); !w) {
        return fail(std::move(w).error());
    }
    return saved;
}

Result<void> MentionBatch::commit() {
    if (!m_tx) {
        return fail(ErrorCode::internal, "mention batch committed twice");
    }
    auto tx = std::move(m_tx);
    return tx->commit();
}

Result<MentionBatch> MentionStore::begin_batch() {
    auto tx = sqlite::Transaction::begin(m_store.connection());
    if (!tx) {
        return fail(std::move(tx).error());
    }
    return MentionBatch(m_store, std::make_unique<sqlite::Transaction>(std::move(*tx)));
}

Result<SaveResult> MentionStore::save(const std::vector<Mention>& mentions,
                                      const WatchCursor& cursor, std::chrono::minutes window) {
    auto batch = begin_batch();
    if (!batch) {
        return fail(std::move(batch).error());
    }
    auto saved = batch->save(mentions, cursor, window);
    if (!saved) {
        return saved;
    }
    if (auto c = batch->commit(); !c) {
        return fail(std::move(c).error());
    }
    return saved;
}

Result<SaveResult> MentionStore::save_all(const std::vector<Mention>& mentions,
                                          std::chrono::minutes window) {
    return sqlite::in_transaction<SaveResult>(m_store.connection(), [&](sqlite::Connection& c) {
        return insert_all(c, prepare_mentions(mentions), window);
    });
}

Result<void> MentionStore::record_failure(const std::string& source, const std::string& error,
                                          std::optional<Seconds> next_try_at, Seconds now) {
    return m_store.connection().exec(
        "INSERT INTO watch_cursors (source, failures, next_try_at, last_error, updated_at) "
        "VALUES (?, 1, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET failures = failures + 1, "
        "next_try_at = excluded.next_try_at, last_error = excluded.last_error, "
        "updated_at = excluded.updated_at",
        {source, to_db(next_try_at), error, to_db(now)});
}

Result<std::vector<Mention>> MentionStore::mentions(const MentionFilter& f) {
    std::string sql = fmt::format(
        "SELECT {} FROM mentions WHERE (?1 = '' OR query = ?1) AND published_at >= ?2 AND "
        "published_at < ?3{} ORDER BY published_at {}, id {}",
        k_columns, f.leaders_only ? " AND group_count > 0" : "", f.newest_first ? "DESC" : "ASC",
        f.newest_first ? "DESC" : "ASC");
    if (f.limit > 0) {
        sql += fmt::format(" LIMIT {}", f.limit);
    }
    const std::int64_t from = f.from ? to_db(*f.from) : INT64_MIN;
    const std::int64_t to = f.to ? to_db(*f.to) : INT64_MAX;
    return sqlite::collect<Mention>(m_store.connection(), sql, {f.query, from, to}, read_mention);
}

Result<std::int64_t> MentionStore::count(const std::string& query, Seconds from, Seconds to,
                                         const std::string& sentiment) {
    auto n = m_store.connection().query_int(
        "SELECT COUNT(*) FROM mentions WHERE (?1 = '' OR query = ?1) AND published_at >= ?2 "
        "AND published_at < ?3 AND (?4 = '' OR sentiment = ?4)",
        {query, to_db(from), to_db(to), sentiment});
    if (!n) {
        return fail(std::move(n).error());
    }
    return n->value_or(0);
}

Result<std::int64_t> MentionStore::total() {
    auto n = m_store.connection().query_int("SELECT COUNT(*) FROM mentions");
    if (!n) {
        return fail(std::move(n).error());
    }
    return n->value_or(0);
}

Result<std::optional<AlertRecord>> MentionStore::latest_alert(const std::string& rule,
                                                              const std::string& query) {
    auto rows = sqlite::collect<AlertRecord>(
        m_store.connection(),
        "SELECT id, rule, query, fired_at, updated_at, updates, figures, mentions, channels "
        "FROM alerts WHERE rule = ? AND query = ? ORDER BY fired_at DESC, id DESC LIMIT 1",
        {rule, query}, read_alert);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    return rows->empty() ? std::nullopt : std::optional(rows->front());
}

Result<std::int64_t> MentionStore::insert_alert(const AlertRecord& a) {
    auto& c = m_store.connection();
    if (auto r = c.exec("INSERT INTO alerts (rule, query, fired_at, updated_at, updates, figures, "
                        "mentions, channels) VALUES (?,?,?,?,0,?,?,?)",
                        {a.rule, a.query, to_db(a.fired_at), to_db(a.updated_at), a.figures_json,
                         a.mentions_json, a.channels_json});
        !r) {
        return fail(std::move(r).error());
    }
    return c.last_insert_rowid();
}

Result<void> MentionStore::update_alert(const AlertRecord& a) {
    return m_store.connection().exec(
        "UPDATE alerts SET updated_at = ?, updates = updates + 1, figures = ?, mentions = ?, "
        "channels = ? WHERE id = ?",
        {to_db(a.updated_at), a.figures_json, a.mentions_json, a.channels_json, a.id});
}

Result<std::vector<AlertRecord>> MentionStore::alerts(std::optional<Seconds> since) {
    return sqlite::collect<AlertRecord>(
        m_store.connection(),
        "SELECT id, rule, query, fired_at, updated_at, updates, figures, mentions, channels "
        "FROM alerts WHERE updated_at >= ? ORDER BY fired_at, id",
        {since ? to_db(*since) : INT64_MIN}, read_alert);
}

}  // namespace cmtool::store
