// Inserting a batch of mentions (mentions_insert.hpp) and the keys they are unique and grouped
// by (mentions.hpp): statements prepared once per batch and reused for every row, the batch
// in publication order, each repost group's stored leaders read once.
#include "store/mentions_insert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "store/ledger_rows.hpp"

namespace cmtool::store {

using detail::to_db;

namespace {

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

}  // namespace

namespace detail {

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

}  // namespace detail

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

}  // namespace cmtool::store
