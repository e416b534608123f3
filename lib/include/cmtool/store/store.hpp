#pragma once
// The local state database: one SQLite file, <state dir>/state.db, holding the publish ledger
// (and later metrics snapshots and mentions). Schema and migrations: docs/store.md.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "cmtool/util/result.hpp"

namespace cmtool::store {

namespace sqlite {
class Connection;  // lib/src/store/sqlite.hpp: for the store's own modules only
}

inline constexpr const char* k_state_db_file = "state.db";

struct StoreOptions {
    // How long a write waits for another process's transaction before failing (conflict).
    std::chrono::milliseconds busy_timeout{10000};
};

// One connection to state.db in WAL mode with synchronous=FULL (a committed transaction
// survives power loss), foreign keys on, and every migration applied. Move-only; the
// connection closes when the Store goes away. Not shared between threads or across fork().
class Store {
  public:
    // Opens <state_dir>/state.db, creating the folder (mode 0700) and the file when missing,
    // and migrates the schema to the latest version. Fails (io) when the folder or file cannot
    // be created, (conflict) when another process holds the database longer than the busy
    // timeout, (config) when the file was written by a newer cmtool.
    static Result<Store> open(const std::filesystem::path& state_dir, StoreOptions options = {});

    Store(Store&& other) noexcept;
    Store& operator=(Store&& other) noexcept;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    ~Store();

    // The database file.
    const std::filesystem::path& file() const;
    // The schema version (PRAGMA user_version); equals latest_schema_version() after open().
    Result<int> schema_version();
    // The current value of a read-only pragma such as "journal_mode" or "synchronous", as text
    // (for diagnostics and tests). Fails (usage) when `name` is not a plain identifier.
    Result<std::string> pragma(std::string_view name);

    // For the store's modules (ledger, metrics): the underlying connection.
    sqlite::Connection& connection() { return *m_conn; }

  private:
    explicit Store(std::unique_ptr<sqlite::Connection> conn);
    std::unique_ptr<sqlite::Connection> m_conn;
};

// The number of migrations this cmtool knows: the schema version a migrated database has.
int latest_schema_version();

}  // namespace cmtool::store
