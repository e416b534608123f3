// VTIMEZONE from date::time_zone transitions (get_info): what calendar clients need to place
// DTSTART;TZID=... times, including zones they do not know by name.
#include "ics_timezone.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>

#include "cmtool/calendar/export.hpp"

namespace cmtool::calendar {

namespace {

// "+0100", "-0330"; seconds only when the offset has some (local mean times).
std::string utc_offset(std::chrono::seconds offset) {
    const auto total = offset.count();
    const auto a = total < 0 ? -total : total;
    std::string out = fmt::format("{}{:02}{:02}", total < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    if (a % 60 != 0) {
        out += fmt::format("{:02}", a % 60);
    }
    return out;
}

// One observance starting at `info.begin`, when the offset changes from `before` to info's.
std::string observance(const date::sys_info& info, std::chrono::seconds before, bool since_ever) {
    // Clocks going forward start daylight time. Not `save`: Europe/Dublin's tzdata has a
    // negative save in winter, which calendar apps would show as winter "daylight" time.
    const bool daylight =
        info.offset != before ? info.offset > before : info.save != std::chrono::minutes{0};
    const char* kind = daylight ? "DAYLIGHT" : "STANDARD";
    // RFC 5545 §3.6.5: DTSTART is the onset in the local time in force before it.
    const std::string start =
        since_ever ? std::string("19700101T000000")
                   : date::format("%Y%m%dT%H%M%S",
                                  date::local_seconds{(info.begin + before).time_since_epoch()});
    std::string out = fmt::format("BEGIN:{}\r\n", kind);
    out += ics_fold("DTSTART:" + start);
    out += ics_fold("TZOFFSETFROM:" + utc_offset(before));
    out += ics_fold("TZOFFSETTO:" + utc_offset(info.offset));
    if (!info.abbrev.empty()) {
        out += ics_fold("TZNAME:" + ics_escape(info.abbrev));
    }
    return out + fmt::format("END:{}\r\n", kind);
}

}  // namespace

std::string ics_vtimezone(const date::time_zone& zone, std::string_view tzid, int first_year,
                          int last_year) {
    using std::chrono::sys_seconds;
    // A day of margin on both sides: local days start up to 14 hours away from UTC midnight.
    const sys_seconds range_begin{date::sys_days{date::year{first_year} / 1 / 1} - date::days{1}};
    const sys_seconds range_end{date::sys_days{date::year{last_year + 1} / 1 / 1} + date::days{1}};
    std::string out = "BEGIN:VTIMEZONE\r\n" + ics_fold("TZID:" + std::string(tzid));
    auto info = zone.get_info(range_begin);
    // The observance in force at the start: from its own onset, or "always" for a zone that
    // never changed (its first period starts before any real date).
    const bool since_ever = info.begin < sys_seconds{date::sys_days{date::year{1800} / 1 / 1}};
    const auto before =
        since_ever ? info.offset : zone.get_info(info.begin - std::chrono::seconds{1}).offset;
    out += observance(info, before, since_ever);
    while (info.end < range_end) {
        const auto next = zone.get_info(info.end);
        if (next.offset != info.offset || next.save != info.save) {
            out += observance(next, info.offset, false);
        }
        info = next;
    }
    return out + "END:VTIMEZONE\r\n";
}

bool is_utc_zone(std::string_view name) {
    static constexpr std::array<std::string_view, 12> k_utc = {
        "UTC",      "Etc/UTC", "Etc/UCT", "UCT",     "Etc/Universal", "Universal",
        "Etc/Zulu", "Zulu",    "GMT",     "Etc/GMT", "Etc/GMT0",      "Etc/Greenwich"};
    for (const auto n : k_utc) {
        if (name == n) {
            return true;
        }
    }
    return false;
}

}  // namespace cmtool::calendar
