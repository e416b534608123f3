#include "store/migrations.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "cmtool/store/store.hpp"

namespace cmtool::store {

namespace {

// Version 1: the publish ledger (docs/ledger.md). Times are integer Unix seconds (UTC).
constexpr std::string_view k_ledger_v1 = R"sql(
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    occurrence_id TEXT    NOT NULL,
    post_id       TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    scheduled_at  INTEGER NOT NULL,
    content_hash  TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN
                  ('pending', 'partial', 'sent', 'failed', 'missed', 'deferred')),
    parts_total   INTEGER NOT NULL CHECK (parts_total >= 1),
    error         TEXT    NOT NULL DEFAULT '',
    hint          TEXT    NOT NULL DEFAULT '',
    retry_at      INTEGER,
    url           TEXT    NOT NULL DEFAULT '',
    remote_id     TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    UNIQUE (occurrence_id, channel)
);
CREATE INDEX deliveries_by_post ON deliveries (post_id);
CREATE INDEX deliveries_by_schedule ON deliveries (scheduled_at);

CREATE TABLE parts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    part_index  INTEGER NOT NULL CHECK (part_index >= 0),
    key         TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('intent', 'sent', 'failed')),
    ref_json    TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    intent_at   INTEGER,
    done_at     INTEGER,
    error       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, part_index)
) WITHOUT ROWID;
-- unresolved() reads only the few parts whose outcome is unknown.
CREATE INDEX parts_in_intent ON parts (delivery_id) WHERE state = 'intent';

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    part_index  INTEGER,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    detail      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_by_delivery ON events (delivery_id, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
)sql";

// Version 2: engagement history (docs/metrics.md). Snapshots are appended, never updated: the
// triggers refuse UPDATE and DELETE. A NULL counter means the platform does not provide it
// (never 0). `metric_sources.mapping` names the platform field behind each counter.
constexpr std::string_view k_metrics_v2 = R"sql(
CREATE TABLE pull_runs (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT    NOT NULL DEFAULT 'running' CHECK (status IN
                ('running', 'ok', 'partial', 'failed', 'interrupted')),
    summary     TEXT    NOT NULL DEFAULT '{}'
);

CREATE TABLE metric_sources (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    mapping  TEXT NOT NULL,
    UNIQUE (platform, mapping)
);

CREATE TABLE tracked_posts (
    id            INTEGER PRIMARY KEY,
    account       TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    remote_id     TEXT    NOT NULL,
    url           TEXT    NOT NULL DEFAULT '',
    delivery_id   INTEGER REFERENCES deliveries (id),
    post_id       TEXT,
    occurrence_id TEXT,
    published_at  INTEGER NOT NULL,
    excerpt       TEXT    NOT NULL DEFAULT '',
    first_seen    INTEGER NOT NULL,
    last_pulled   INTEGER,
    deleted_at    INTEGER,
    UNIQUE (account, remote_id)
);
CREATE INDEX tracked_by_published ON tracked_posts (published_at);

CREATE TABLE post_snapshots (
    post      INTEGER NOT NULL REFERENCES tracked_posts (id),
    taken_at  INTEGER NOT NULL,
    likes     INTEGER,
    reposts   INTEGER,
    replies   INTEGER,
    quotes    INTEGER,
    bookmarks INTEGER,
    views     INTEGER,
    source    INTEGER NOT NULL REFERENCES metric_sources (id),
    run       INTEGER REFERENCES pull_runs (id)
);
CREATE INDEX post_snapshots_by_post ON post_snapshots (post, taken_at);
CREATE INDEX post_snapshots_by_time ON post_snapshots (taken_at);

CREATE TABLE account_snapshots (
    account   TEXT    NOT NULL,
    platform  TEXT    NOT NULL,
    taken_at  INTEGER NOT NULL,
    followers INTEGER,
    following INTEGER,
    posts     INTEGER,
    source    INTEGER NOT NULL REFERENCES metric_sources (id),
    run       INTEGER REFERENCES pull_runs (id)
);
CREATE INDEX account_snapshots_by_account ON account_snapshots (account, taken_at);

CREATE TRIGGER post_snapshots_append_only_update BEFORE UPDATE ON post_snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER post_snapshots_append_only_delete BEFORE DELETE ON post_snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER account_snapshots_append_only_update BEFORE UPDATE ON account_snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER account_snapshots_append_only_delete BEFORE DELETE ON account_snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
)sql";

// Version 3: social listening (docs/watch.md, docs/store.md). A mention is stored once per
// platform URI; reposts of the same normalised text share a group_key, the first of them (the
// leader) counting the group in group_count, the others holding 0. A source's cursor is
// written in the same transaction as the mentions it produced. Alerts keep their figures and
// the mentions that tripped them as JSON; a storm updates its alert (cooldown).
constexpr std::string_view k_mentions_v3 = R"sql(
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    query        TEXT    NOT NULL,
    platform     TEXT    NOT NULL,
    remote_uri   TEXT    NOT NULL UNIQUE,
    url          TEXT    NOT NULL DEFAULT '',
    author       TEXT    NOT NULL DEFAULT '',
    author_url   TEXT    NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    fetched_at   INTEGER NOT NULL,
    text         TEXT    NOT NULL DEFAULT '',
    lang         TEXT    NOT NULL DEFAULT '',
    sentiment    TEXT    NOT NULL CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    score        REAL    NOT NULL DEFAULT 0,
    group_key    TEXT    NOT NULL,
    group_count  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mentions_by_time ON mentions (query, published_at);
