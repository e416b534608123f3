// Mentions, watch cursors and alerts (mentions.hpp). Inserts run in one transaction with
// prepared statements reused for every row: a million mentions store in seconds.
#include "cmtool/store/mentions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
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

bool is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80U;
}

// FNV-1a 64 then the splitmix64 finaliser (keys spread evenly over the index).
std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : bytes) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// How many keys of a URI's probe sequence are tried before giving up: two URIs sharing a
// 64-bit key is already about one chance in 10^7 for a store of ten million mentions.
constexpr int k_probes = 8;

// The repost-group leaders a batch can join: for each of the batch's groups (sorted keys), the
// leaders stored in the batch's time range and those the batch adds, in time order, as linked
// lists in one pool (no allocation per group: a batch of 50,000 mentions is usually 50,000
// groups).
class GroupLeaders {
  public:
    explicit GroupLeaders(std::vector<std::int64_t> keys)
        : m_keys(std::move(keys)), m_heads(m_keys.size(), k_none) {}

    const std::vector<std::int64_t>& keys() const { return m_keys; }

    // The position of `group`, one of keys().
    std::size_t slot(std::int64_t group) const {
        return static_cast<std::size_t>(std::lower_bound(m_keys.begin(), m_keys.end(), group) -
                                        m_keys.begin());
    }

    // The id of the slot's earliest leader published in [from, to], 0 when none.
    std::int64_t earliest(std::size_t slot, std::int64_t from, std::int64_t to) const {
        for (auto n = m_heads[slot]; n != k_none; n = m_nodes[n].next) {
            if (m_nodes[n].at >= from) {
                return m_nodes[n].at <= to ? m_nodes[n].id : 0;
            }
        }
        return 0;
    }

    // Adds a leader, after those published at the same time or earlier.
    void add(std::size_t slot, std::int64_t at, std::int64_t id) {
        auto* link = &m_heads[slot];
        while (*link != k_none && m_nodes[*link].at <= at) {
            link = &m_nodes[*link].next;
        }
        m_nodes.push_back({at, id, *link});
        *link = static_cast<std::uint32_t>(m_nodes.size() - 1);
    }

  private:
    static constexpr std::uint32_t k_none = 0xffffffffU;
    struct Node {
        std::int64_t at;
        std::int64_t id;
        std::uint32_t next;
    };
    std::vector<std::int64_t> m_keys;
    std::vector<std::uint32_t> m_heads;  // per key: its first node, k_none when none
    std::vector<Node> m_nodes;
};

// Writes rows with statements prepared once per transaction. Repost groups: a mention whose
// group has a leader within the window is stored with group_count 0 and the leader's count is
// raised once per leader at the end of the batch (finish), not once per repost.
class Inserter {
  public:
    // `from`..`to`: the batch's publication times widened by the window: the leaders a
    // mention of the batch can join.
    static Result<Inserter> open(sqlite::Connection& c, std::int64_t from, std::int64_t to) {
        auto insert = c.prepare(
            "INSERT INTO mentions (uri_key, source, query, platform, remote_uri, url, author, "
            "author_url, published_at, fetched_at, text, lang, sentiment, score, group_key, "
            "group_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (uri_key) DO NOTHING");
        auto holder = c.prepare("SELECT remote_uri FROM mentions WHERE uri_key = ?");
        auto leaders = c.prepare(
            "SELECT published_at, id FROM mentions WHERE group_key = ? AND group_count > 0 AND "
            "published_at BETWEEN ? AND ? ORDER BY published_at, id");
        auto bump = c.prepare("UPDATE mentions SET group_count = group_count + ? WHERE id = ?");
        for (auto* r : {&insert, &holder, &leaders, &bump}) {
            if (!*r) {
                return fail(r->error());
            }
        }
        return Inserter(c, std::move(*insert), std::move(*holder), std::move(*leaders),
                        std::move(*bump), from, to);
    }

