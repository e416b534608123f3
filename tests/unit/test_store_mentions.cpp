#include <doctest/doctest.h>

#include <fmt/format.h>
#include <sqlite3.h>

#include "../support/raw_sqlite.hpp"
#include "cmtool/store/mentions.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;

namespace {

const Seconds k_t0{std::chrono::seconds{1'800'000'000}};
const std::chrono::minutes k_day{1440};

Mention mention(const std::string& uri, const std::string& text, Seconds at,
                const std::string& sentiment = "neutral") {
    Mention m;
    m.source = "feed";
    m.query = "brand";
    m.platform = "feed";
    m.remote_uri = uri;
    m.url = "https://x.example/" + uri;
    m.text = text;
    m.published_at = at;
    m.fetched_at = at;
    m.sentiment = sentiment;
    m.group_key = repost_group_key(text);
    return m;
}

struct Fixture {
    test::TempDir tmp{"mentions"};
    Store store = [this] {
        auto s = Store::open(tmp.path());
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return std::move(*s);
    }();
    MentionStore ms{store};
};

}  // namespace

TEST_CASE("mentions: repost group keys ignore RT, URLs, handles, case and spacing") {
    CHECK(repost_group_key("RT @bob: Great   news https://t.co/x") ==
          repost_group_key("great news"));
    CHECK(repost_group_key("great news") != repost_group_key("great views"));
}

namespace {

// The normal form of docs/store.md built as a string, then hashed (FNV-1a 64): what
// repost_group_key computes without building it (and what stores since schema 3 hold).
std::uint64_t reference_group_key(std::string_view text) {
    std::string norm;
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
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80U) {
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
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : norm) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

}  // namespace

TEST_CASE("mentions: repost group keys equal the hash of the normal form built as a string") {
    for (const char* text : {"",
                             " ",
                             "RT",
                             "rt",
                             "RT ",
                             "RT:",
                             "RT  ",
                             "rt rt hello",
                             "RT @a: Hello https://x",
                             "@a RT hi",
                             "https://x RT hi",
                             "r",
                             "r t",
                             "rtx",
                             "Rt-x",
                             "t",
                             "RTRT",
                             "  RT hi  ",
                             "Great   news!!",
                             "Café crème, déçu 😡",
                             "RT\tx",
                             "rt\nx",
                             "x rt y",
                             "@only",
                             "https://only",
                             "RT https://x",
                             "a@b.c",
                             "#Launch2026 is here"}) {
        CAPTURE(text);
        CHECK(repost_group_key(text) == reference_group_key(text));
    }
    // Random texts over an alphabet heavy in the cases that matter: R, T, spaces, URLs, @.
    const std::string_view pieces[] = {"R", "T", "r",  "t", " ", "  ", ":",   "@x", "https://y",
                                       "a", "B", "\t", "é", "1", "RT", "rt ", "\n", "-"};
    std::uint64_t seed = 42;
    for (int n = 0; n < 5000; ++n) {
        std::string text;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const int len = static_cast<int>((seed >> 33U) % 9U);
        for (int k = 0; k < len; ++k) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            text += pieces[(seed >> 33U) % std::size(pieces)];
        }
        CAPTURE(text);
        REQUIRE(repost_group_key(text) == reference_group_key(text));
    }
}

TEST_CASE("mentions: stored once per URI, reposts grouped, cursor in the same transaction") {
    Fixture f;
    WatchCursor c;
    c.source = "feed";
    c.cursor = "42";
    c.etag = "\"v1\"";
    auto first =
        f.ms.save({mention("a", "Great news", k_t0), mention("b", "RT @x: great news", k_t0),
                   mention("c", "Other", k_t0, "negative")},
                  c, k_day);
    REQUIRE(first.has_value());
    CHECK(first->inserted == 3);
    CHECK(first->grouped == 1);
    CHECK(first->new_indexes == std::vector<std::size_t>{0, 1, 2});
    auto again = f.ms.save({mention("a", "Great news", k_t0), mention("d", "new", k_t0)}, c, k_day);
    REQUIRE(again.has_value());
    CHECK(again->inserted == 1);
    CHECK(again->duplicates == 1);
    CHECK(again->new_indexes == std::vector<std::size_t>{1});
    CHECK(f.ms.total().value() == 4);
    MentionFilter leaders;
    leaders.leaders_only = true;
    auto rows = f.ms.mentions(leaders);
    REQUIRE(rows.has_value());
    CHECK(rows->size() == 3);
    auto stored = f.ms.cursor("feed");
    REQUIRE(stored.has_value());
    REQUIRE(stored->has_value());
    CHECK((*stored)->cursor == "42");
    CHECK((*stored)->etag == "\"v1\"");
    CHECK(f.ms.count("brand", k_t0, k_t0 + std::chrono::seconds(1), "negative").value() == 1);
    CHECK(f.ms.count("brand", k_t0 + std::chrono::seconds(1), k_t0 + k_day).value() == 0);
}

TEST_CASE("mentions: a repost batch raises its leader's count once per batch, across batches") {
    Fixture f;
    std::vector<Mention> batch = {mention("l", "Big launch today", k_t0)};
    for (int i = 0; i < 5; ++i) {
        batch.push_back(mention("r" + std::to_string(i), "RT @a: big launch today!",
                                k_t0 + std::chrono::minutes(i + 1)));
    }
    auto saved = f.ms.save_all(batch, k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->grouped == 5);
    saved = f.ms.save_all({mention("r9", "big launch TODAY", k_t0 + std::chrono::hours(2))}, k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->grouped == 1);
    MentionFilter leaders;
    leaders.leaders_only = true;
    auto rows = f.ms.mentions(leaders);
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().remote_uri == "l");
    CHECK(rows->front().group_count == 7);
}

