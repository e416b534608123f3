#pragma once
// The report fixture (tests/data/report): the workspace copied to a temp folder, a fresh
// store seeded with seed.sql, the calendar loaded, and `now` = 2026-11-25 10:00 Paris.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/report/report.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/files.hpp"
#include "test_support.hpp"

namespace cmtool::test {

inline const std::filesystem::path k_report_data =
    std::filesystem::path(CMTOOL_TEST_DATA) / "report";
// 2026-11-25T09:00:00Z: Wednesday of W48, so the default period is W47.
inline const std::chrono::sys_seconds k_report_now{std::chrono::seconds{1795597200}};
inline const char* k_report_now_text = "2026-11-25T10:00:00+01:00";

// Runs a SQL script on the database file with a connection of its own.
inline void exec_sql(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_file.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string why = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, why);
}

struct ReportFixture {
    TempDir tmp;
    calendar::WorkspaceConfig ws;
    std::vector<calendar::Post> posts;
    store::Store store;

    explicit ReportFixture(const std::string& name, bool seeded = true)
        : tmp(name), ws(load(tmp.path())), posts(load_posts(ws)), store(open(ws)) {
        if (seeded) {
            auto sql = util::read_file(k_report_data / "seed.sql");
            REQUIRE(sql.has_value());
            exec_sql(store.file(), *sql);
        }
    }

    Result<report::Report> build(const calendar::Period& period,
                                 report::Compare compare = report::Compare::previous,
                                 const std::string& campaign = {}) {
        report::ReportOptions o;
        o.period = period;
        o.compare = compare;
        o.campaign = campaign;
        return report::build_report(ws, posts, store, o, k_report_now);
    }

  private:
    static calendar::WorkspaceConfig load(const std::filesystem::path& root) {
        std::filesystem::copy(k_report_data / "cmtool.yaml", root / "cmtool.yaml");
        std::filesystem::copy(k_report_data / "calendar", root / "calendar",
                              std::filesystem::copy_options::recursive);
        calendar::Diagnostics d;
        auto ws = calendar::load_workspace(root, d);
        REQUIRE(ws.has_value());
        REQUIRE(d.error_count() == 0);
        return *ws;
    }
    static std::vector<calendar::Post> load_posts(const calendar::WorkspaceConfig& ws) {
        calendar::Diagnostics d;
        auto p = calendar::load_posts(ws, d);
        REQUIRE(p.has_value());
        REQUIRE(d.error_count() == 0);
        return *p;
    }
    static store::Store open(const calendar::WorkspaceConfig& ws) {
        auto s = store::Store::open(ws.state_path());
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return std::move(*s);
    }
};

}  // namespace cmtool::test