    Result<void> add(const Mention& m, std::int64_t uri_key, std::size_t index,
                     std::chrono::minutes window, SaveResult& out) {
        const std::int64_t at = to_db(m.published_at);
        const std::int64_t span = std::chrono::duration_cast<std::chrono::seconds>(window).count();
        const auto group = static_cast<std::int64_t>(m.group_key);
        const std::size_t slot = m_groups.slot(group);
        const std::int64_t leader = m_groups.earliest(slot, at - span, at + span);
        auto key = static_cast<std::uint64_t>(uri_key);
        for (int probe = 0; probe < k_probes; ++probe, key = mix(key + 1)) {
            if (auto b = m_insert.bind_all(
                    {static_cast<std::int64_t>(key), m.source, m.query, m.platform, m.remote_uri,
                     m.url, m.author, m.author_url, at, to_db(m.fetched_at), m.text, m.lang,
                     m.sentiment, m.score, group, leader != 0 ? 0 : 1},
                    sqlite::Texts::borrowed);
                !b) {
                return b;
            }
            if (auto r = m_insert.run(); !r) {
                return r;
            }
            if (m_conn.changes() == 1) {
                ++out.inserted;
                out.new_indexes.push_back(index);
                if (leader != 0) {
                    ++out.grouped;
                    ++m_bumps[leader];
                } else {
                    m_groups.add(slot, at, m_conn.last_insert_rowid());
                }
                return {};
            }
            // The key is taken: by this URI (a duplicate) or by another one (try the next key).
            if (auto b = m_holder.bind_all({static_cast<std::int64_t>(key)}); !b) {
                return b;
            }
            auto held = m_holder.step();
            if (!held) {
                return fail(std::move(held).error());
            }
            if (*held == sqlite::Step::row && m_holder.column_text(0) == m.remote_uri) {
                ++out.duplicates;
                return {};
            }
        }
        return fail(ErrorCode::internal,
                    fmt::format("{}: no free key for mention {} after {} tries",
                                m_conn.file().string(), m.remote_uri, k_probes));
    }

    // Raises each leader's group_count by the reposts this batch added to its group.
    Result<void> finish() {
        for (const auto& [leader, count] : m_bumps) {
            if (auto b = m_bump.bind_all({count, leader}); !b) {
                return b;
            }
            if (auto r = m_bump.run(); !r) {
                return r;
            }
        }
        m_bumps.clear();
        return {};
    }

    // Reads the stored leaders of the batch's groups (`groups`: sorted, distinct; every
    // mention's group must be one), before its first insert: one query per group, not per
    // mention (a storm of reposts is one group), in key order (the group index is walked
    // once, each page read once).
    Result<void> load_leaders(const std::vector<std::int64_t>& groups) {
        m_groups = GroupLeaders(groups);
        for (std::size_t slot = 0; slot < m_groups.keys().size(); ++slot) {
            if (auto b = m_leaders.bind_all({m_groups.keys()[slot], m_from, m_to}); !b) {
                return b;
            }
            while (true) {
                auto step = m_leaders.step();
                if (!step) {
                    return fail(std::move(step).error());
                }
                if (*step != sqlite::Step::row) {
                    break;
                }
                m_groups.add(slot, m_leaders.column_int(0), m_leaders.column_int(1));
            }
        }
        return {};
    }

  private:
    Inserter(sqlite::Connection& c, sqlite::Statement insert, sqlite::Statement holder,
             sqlite::Statement leaders, sqlite::Statement bump, std::int64_t from, std::int64_t to)
        : m_conn(c),
          m_insert(std::move(insert)),
          m_holder(std::move(holder)),
          m_leaders(std::move(leaders)),
          m_bump(std::move(bump)),
          m_from(from),
          m_to(to) {}

    sqlite::Connection& m_conn;
    sqlite::Statement m_insert;
    sqlite::Statement m_holder;
    sqlite::Statement m_leaders;
    sqlite::Statement m_bump;
    std::int64_t m_from;
    std::int64_t m_to;
    GroupLeaders m_groups{{}};
    std::unordered_map<std::int64_t, std::int64_t> m_bumps;  // leader id -> reposts added
};