TEST_CASE("mentions: two URIs sharing a 64-bit key are both kept, each once") {
    Fixture f;
    REQUIRE(f.ms.save_all({mention("first", "one", k_t0)}, k_day).has_value());
    // A collision is about one chance in 10^7 for ten million mentions: make one by storing,
    // behind the store's back, a mention "impostor" whose key is the one "second" will have.
    const auto db = f.tmp.path() / "state.db";
    REQUIRE(test::raw_query(db,
                            "INSERT INTO mentions (uri_key, source, query, platform, "
                            "remote_uri, published_at, fetched_at, sentiment, group_key) "
                            "VALUES (" +
                                std::to_string(mention_uri_key("second")) +
                                ", 'feed', 'brand', 'feed', 'impostor', 0, 0, 'neutral', 1)") ==
            "");
    auto saved = f.ms.save_all({mention("second", "two", k_t0)}, k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->inserted == 1);  // not mistaken for a duplicate of "impostor"
    saved = f.ms.save_all({mention("second", "two", k_t0), mention("first", "one", k_t0)}, k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->duplicates == 2);  // "second" found at its next key, "first" at its own
    CHECK(saved->inserted == 0);
    CHECK(test::raw_query(db, "SELECT count(*) FROM mentions") == "3");
}

TEST_CASE("mentions: a version 3 store (text keys) is migrated with its rows, keys and groups") {
    test::TempDir tmp("mentions-v3");
    {
        auto s = Store::open(tmp.path());
        REQUIRE(s.has_value());
    }
    // Rewind the mentions table to schema version 3 as that version wrote it.
    const auto db = tmp.path() / "state.db";
    sqlite3* conn = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &conn) == SQLITE_OK);
    const std::string v3 = fmt::format(
        R"sql(DROP TABLE mentions;
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, query TEXT NOT NULL, platform TEXT NOT NULL,
    remote_uri TEXT NOT NULL UNIQUE, url TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '',
    author_url TEXT NOT NULL DEFAULT '', published_at INTEGER NOT NULL, fetched_at INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT '',
    sentiment TEXT NOT NULL CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    score REAL NOT NULL DEFAULT 0, group_key TEXT NOT NULL, group_count INTEGER NOT NULL DEFAULT 1);
