#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "../support/raw_sqlite.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "test_fork.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;
namespace fs = std::filesystem;

namespace {

const Seconds k_now{std::chrono::seconds{1'800'000'000}};

Store open_ok(const fs::path& dir) {
    auto s = Store::open(dir);
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    return std::move(*s);
}

DeliveryKey key(const std::string& occurrence, const std::string& channel = "masto") {
    return DeliveryKey{occurrence, channel};
}

}  // namespace

TEST_CASE("store: open creates a private folder and a WAL database with durable commits") {
    test::TempDir tmp("store-open");
    const fs::path dir = tmp.path() / "ws" / ".cmtool";
    Store s = open_ok(dir);
    CHECK(s.file() == dir / "state.db");
    CHECK(fs::exists(dir / "state.db"));
    struct stat st {};
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(s.pragma("journal_mode").value_or("") == "wal");
    CHECK(s.pragma("synchronous").value_or("") == "2");  // FULL
    CHECK(s.pragma("foreign_keys").value_or("") == "1");
    CHECK(s.pragma("busy_timeout").value_or("") == "10000");
    CHECK(latest_schema_version() >= 1);
    CHECK(s.schema_version().value_or(-1) == latest_schema_version());
}

TEST_CASE("store: migrations apply once and reopening keeps the schema and the data") {
    test::TempDir tmp("store-migrate");
    {
        Store s = open_ok(tmp.path());
        Ledger ledger(s);
        REQUIRE(ledger.ensure_delivery(key("a@1"), "a", "mastodon", k_now, "h", 1, k_now));
    }
    for (int i = 0; i < 2; ++i) {
        // A migration applied twice would fail on CREATE TABLE; data would vanish if re-created.
        Store s = open_ok(tmp.path());
        CHECK(s.schema_version().value_or(-1) == latest_schema_version());
        Ledger ledger(s);
        auto found = ledger.find_delivery(key("a@1"));
        REQUIRE(found);
        CHECK(found->has_value());
    }
}

TEST_CASE("store: pragma() accepts plain names only") {
    test::TempDir tmp("store-pragma");
    Store s = open_ok(tmp.path());
    auto bad = s.pragma("user_version = 7");
    REQUIRE(!bad);
    CHECK(bad.error().code == ErrorCode::usage);
    CHECK(s.schema_version().value_or(-1) == latest_schema_version());
}

TEST_CASE("store: a file that is not a database is refused with a hint") {
    test::TempDir tmp("store-notadb");
    tmp.write("state.db", std::string(4096, 'x'));
    auto s = Store::open(tmp.path());
    REQUIRE(!s);
    CHECK(s.error().code == ErrorCode::io);
    CHECK(s.error().message.find("state.db") != std::string::npos);
    CHECK(s.error().hint.find("damaged") != std::string::npos);
}

TEST_CASE("store: an intent survives the process dying before it records the outcome") {
    test::TempDir tmp("store-crash");
    const fs::path dir = tmp.path() / ".cmtool";
    test::Child child([&](int out) {
        auto s = Store::open(dir);
        if (!s) {
            test::child_write(out, s.error().message);
            return 1;
        }
        Ledger ledger(*s);
        auto d = ledger.ensure_delivery(key("noel@1"), "noel", "mastodon", k_now, "h", 2, k_now);
        if (!d || !ledger.record_intent(d->id, 0, "key-0", k_now)) {
            return 2;
        }
        ::raise(SIGKILL);  // "the request was sent", then the power cord
        return 3;
    });
    const auto r = child.wait();
    REQUIRE_MESSAGE(r.signal == SIGKILL, r.out);

    Store s = open_ok(dir);
    Ledger ledger(s);
    auto open_parts = ledger.unresolved();
    REQUIRE(open_parts);
    REQUIRE(open_parts->size() == 1);
    const UnresolvedPart& u = open_parts->front();
    CHECK(u.delivery.occurrence_id == "noel@1");
    CHECK(u.delivery.state == DeliveryState::pending);
    CHECK(u.part.index == 0);
    CHECK(u.part.state == PartState::intent);
    CHECK(u.part.key == "key-0");
    CHECK(u.part.attempts == 1);
    CHECK(u.part.intent_at == k_now);
    auto log = ledger.events(u.delivery.id);
    REQUIRE(log);
    REQUIRE(log->size() == 2);
    CHECK((*log)[1].kind == "intent");
}

TEST_CASE("store: two processes opening and writing at once wait for each other") {
    test::TempDir tmp("store-concurrent");
    const fs::path dir = tmp.path() / ".cmtool";  // fresh: both race the migrations too
    int go[2] = {-1, -1};
    REQUIRE(::pipe(go) == 0);
    constexpr int k_each = 40;
    auto writer = [&](const std::string& channel) {
        return [&, channel](int out) {
            ::close(go[1]);
            char c = 0;
            (void)!::read(go[0], &c, 1);  // returns when the parent closes its end
            auto s = Store::open(dir);
            if (!s) {
                test::child_write(out, s.error().message);
                return 1;
            }
            Ledger ledger(*s);
            for (int i = 0; i < k_each; ++i) {
                auto d =
                    ledger.ensure_delivery(key(fmt::format("p{}@1", i), channel),
                                           fmt::format("p{}", i), "mastodon", k_now, "h", 1, k_now);
                if (!d) {
                    test::child_write(out, d.error().message);
                    return 2;
                }
                if (auto in = ledger.record_intent(d->id, 0, "k", k_now); !in) {
                    test::child_write(out, in.error().message);
                    return 3;
                }
            }
            return 0;
        };
    };
    test::Child a(writer("masto"));
    test::Child b(writer("bsky"));
    ::close(go[0]);
    ::close(go[1]);
    const auto ra = a.wait();
    const auto rb = b.wait();
    CHECK_MESSAGE(ra.exit_code == 0, ra.out);
    CHECK_MESSAGE(rb.exit_code == 0, rb.out);

    Store s = open_ok(dir);
    CHECK(s.schema_version().value_or(-1) == latest_schema_version());
    Ledger ledger(s);
    auto all = ledger.list({});
    REQUIRE(all);
    CHECK(all->size() == 2 * k_each);
    auto open_parts = ledger.unresolved();
    REQUIRE(open_parts);
    CHECK(open_parts->size() == 2 * k_each);
}

TEST_CASE("store: migration 4 widens the delivery states and keeps every row and reference") {
    test::TempDir tmp("store-migrate-v4");
    std::int64_t id = 0;
    {
        Store s = open_ok(tmp.path());
        Ledger ledger(s);
        auto d = ledger.ensure_delivery(key("a@1"), "a", "mastodon", k_now, "h", 2, k_now);
        REQUIRE(d);
        id = d->id;
        REQUIRE(ledger.record_intent(id, 0, "k0", k_now));
    }
    // Back to a version-3 file: the deliveries table with the old CHECK, user_version 3.
    const auto db = tmp.path() / "state.db";
    REQUIRE(test::raw_query(db, "PRAGMA journal_mode = DELETE").has_value());
    const std::string downgrade = R"sql(
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE deliveries_v3 (
    id INTEGER PRIMARY KEY, occurrence_id TEXT NOT NULL, post_id TEXT NOT NULL,
    channel TEXT NOT NULL, platform TEXT NOT NULL, scheduled_at INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
          ('pending', 'partial', 'sent', 'failed', 'missed', 'deferred')),
    parts_total INTEGER NOT NULL CHECK (parts_total >= 1), error TEXT NOT NULL DEFAULT '',
    hint TEXT NOT NULL DEFAULT '', retry_at INTEGER, url TEXT NOT NULL DEFAULT '',
    remote_id TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, sent_at INTEGER, UNIQUE (occurrence_id, channel));
INSERT INTO deliveries_v3 SELECT * FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v3 RENAME TO deliveries;
PRAGMA user_version = 3;
COMMIT;
)sql";
    {
        sqlite3* conn = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &conn) == SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(conn, downgrade.c_str(), nullptr, nullptr, &err);
        CHECK_MESSAGE(rc == SQLITE_OK, (err != nullptr ? err : ""));
        sqlite3_free(err);
        sqlite3_close(conn);
    }
    REQUIRE(test::raw_query(db, "PRAGMA user_version") == "3");
    Store s = open_ok(tmp.path());
    CHECK(s.schema_version().value_or(-1) == latest_schema_version());
    Ledger ledger(s);
    auto d = ledger.get_delivery(id);
    REQUIRE(d);
    CHECK(d->occurrence_id == "a@1");
    CHECK(ledger.unresolved()->size() == 1);  // the part in intent still points at it
    REQUIRE(
        ledger.set_delivery_state(id, DeliveryState::awaiting_confirmation, {}, "/f", {}, k_now));
    CHECK(test::raw_query(db, "SELECT state FROM deliveries") == "awaiting_confirmation");
    CHECK(test::raw_query(db, "PRAGMA foreign_key_check") == "");
    CHECK(test::raw_query(db, "SELECT count(*) FROM events") != "0");
}