CREATE INDEX mentions_by_group ON mentions (group_key, published_at);

CREATE TABLE watch_cursors (
    source        TEXT    PRIMARY KEY,
    cursor        TEXT    NOT NULL DEFAULT '',
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0,
    next_try_at   INTEGER,
    last_error    TEXT    NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    rule       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    fired_at   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updates    INTEGER NOT NULL DEFAULT 0,
    figures    TEXT    NOT NULL DEFAULT '{}',
    mentions   TEXT    NOT NULL DEFAULT '[]',
    channels   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX alerts_by_rule ON alerts (rule, query, fired_at);
)sql";

// Version 4: the `awaiting_confirmation` delivery state of manual channels (docs/ledger.md).
// SQLite cannot alter a CHECK constraint, so `deliveries` is rebuilt: copied aside, dropped,
// created with the wider CHECK, and filled again, with its indexes. parts, events and
// tracked_posts reference deliveries(id); foreign keys are on, so they are deferred to the
// commit: dropping the table counts their rows as violations and refilling it with the same
// ids settles every one, so the commit checks nothing left dangling. Self-contained: it
// depends on no other migration after version 1.
constexpr std::string_view k_ledger_awaiting_confirmation_v4 = R"sql(
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE deliveries_v3_copy AS SELECT * FROM deliveries;
DROP TABLE deliveries;
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    occurrence_id TEXT    NOT NULL,
    post_id       TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    scheduled_at  INTEGER NOT NULL,
    content_hash  TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN
                  ('pending', 'partial', 'sent', 'failed', 'missed', 'deferred',
                   'awaiting_confirmation')),
    parts_total   INTEGER NOT NULL CHECK (parts_total >= 1),
    error         TEXT    NOT NULL DEFAULT '',
    hint          TEXT    NOT NULL DEFAULT '',
    retry_at      INTEGER,
    url           TEXT    NOT NULL DEFAULT '',
    remote_id     TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    UNIQUE (occurrence_id, channel)
);
INSERT INTO deliveries (id, occurrence_id, post_id, channel, platform, scheduled_at,
                        content_hash, state, parts_total, error, hint, retry_at, url, remote_id,
                        created_at, updated_at, sent_at)
    SELECT id, occurrence_id, post_id, channel, platform, scheduled_at, content_hash, state,
           parts_total, error, hint, retry_at, url, remote_id, created_at, updated_at, sent_at
    FROM deliveries_v3_copy;
DROP TABLE deliveries_v3_copy;
CREATE INDEX deliveries_by_post ON deliveries (post_id);
CREATE INDEX deliveries_by_schedule ON deliveries (scheduled_at);
)sql";

// Version 5: mentions keyed by integers (bench/README.md, bench_watch): `uri_key`, a 64-bit hash
// of remote_uri, is the unique key instead of the URI text (8 bytes per index entry instead of
// the whole URI, compared without memcmp), and group_key is the hash as an integer instead of
// 16 hex characters. remote_uri stays, for reading and to tell two URIs with one key apart.
// cmtool_uri_key() and cmtool_hex_key() are defined by Store::open on every connection.
constexpr std::string_view k_mention_keys_v5 = R"sql(
CREATE TABLE mentions_v5 (
    id           INTEGER PRIMARY KEY,
    uri_key      INTEGER NOT NULL UNIQUE,
    source       TEXT    NOT NULL,
    query        TEXT    NOT NULL,
    platform     TEXT    NOT NULL,
    remote_uri   TEXT    NOT NULL,
    url          TEXT    NOT NULL DEFAULT '',
    author       TEXT    NOT NULL DEFAULT '',
    author_url   TEXT    NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    fetched_at   INTEGER NOT NULL,
    text         TEXT    NOT NULL DEFAULT '',
    lang         TEXT    NOT NULL DEFAULT '',
    sentiment    TEXT    NOT NULL CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    score        REAL    NOT NULL DEFAULT 0,
    group_key    INTEGER NOT NULL,
    group_count  INTEGER NOT NULL DEFAULT 1
);
INSERT INTO mentions_v5 (id, uri_key, source, query, platform, remote_uri, url, author,
                         author_url, published_at, fetched_at, text, lang, sentiment, score,
                         group_key, group_count)
SELECT id, cmtool_uri_key(remote_uri), source, query, platform, remote_uri, url, author,
       author_url, published_at, fetched_at, text, lang, sentiment, score,
       cmtool_hex_key(group_key), group_count
