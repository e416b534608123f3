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
