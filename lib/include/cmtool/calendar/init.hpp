#pragma once
// `cmtool init`: scaffolds a workspace (cmtool.yaml, calendar/, media/, .gitignore) without ever
// overwriting a file, and guesses the time zone and language from the system.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::calendar {

// Where the time zone guess looks, in order; the CLI passes the real system, tests fakes.
struct TimezoneSources {
    std::string tz_env;  // $TZ ("Europe/Paris", ":Europe/Paris", a zoneinfo path); empty: unset
    std::filesystem::path etc_timezone = "/etc/timezone";    // Debian: one IANA name
    std::filesystem::path etc_localtime = "/etc/localtime";  // symlink into .../zoneinfo/
};

struct TimezoneGuess {
    std::string name = "UTC";  // always a zone date::locate_zone knows
    std::string source;        // "$TZ", "/etc/timezone", "/etc/localtime", or empty: the default
};

// The first of $TZ, /etc/timezone and the /etc/localtime link target that names a known IANA
// zone; UTC (empty source) when none does. Never fails.
TimezoneGuess guess_timezone(const TimezoneSources& sources);

// "fr" for a locale value such as "fr_FR.UTF-8" or "fr", else "en".
std::string guess_lang(std::string_view locale_value);

struct InitOptions {
    std::filesystem::path dir;  // the workspace folder; created when missing
    std::string brand;          // empty: the folder's name
    std::string timezone;       // empty: guess_timezone(tz_sources)
    std::string lang;           // empty: guess_lang(locale); else "fr" or "en"
    std::string locale;         // the user's locale ($LC_ALL, $LC_MESSAGES or $LANG)
    TimezoneSources tz_sources;
    std::chrono::sys_seconds now{};  // the example post is dated the next day, 09:00
};

struct InitReport {
    std::filesystem::path root;         // absolute
    std::vector<std::string> created;   // workspace-relative paths ('/'), in creation order
    std::vector<std::string> appended;  // existing files that got a line (.gitignore)
    std::vector<std::string> kept;      // existing files left as they were
    std::string brand;
    std::string timezone;
    std::string timezone_source;  // "--timezone", "$TZ", "/etc/timezone", "/etc/localtime" or ""
    std::string lang;
    std::string example_file;  // "calendar/2026/12.yaml"
    std::string example_post_id;
    std::string example_day;  // the example post's day, "2026-12-01" (09:00 local)
};

// Creates the workspace in `opts.dir`. Fails (usage) when it already holds cmtool.yaml or when
// `timezone`/`lang` are not valid, (io) when a file cannot be written; cmtool.yaml is written
// last, so a failed run can simply be run again. Existing files are never overwritten.
Result<InitReport> init_workspace(const InitOptions& opts);

}  // namespace cmtool::calendar
