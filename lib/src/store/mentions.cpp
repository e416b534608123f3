// Mentions, watch cursors and alerts (mentions.hpp). Inserts run in one transaction with
// prepared statements reused for every row: a million mentions store in seconds.
#include "cmtool/store/mentions.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "store/ledger_rows.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

using detail::from_db;
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
    m.group_key = s.column_text(14);
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

bool is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80U;
}

// Writes rows with three statements prepared once per transaction.
class Inserter {
  public:
    static Result<Inserter> open(sqlite::Connection& c) {
        auto insert = c.prepare(
            "INSERT INTO mentions (source, query, platform, remote_uri, url, author, author_url, "
            "published_at, fetched_at, text, lang, sentiment, score, group_key, group_count) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (remote_uri) DO NOTHING");
        auto leader = c.prepare(
            "SELECT id FROM mentions WHERE group_key = ? AND group_count > 0 AND "
            "published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 1");
        auto bump = c.prepare("UPDATE mentions SET group_count = group_count + 1 WHERE id = ?");
        if (!insert || !leader || !bump) {
            return fail(!insert ? insert.error() : !leader ? leader.error() : bump.error());
        }
        return Inserter(c, std::move(*insert), std::move(*leader), std::move(*bump));
    }

    Result<void> add(const Mention& m, std::size_t index, std::chrono::minutes window,
                     SaveResult& out) {
        const std::int64_t at = to_db(m.published_at);
        const std::int64_t span = std::chrono::duration_cast<std::chrono::seconds>(window).count();
        if (auto b = m_leader.bind_all({m.group_key, at - span, at + span}); !b) {
            return b;
        }
        auto step = m_leader.step();
        if (!step) {
            return fail(std::move(step).error());
        }
        // 0 when there is no leader: rowids start at 1 (a plain integer keeps GCC's
        // -Wmaybe-uninitialized quiet about optionals).
        const std::int64_t leader = *step == sqlite::Step::row ? m_leader.column_int(0) : 0;
        if (auto b =
                m_insert.bind_all({m.source, m.query, m.platform, m.remote_uri, m.url, m.author,
                                   m.author_url, at, to_db(m.fetched_at), m.text, m.lang,
                                   m.sentiment, m.score, m.group_key, leader != 0 ? 0 : 1});
            !b) {
            return b;
        }
        if (auto r = m_insert.run(); !r) {
            return r;
        }
        if (m_conn.changes() == 0) {
            ++out.duplicates;
            return {};
        }
        ++out.inserted;
        out.new_indexes.push_back(index);
        if (leader != 0) {
            ++out.grouped;
            if (auto b = m_bump.bind_all({leader}); !b) {
                return b;
            }
            return m_bump.run();
        }
        return {};
    }

  private:
    Inserter(sqlite::Connection& c, sqlite::Statement insert, sqlite::Statement leader,
             sqlite::Statement bump)
        : m_conn(c),
          m_insert(std::move(insert)),
          m_leader(std::move(leader)),
          m_bump(std::move(bump)) {}

    sqlite::Connection& m_conn;
    sqlite::Statement m_insert;
    sqlite::Statement m_leader;
    sqlite::Statement m_bump;
};

Result<SaveResult> insert_all(sqlite::Connection& c, const std::vector<Mention>& mentions,
                              std::chrono::minutes window) {
    SaveResult out;
    if (mentions.size() > 1000) {
        // Big batches touch index pages all over the file: keep them in memory (64 MiB, for
        // this connection) instead of SQLite's default 2 MiB page cache.
        if (auto p = c.exec_script("PRAGMA cache_size = -65536"); !p) {
            return fail(std::move(p).error());
        }
    }
    auto ins = Inserter::open(c);
    if (!ins) {
        return fail(std::move(ins).error());
    }
    for (std::size_t i = 0; i < mentions.size(); ++i) {
        if (auto r = ins->add(mentions[i], i, window, out); !r) {
            return fail(std::move(r).error());
        }
    }
    return out;
}

}  // namespace

std::string repost_group_key(std::string_view text) {
    std::string norm;
    norm.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::string_view rest = text.substr(i);
        if (rest.starts_with("http://") || rest.starts_with("https://") || rest[0] == '@') {
            while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') {
                ++i;
            }
            continue;
        }
        auto c = static_cast<unsigned char>(text[i++]);
        c = c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c;
        if (is_alnum(c)) {
            norm += static_cast<char>(c);
        } else if (!norm.empty() && norm.back() != ' ') {
            norm += ' ';
        }
    }
    if (norm.starts_with("rt ")) {
        norm.erase(0, 3);
    }
    while (!norm.empty() && norm.back() == ' ') {
        norm.pop_back();
    }
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
    for (const char c : norm) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return fmt::format("{:016x}", h);
}

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

Result<SaveResult> MentionStore::save(const std::vector<Mention>& mentions,
                                      const WatchCursor& cursor, std::chrono::minutes window) {
    return sqlite::in_transaction<SaveResult>(
        m_store.connection(), [&](sqlite::Connection& c) -> Result<SaveResult> {
            auto saved = insert_all(c, mentions, window);
            if (!saved) {
                return saved;
            }
            const auto now = std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
            auto w = c.exec(
                "INSERT INTO watch_cursors (source, cursor, etag, last_modified, failures, "
                "next_try_at, last_error, updated_at) VALUES (?,?,?,?,0,NULL,'',?) "
                "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, etag = "
                "excluded.etag, last_modified = excluded.last_modified, failures = 0, "
                "next_try_at = NULL, last_error = '', updated_at = excluded.updated_at",
                {cursor.source, cursor.cursor, cursor.etag, cursor.last_modified, to_db(now)});
            if (!w) {
                return fail(std::move(w).error());
            }
            return saved;
        });
}

Result<SaveResult> MentionStore::save_all(const std::vector<Mention>& mentions,
                                          std::chrono::minutes window) {
    return sqlite::in_transaction<SaveResult>(m_store.connection(), [&](sqlite::Connection& c) {
        return insert_all(c, mentions, window);
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