CREATE INDEX mentions_by_time ON mentions (query, published_at);
CREATE INDEX mentions_by_group ON mentions (group_key, published_at);
INSERT INTO mentions (id, source, query, platform, remote_uri, published_at, fetched_at, text,
                      sentiment, group_key, group_count)
VALUES (7, 'feed', 'brand', 'feed', 'https://x.example/1', {0}, {0}, 'Great news', 'positive',
        '{1:016x}', 2),
       (9, 'feed', 'brand', 'feed', 'https://x.example/2', {0}, {0}, 'RT great news', 'positive',
        '{1:016x}', 0);
PRAGMA user_version = 3;)sql",
        k_t0.time_since_epoch().count(), repost_group_key("great news"));
    char* err = nullptr;
    const int rc = sqlite3_exec(conn, v3.c_str(), nullptr, nullptr, &err);
    const std::string why = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(conn);
    REQUIRE_MESSAGE(rc == SQLITE_OK, why);

    auto s = Store::open(tmp.path());
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    CHECK(s->schema_version().value_or(-1) == latest_schema_version());
    MentionStore ms(*s);
    auto rows = ms.mentions({});
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 2);
    CHECK(rows->back().id == 7);
    CHECK(rows->back().group_key == repost_group_key("great news"));
    CHECK(rows->back().group_count == 2);
    // Keys computed in SQL by the migration match the code's: a re-fetch is a duplicate, and a
    // third repost joins the migrated group.
    auto saved = ms.save_all({mention("https://x.example/1", "Great news", k_t0),
                              mention("https://x.example/3", "great news!", k_t0)},
                             k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->duplicates == 1);
    CHECK(saved->grouped == 1);
    CHECK(ms.mentions({}).value().back().group_count == 3);
}

TEST_CASE("mentions: a failure keeps the cursor and counts the streak") {
    Fixture f;
    WatchCursor c;
    c.source = "s";
    c.cursor = "7";
    REQUIRE(f.ms.save({}, c, k_day).has_value());
    REQUIRE(f.ms.record_failure("s", "boom", k_t0 + std::chrono::minutes(10), k_t0).has_value());
    REQUIRE(
        f.ms.record_failure("s", "boom again", k_t0 + std::chrono::minutes(20), k_t0).has_value());
    auto got = f.ms.cursor("s").value();
    REQUIRE(got.has_value());
    CHECK(got->cursor == "7");
    CHECK(got->failures == 2);
    CHECK(got->last_error == "boom again");
    CHECK(got->next_try_at == k_t0 + std::chrono::minutes(20));
    REQUIRE(f.ms.save({}, c, k_day).has_value());  // success resets the streak
    CHECK(f.ms.cursor("s").value()->failures == 0);
}

TEST_CASE("mentions: alerts insert, update and list") {
    Fixture f;
    AlertRecord a;
    a.rule = "spike";
    a.query = "brand";
    a.fired_at = a.updated_at = k_t0;
    a.figures_json = R"({"count":7})";
    auto id = f.ms.insert_alert(a);
    REQUIRE(id.has_value());
    a.id = *id;
    a.updated_at = k_t0 + std::chrono::minutes(5);
    a.figures_json = R"({"count":9})";
    REQUIRE(f.ms.update_alert(a).has_value());
    auto last = f.ms.latest_alert("spike", "brand").value();
    REQUIRE(last.has_value());
    CHECK(last->updates == 1);
    CHECK(last->figures_json == R"({"count":9})");
    CHECK(f.ms.alerts(k_t0).value().size() == 1);
    CHECK_FALSE(f.ms.latest_alert("spike", "other").value().has_value());
}

