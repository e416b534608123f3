#pragma once
// Reads a state database behind the store's back, with a connection of its own: what is on
// disk, not what the store's API says.
#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>

namespace cmtool::test {

// Runs one statement; the first column of the first row as text ("" when there is no row, or
// it is NULL), or nullopt when the statement failed (e.g. a trigger refused it).
inline std::optional<std::string> raw_query(const std::filesystem::path& db,
                                            const std::string& sql) {
    sqlite3* conn = nullptr;
    std::optional<std::string> out;
    if (sqlite3_open(db.c_str(), &conn) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_ROW) {
                const auto* text = sqlite3_column_text(stmt, 0);
                out = text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : "";
            } else if (rc == SQLITE_DONE) {
                out = "";
            }
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(conn);
    return out;
}

}  // namespace cmtool::test