FROM mentions;
DROP TABLE mentions;
ALTER TABLE mentions_v5 RENAME TO mentions;
CREATE INDEX mentions_by_time ON mentions (query, published_at);
CREATE INDEX mentions_by_group ON mentions (group_key, published_at);
)sql";

// Version 6: the mention table rebuilt for bulk inserts, same columns and ids. Its sentiment
// CHECK is written as comparisons: SQLite runs `x IN ('a', 'b', 'c')` by building a temporary
// index of the list on every INSERT (a quarter of the time of storing a mention). The time
// index leads with published_at: every time query (alert windows, digest, listing) is a range
// on it, with the query name, when there is one, filtered from the same index entries (the old
// `(query, published_at)` order could not serve `(? = '' OR query = ?)` with a range, so those
// queries read the whole table). The group index keeps leaders only (group_count > 0, the
// only rows a repost can join): a storm of reposts adds nothing to it.
constexpr std::string_view k_mention_table_v6 = R"sql(
CREATE TABLE mentions_v6 (
    id           INTEGER PRIMARY KEY,
    uri_key      INTEGER NOT NULL UNIQUE,
    source       TEXT    NOT NULL,
    query        TEXT    NOT NULL,
    platform     TEXT    NOT NULL,
    remote_uri   TEXT    NOT NULL,
    url          TEXT    NOT NULL DEFAULT '',
    author       TEXT    NOT NULL DEFAULT '',
    author_url   TEXT    NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    fetched_at   INTEGER NOT NULL,
    text         TEXT    NOT NULL DEFAULT '',
    lang         TEXT    NOT NULL DEFAULT '',
    sentiment    TEXT    NOT NULL CHECK (sentiment = 'negative' OR sentiment = 'neutral' OR
                                         sentiment = 'positive'),
    score        REAL    NOT NULL DEFAULT 0,
    group_key    INTEGER NOT NULL,
    group_count  INTEGER NOT NULL DEFAULT 1
);
INSERT INTO mentions_v6 (id, uri_key, source, query, platform, remote_uri, url, author,
                         author_url, published_at, fetched_at, text, lang, sentiment, score,
                         group_key, group_count)
SELECT id, uri_key, source, query, platform, remote_uri, url, author, author_url, published_at,
       fetched_at, text, lang, sentiment, score, group_key, group_count
FROM mentions ORDER BY id;
DROP TABLE mentions;
ALTER TABLE mentions_v6 RENAME TO mentions;
CREATE INDEX mentions_by_time ON mentions (published_at, query);
CREATE INDEX mentions_by_leader ON mentions (group_key, published_at) WHERE group_count > 0;
)sql";

// Append a line to add a migration; never edit or reorder one that has shipped.
constexpr std::array k_migrations{
    Migration{"ledger", k_ledger_v1},
    Migration{"metrics", k_metrics_v2},
    Migration{"mentions", k_mentions_v3},
    Migration{"ledger_awaiting_confirmation", k_ledger_awaiting_confirmation_v4},
    Migration{"mention keys", k_mention_keys_v5},
    Migration{"mention table", k_mention_table_v6},
};

Result<int> user_version(sqlite::Connection& conn) {
    auto v = conn.query_int("PRAGMA user_version");
    if (!v) {
        return fail(std::move(v).error());
    }
    return static_cast<int>(v->value_or(0));
}

Error too_new(const sqlite::Connection& conn, int version) {
    return Error{ErrorCode::config,
                 fmt::format("{} has schema version {}, newer than this cmtool's {}",
                             conn.file().string(), version, k_migrations.size()),
                 "a newer cmtool wrote this state: upgrade cmtool"};
}

}  // namespace

std::span<const Migration> migrations() {
    return k_migrations;
}

Result<void> migrate(sqlite::Connection& conn) {
    const int latest = static_cast<int>(k_migrations.size());
    auto current = user_version(conn);
    if (!current) {
        return fail(std::move(current).error());
    }
    if (*current > latest) {
        return fail(too_new(conn, *current));
    }
    for (int version = *current + 1; version <= latest; ++version) {
        const Migration& m = k_migrations[static_cast<std::size_t>(version - 1)];
        auto r = sqlite::in_transaction<void>(conn, [&](sqlite::Connection& c) -> Result<void> {
            auto now = user_version(c);  // another process may have migrated meanwhile
            if (!now) {
                return fail(std::move(now).error());
            }
            if (*now > latest) {
                return fail(too_new(c, *now));
            }
            if (*now >= version) {
                return {};
            }
            if (auto s = c.exec_script(m.sql); !s) {
                return s;
            }
            return c.exec_script(fmt::format("PRAGMA user_version = {}", version));
        });
        if (!r) {
            Error e = std::move(r).error();
            e.message =
                fmt::format("cannot apply migration {} ({}): {}", version, m.name, e.message);
            return fail(std::move(e));
        }
    }
    return {};
}

int latest_schema_version() {
    return static_cast<int>(k_migrations.size());
}

}  // namespace cmtool::store