TEST_CASE("mentions: schema 6 indexes serve the time queries and keep leaders only") {
    Fixture f;
    REQUIRE(f.ms.save_all({mention("a", "Great news", k_t0), mention("b", "RT great news", k_t0),
                           mention("c", "Other", k_t0 + std::chrono::hours(1))},
                          k_day)
                .has_value());
    const auto db = f.tmp.path() / "state.db";
    // New stores use 16 KiB pages (a no-op on existing ones).
    CHECK(test::raw_query(db, "PRAGMA page_size") == "16384");
    // The alert windows' count is a range on the time index, whatever the query filter.
    std::string plan;
    sqlite3* conn = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &conn) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(conn,
                               "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM mentions WHERE (?1 = '' "
                               "OR query = ?1) AND published_at >= ?2 AND published_at < ?3",
                               -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    CAPTURE(plan);
    CHECK(plan.find("INDEX mentions_by_time (published_at>? AND published_at<?)") !=
          std::string::npos);
    // The repost ("b", group_count 0) is not in the leader index.
    CHECK(test::raw_query(db,
                          "SELECT COUNT(*) FROM mentions INDEXED BY mentions_by_leader "
                          "WHERE group_key IS NOT NULL AND group_count > 0") == "2");
    CHECK(test::raw_query(db, "SELECT group_count FROM mentions WHERE remote_uri = 'b'") == "0");
    // The sentiment CHECK still refuses what is not a polarity.
    CHECK_FALSE(test::raw_query(db,
                                "INSERT INTO mentions (uri_key, source, query, platform, "
                                "remote_uri, published_at, fetched_at, sentiment, group_key) "
                                "VALUES (1, 's', 'q', 'p', 'u', 0, 0, 'angry', 0)")
                    .has_value());
    CHECK(test::raw_query(db,
                          "INSERT INTO mentions (uri_key, source, query, platform, "
                          "remote_uri, published_at, fetched_at, sentiment, group_key) "
                          "VALUES (1, 's', 'q', 'p', 'u', 0, 0, 'neutral', 0)")
              .has_value());
}

TEST_CASE("mentions: a batch commits its saves together, and rolls back when dropped") {
    Fixture f;
    WatchCursor c;
    c.source = "dump";
    {
        auto batch = f.ms.begin_batch();
        REQUIRE(batch.has_value());
        c.cursor = "10";
        REQUIRE(batch->save({mention("a", "one", k_t0)}, c, k_day).has_value());
        c.cursor = "20";
        REQUIRE(batch->save({mention("b", "two", k_t0)}, c, k_day).has_value());
        // Dropped uncommitted (a failure later in the import): neither save is kept.
    }
    CHECK(f.ms.total().value() == 0);
    CHECK_FALSE(f.ms.cursor("dump").value().has_value());

    auto batch = f.ms.begin_batch();
    REQUIRE(batch.has_value());
    c.cursor = "10";
    auto first = batch->save({mention("a", "one", k_t0)}, c, k_day);
    REQUIRE(first.has_value());
    CHECK(first->inserted == 1);
    c.cursor = "20";
    // A repost of a mention saved earlier in the same batch joins its group.
    auto second = batch->save({mention("b", "RT one", k_t0), mention("a", "one", k_t0)}, c, k_day);
    REQUIRE(second.has_value());
    CHECK(second->inserted == 1);
    CHECK(second->grouped == 1);
    CHECK(second->duplicates == 1);
    CHECK(second->new_indexes == std::vector<std::size_t>{0});
    REQUIRE(batch->commit().has_value());
    CHECK_FALSE(batch->commit().has_value());  // a batch commits once
    CHECK(f.ms.total().value() == 2);
    CHECK(f.ms.cursor("dump").value()->cursor == "20");
}

TEST_CASE("mentions: a batch is stored in publication order whatever the input order") {
    Fixture f;
    // The later original comes first in the input: the earlier repost leads the group, and
    // new_indexes are positions in the input.
    auto saved = f.ms.save_all({mention("late", "Big news", k_t0 + std::chrono::hours(2)),
                                mention("early", "RT big news", k_t0)},
                               k_day);
    REQUIRE(saved.has_value());
    CHECK(saved->inserted == 2);
    CHECK(saved->grouped == 1);
    CHECK(saved->new_indexes == std::vector<std::size_t>{0, 1});
    auto rows = f.ms.mentions({}).value();
    REQUIRE(rows.size() == 2);
    CHECK(rows.back().remote_uri == "early");  // oldest last (newest first)
    CHECK(rows.back().group_count == 2);
    CHECK(rows.front().group_count == 0);
}
