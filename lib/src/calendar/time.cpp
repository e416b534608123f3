// Calendar times: parsing "2026-11-27 09:00[:ss][Z|±hh:mm]" and resolving it in the zone.
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "cmtool/calendar/load.hpp"

namespace cmtool::calendar {

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

struct Parsed {
    date::year_month_day day;
    std::chrono::seconds time_of_day{0};
    std::optional<std::chrono::minutes> offset;
};

// Syntax only; returns an explanation on failure.
std::variant<Parsed, std::string> parse_time_text(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d)) {
        return std::string("expected a date and time like 2026-11-27 09:00");
    }
    if (s.size() < 16 || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi)) {
        return std::string("a time of day is needed, like 2026-11-27 09:00");
    }
    std::size_t i = 16;
    if (i < s.size() && s[i] == ':') {
        if (!digits(s, i + 1, 2, sec)) {
            return std::string("seconds must be two digits");
        }
        i += 3;
    }
    Parsed p;
    p.day = date::year{y} / date::month{static_cast<unsigned>(mo)} /
            date::day{static_cast<unsigned>(d)};
    if (!p.day.ok()) {
        return fmt::format("{:04}-{:02}-{:02} is not a date in the calendar", y, mo, d);
    }
    if (h > 23 || mi > 59 || sec > 59) {
        return fmt::format("{:02}:{:02} is not a time of day", h, mi);
    }
    p.time_of_day = std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(sec);
    if (i < s.size()) {
        if (s[i] == 'Z' && i + 1 == s.size()) {
            p.offset = std::chrono::minutes(0);
        } else if (s[i] == '+' || s[i] == '-') {
            int oh = 0, om = 0;
            const bool colon = i + 3 < s.size() && s[i + 3] == ':';
            if (!digits(s, i + 1, 2, oh) || !digits(s, i + (colon ? 4 : 3), 2, om) ||
                i + (colon ? 6 : 5) != s.size() || oh > 18 || om > 59) {
                return std::string("the offset must look like +01:00");
            }
            const auto off = std::chrono::minutes(oh * 60 + om);
            p.offset = s[i] == '-' ? -off : off;
        } else {
            return fmt::format("unexpected `{}` after the time", s.substr(i));
        }
    }
    return p;
}

std::string hhmm(std::chrono::seconds s) {
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(s);
    const auto sign = m.count() < 0 ? '-' : '+';
    const auto a = m.count() < 0 ? -m.count() : m.count();
    return fmt::format("{}{:02}:{:02}", sign, a / 60, a % 60);
}

}  // namespace

std::optional<PostTime> resolve_time(std::string_view text, const WorkspaceConfig& ws,
                                     Diagnostics& diags, const std::string& file, Pos pos,
                                     const std::string& post_id) {
    auto parsed = parse_time_text(text);
    if (auto* why = std::get_if<std::string>(&parsed)) {
        diags.error("invalid-date", file, pos,
                    fmt::format("`{}` is not a valid time: {}", text, *why), post_id, {},
                    "write it like 2026-11-27 09:00 or 2026-11-27T09:00:00+01:00");
        return std::nullopt;
    }
    const auto& p = std::get<Parsed>(parsed);
    PostTime t;
    t.text = std::string(text);
    t.local = date::local_days{p.day} + p.time_of_day;
    if (p.offset) {
        t.has_offset = true;
        t.utc = std::chrono::sys_seconds{t.local.time_since_epoch()} - *p.offset;
        return t;
    }
    const auto info = ws.zone->get_info(t.local);
    switch (info.result) {
        case date::local_info::unique:
            t.utc = std::chrono::sys_seconds{t.local.time_since_epoch()} - info.first.offset;
            break;
        case date::local_info::nonexistent: {
            diags.error(
                "nonexistent-time", file, pos,
                fmt::format("{} does not exist in {}: the clocks jump forward that night "
                            "(from {} to {})",
                            text, ws.timezone, hhmm(info.first.offset), hhmm(info.second.offset)),
                post_id, {}, "pick another time, e.g. one hour later");
            return std::nullopt;
        }
        case date::local_info::ambiguous:
            diags.warning("ambiguous-time", file, pos,
                          fmt::format("{} happens twice in {} (the clocks go back that night); "
                                      "cmtool takes the first one ({})",
                                      text, ws.timezone, hhmm(info.first.offset)),
                          post_id, {},
                          fmt::format("add an offset to choose: {}{} or {}{}", text,
                                      hhmm(info.first.offset), text, hhmm(info.second.offset)));
            t.utc = std::chrono::sys_seconds{t.local.time_since_epoch()} - info.first.offset;
            break;
    }
    return t;
}

}  // namespace cmtool::calendar