Result<SaveResult> insert_all(sqlite::Connection& c, const PreparedMentions& batch,
                              std::chrono::minutes window) {
    SaveResult out;
    if (batch.mentions.empty()) {
        return out;
    }
    const std::int64_t span = std::chrono::duration_cast<std::chrono::seconds>(window).count();
    auto ins = Inserter::open(c, batch.from - span, batch.to + span);
    if (!ins) {
        return fail(std::move(ins).error());
    }
    if (auto r = ins->load_leaders(batch.groups); !r) {
        return fail(std::move(r).error());
    }
    // In publication order (prepare_mentions): the earliest of a group becomes its leader
    // whatever order the source gave, and the time index takes its entries in order.
    for (std::size_t i = 0; i < batch.mentions.size(); ++i) {
        if (auto r =
                ins->add(batch.mentions[i], batch.uri_keys[i], batch.positions[i], window, out);
            !r) {
            return fail(std::move(r).error());
        }
    }
    std::sort(out.new_indexes.begin(), out.new_indexes.end());
    if (auto r = ins->finish(); !r) {
        return fail(std::move(r).error());
    }
    return out;
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

std::int64_t mention_uri_key(std::string_view remote_uri) {
    return static_cast<std::int64_t>(mix(fnv1a(remote_uri)));
}

PreparedMentions prepare_mentions(std::vector<Mention> mentions) {
    PreparedMentions p;
    const std::size_t n = mentions.size();
    std::vector<std::pair<std::int64_t, std::size_t>> order;  // (published_at, position)
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        order.emplace_back(to_db(mentions[i].published_at), i);
    }
    std::sort(order.begin(), order.end());  // by time, then input order
    p.mentions.reserve(n);
    p.positions.reserve(n);
    p.uri_keys.reserve(n);
    p.groups.reserve(n);
    for (const auto& [at, i] : order) {
        p.mentions.push_back(std::move(mentions[i]));
        p.positions.push_back(i);
        p.uri_keys.push_back(mention_uri_key(p.mentions.back().remote_uri));
        p.groups.push_back(static_cast<std::int64_t>(p.mentions.back().group_key));
    }
    std::sort(p.groups.begin(), p.groups.end());
    p.groups.erase(std::unique(p.groups.begin(), p.groups.end()), p.groups.end());
    if (!order.empty()) {
        p.from = order.front().first;
        p.to = order.back().first;
    }
    return p;
}

// The FNV-1a hash of a text's normal form (see mentions.hpp), computed as the normal form is
// read, without building it: words of lower-cased ASCII letters, digits and non-ASCII bytes,
// separated by one space, without URLs and @handles, without a leading "rt " and without
// trailing spaces. tests/unit/test_store_mentions.cpp checks it against the normal form built
// as a string.
std::uint64_t repost_group_key(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    const auto put = [&h](char c) { h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL; };
    // The first word is held back while it may still be the "rt" a retweet starts with.
    enum class First { reading, done } first = First::reading;
    char held[2] = {0, 0};
    std::size_t held_size = 0;
    bool written = false;  // something is in the normal form
    bool space = false;    // a separator came after the last character written
    const auto release = [&]() {
        for (std::size_t k = 0; k < held_size; ++k) {
            put(held[k]);
        }
        written = written || held_size > 0;
        held_size = 0;
        first = First::done;
    };
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
        if (!is_alnum(c)) {
            if (first == First::reading && held_size > 0) {
                // The first word has ended: "rt" and its separator are dropped.
                if (held_size == 2 && held[0] == 'r' && held[1] == 't') {
                    held_size = 0;
                    first = First::done;
                    continue;
                }
                release();
            }
            space = written;
            continue;
        }
        if (first == First::reading) {
            const char want = held_size == 0 ? 'r' : 't';
            if (held_size < 2 && static_cast<char>(c) == want) {
                held[held_size++] = static_cast<char>(c);
                continue;
            }
            release();
        }
        if (space) {
            put(' ');
            space = false;
        }
        put(static_cast<char>(c));
        written = true;
    }
    release();
    return h;
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
