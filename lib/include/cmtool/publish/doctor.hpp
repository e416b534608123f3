#pragma once
// `cmtool doctor`: is this workspace ready to publish from cron? Each check is ok, a warning
// (publishing works, something deserves a look) or an error (publishing will fail), with a
// hint saying what to do. See docs/commands.md, `doctor`.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/platforms/auth.hpp"

namespace cmtool::publish {

enum class CheckLevel { ok, warning, error };
std::string_view check_level_name(CheckLevel level);  // "ok", "warning", "error"

struct Check {
    std::string id;     // stable: "workspace", "calendar", "credentials-file", "account:<name>",
                        // "accounts-unsupported", "clock", "state-folder", "ledger", "lock"
    std::string title;  // for humans: "calendar", "masto (mastodon)"
    CheckLevel level = CheckLevel::ok;
    std::string detail;              // one line, never a secret
    std::string hint;                // what to do; empty when ok
    std::vector<std::string> items;  // a list the detail summarises (unresolved parts, ...)
};

struct DoctorReport {
    std::vector<Check> checks;
    std::size_t count(CheckLevel level) const;
    CheckLevel worst() const;
};

struct DoctorOptions {
    platforms::Network network = platforms::Network::online;
    // Beyond this gap between our clock and a server's, scheduled times and token expiries drift.
    std::chrono::seconds clock_tolerance{120};
    // OAuth tokens that need a new login (no automatic renewal, or a refresh token's end): a
    // warning this many days before they expire (platforms::expiry_note).
    int warn_days = 7;
};

// Runs every check on a loaded workspace (ctx.ws); `config_findings` are the findings made while
// loading cmtool.yaml. Offline, nothing is sent over the network. Never fails: a check that
// cannot run is itself reported as a warning or an error.
DoctorReport run_doctor(platforms::AuthContext& ctx,
                        const std::vector<calendar::Finding>& config_findings,
                        const DoctorOptions& options);

// The clock check, pure: our time against the Date header of `server` (nullopt when no answer
// carried one, `why` then says why). Without a server date only the year is checked (>= 2024).
Check check_clock(net::SysTime now, std::optional<std::chrono::sys_seconds> server_date,
                  const std::string& server, const std::string& why,
                  std::chrono::seconds tolerance);

// The credentials file's permissions: an error when group or others may read or write it.
Check check_credentials_file(const std::filesystem::path& file);

}  // namespace cmtool::publish
