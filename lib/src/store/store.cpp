#include "cmtool/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "cmtool/store/mentions.hpp"
#include "store/migrations.hpp"
#include "store/private_dir.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

namespace {

// Per-connection settings (docs/ledger.md explains synchronous=FULL). journal_mode=WAL is
// persistent in the file but is asked for on every open: it is a no-op once set.
Result<void> configure(sqlite::Connection& conn, const StoreOptions& options) {
    conn.set_busy_timeout(static_cast<int>(options.busy_timeout.count()));
    // 16 KiB pages for a new store (a no-op once the file has content, so existing stores keep
    // theirs): shallower indexes for the mention table's random keys. Measured: 1.2x faster
    // for SQLite's inserts alone, about 4 % on bench_watch's whole pass (bench/README.md).
    // Must come before WAL mode, which fixes it.
    if (auto p = conn.exec_script("PRAGMA page_size = 16384"); !p) {
        return p;
    }
    auto mode = conn.query_text("PRAGMA journal_mode = WAL");
    if (!mode) {
        return fail(std::move(mode).error());
    }
    if (mode->value_or("") != "wal") {
        // Some file systems (network mounts) cannot share WAL's memory index.
        return fail(ErrorCode::io,
                    fmt::format("{}: cannot use WAL mode (journal mode is {})",
                                conn.file().string(), mode->value_or("unknown")),
                    "keep the workspace's state folder on a local disk");
    }
    // 64 MB of page cache (allocated only as pages are read): large inserts into indexed tables
    // (a watch run storing many mentions) touch pages all over each index.
    return conn.exec_script(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;");
}

// 16 hexadecimal digits (the text group keys of schema version 3) as the integer they spell.
std::int64_t hex_key(std::string_view text) {
    std::uint64_t v = 0;
    for (const char c : text) {
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0 || text.size() != 16) {
            return static_cast<std::int64_t>(repost_group_key(text));  // not a hex key
        }
        v = (v << 4) | static_cast<std::uint64_t>(d);
    }
    return static_cast<std::int64_t>(v);
}

// The SQL functions migrations use to compute the keys the code computes.
Result<void> define_functions(sqlite::Connection& conn) {
    if (auto r = conn.define_function("cmtool_uri_key", mention_uri_key); !r) {
        return r;
    }
    return conn.define_function("cmtool_hex_key", hex_key);
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& state_dir, StoreOptions options) {
    if (auto d = make_private_dirs(state_dir); !d) {
        return fail(std::move(d).error());
    }
    auto conn = sqlite::Connection::open(state_dir / k_state_db_file);
    if (!conn) {
        return fail(std::move(conn).error());
    }
    if (auto f = define_functions(*conn); !f) {
        return fail(std::move(f).error());
    }
    // Two processes opening a fresh file race the switch to WAL and the migrations. SQLite
    // answers some of those collisions with SQLITE_BUSY at once, without calling the busy
    // handler (a WAL read snapshot that went stale while the other process committed a
    // migration), so a conflict is retried here until the busy timeout. Both steps are
    // idempotent: a migration checks the version again inside its transaction.
    const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
    while (true) {
        Result<void> ready = configure(*conn, options);
        if (ready) {
            ready = migrate(*conn);
        }
        if (ready) {
            break;
        }
        if (ready.error().code != ErrorCode::conflict ||
            std::chrono::steady_clock::now() >= deadline) {
            return fail(std::move(ready).error());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return Store(std::make_unique<sqlite::Connection>(std::move(*conn)));
}

Store::Store(std::unique_ptr<sqlite::Connection> conn) : m_conn(std::move(conn)) {}
Store::Store(Store&& other) noexcept = default;
Store& Store::operator=(Store&& other) noexcept = default;
Store::~Store() = default;

const std::filesystem::path& Store::file() const {
    return m_conn->file();
}

Result<int> Store::schema_version() {
    auto v = m_conn->query_int("PRAGMA user_version");
    if (!v) {
        return fail(std::move(v).error());
    }
    return static_cast<int>(v->value_or(0));
}

Result<std::string> Store::pragma(std::string_view name) {
    const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
    if (!plain) {
        return fail(ErrorCode::usage, fmt::format("not a pragma name: {}", name));
    }
    auto v = m_conn->query_text(fmt::format("PRAGMA {}", name));
    if (!v) {
        return fail(std::move(v).error());
    }
    return v->value_or("");
}

}  // namespace cmtool::store
