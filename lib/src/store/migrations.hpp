#pragma once
// The ordered list of schema migrations and the function that applies them (docs/store.md).
#include <span>
#include <string_view>

#include "cmtool/util/result.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

struct Migration {
    std::string_view name;  // for error messages: "ledger", "metrics", ...
    std::string_view sql;   // one script, applied in one transaction
};

// Every migration in order; migration i (0-based) brings the schema to version i + 1.
std::span<const Migration> migrations();

// Applies, each in its own IMMEDIATE transaction, every migration newer than the database's
// PRAGMA user_version, re-reading the version inside the transaction so that two processes
// opening a fresh file never apply one twice. Fails (config) when the file is newer than us.
Result<void> migrate(sqlite::Connection& conn);

}  // namespace cmtool::store
