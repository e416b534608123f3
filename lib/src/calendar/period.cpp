#include "cmtool/calendar/period.hpp"

#include <date/iso_week.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace cmtool::calendar {

namespace {

std::string day_label(date::local_days d) {
    const date::year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::optional<int> number(std::string_view s) {
    if (s.empty() || s.size() > 4) {
        return std::nullopt;
    }
    int v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

// Midnight of a local day as an instant (the first instant of the day when midnight is skipped).
std::chrono::sys_seconds start_of(date::local_days d, const date::time_zone& zone) {
    const date::local_seconds midnight{d};
    const auto info = zone.get_info(midnight);
    if (info.result == date::local_info::nonexistent) {
        return info.first.end;
    }
    return std::chrono::sys_seconds{midnight.time_since_epoch()} - info.first.offset;
}

}  // namespace

Period make_period(date::local_days first, date::local_days last, const date::time_zone& zone,
                   std::string label) {
    Period p;
    p.first_day = first;
    p.last_day = last;
    p.from = start_of(first, zone);
    p.to = start_of(last + date::days{1}, zone);
    p.label =
        label.empty() ? fmt::format("{}..{}", day_label(first), day_label(last)) : std::move(label);
    return p;
}

Period Period::previous(const date::time_zone& zone) const {
    const auto len = last_day - first_day + date::days{1};
    const bool is_month = date::year_month_day{first_day}.day() == date::day{1} &&
                          date::year_month_day{last_day + date::days{1}}.day() == date::day{1} &&
                          len.count() >= 28;
    if (is_month) {
        const date::year_month_day f{first_day};
        const auto prev = date::year_month{f.year(), f.month()} - date::months{1};
        const auto pf = date::local_days{prev / date::day{1}};
        const auto pl = date::local_days{prev / date::last};
        return make_period(pf, pl, zone,
                           fmt::format("{:04}-{:02}", static_cast<int>(prev.year()),
                                       static_cast<unsigned>(prev.month())));
    }
    const auto pf = first_day - len;
    const auto pl = first_day - date::days{1};
    std::string week;
    if (len.count() == 7 && date::weekday{first_day} == date::Monday) {
        week = iso_week_label(pf);
    }
    return make_period(pf, pl, zone, week);
}

std::string iso_week_label(date::local_days day) {
    const iso_week::year_weeknum_weekday w{date::sys_days{day.time_since_epoch()}};
    return fmt::format("{:04}-W{:02}", static_cast<int>(w.year()),
                       static_cast<unsigned>(w.weeknum()));
}

date::local_days local_day(std::chrono::sys_seconds t, const date::time_zone& zone) {
    return date::floor<date::days>(zone.to_local(t));
}

Result<Period> parse_week(std::string_view text, const date::time_zone& zone) {
    // 2026-W48
    const auto y = text.size() == 8 && text[4] == '-' && (text[5] == 'W' || text[5] == 'w')
                       ? number(text.substr(0, 4))
                       : std::nullopt;
    const auto w = y ? number(text.substr(6, 2)) : std::nullopt;
    if (!y || !w) {
        return fail(ErrorCode::usage, fmt::format("`{}` is not an ISO week", text),
                    "write it like 2026-W48");
    }
    const iso_week::year_weeknum_weekday first{
        iso_week::year{*y}, iso_week::weeknum{static_cast<unsigned>(*w)}, iso_week::mon};
    if (!first.ok()) {
        return fail(ErrorCode::usage, fmt::format("{} has no week {}", *y, *w));
    }
    const auto monday = date::local_days{date::sys_days{first}.time_since_epoch()};
    return make_period(monday, monday + date::days{6}, zone, fmt::format("{:04}-W{:02}", *y, *w));
}

Result<Period> parse_month(std::string_view text, const date::time_zone& zone) {
    const auto y = text.size() == 7 && text[4] == '-' ? number(text.substr(0, 4)) : std::nullopt;
    const auto m = y ? number(text.substr(5, 2)) : std::nullopt;
    if (!y || !m || *m < 1 || *m > 12) {
        return fail(ErrorCode::usage, fmt::format("`{}` is not a month", text),
                    "write it like 2026-11");
    }
    const date::year_month ym{date::year{*y}, date::month{static_cast<unsigned>(*m)}};
    return make_period(date::local_days{ym / date::day{1}}, date::local_days{ym / date::last}, zone,
                       fmt::format("{:04}-{:02}", *y, *m));
}

Result<date::local_days> parse_day(std::string_view text) {
    const auto y = text.size() == 10 && text[4] == '-' && text[7] == '-' ? number(text.substr(0, 4))
                                                                         : std::nullopt;
    const auto m = y ? number(text.substr(5, 2)) : std::nullopt;
    const auto d = m ? number(text.substr(8, 2)) : std::nullopt;
    if (!d) {
        return fail(ErrorCode::usage, fmt::format("`{}` is not a date", text),
                    "write it like 2026-11-23");
    }
    const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) {
        return fail(ErrorCode::usage, fmt::format("{} is not a day in the calendar", text));
    }
    return date::local_days{ymd};
}

Result<Period> resolve_period(const PeriodFlags& f, std::chrono::sys_seconds now,
                              const date::time_zone& zone, int days_default) {
    const int forms = (f.week.empty() ? 0 : 1) + (f.month.empty() ? 0 : 1) +
                      (f.from.empty() && f.to.empty() ? 0 : 1);
    if (forms > 1) {
        return fail(ErrorCode::usage, "give one of --week, --month or --from/--to");
    }
    if (!f.week.empty()) {
        return parse_week(f.week, zone);
    }
    if (!f.month.empty()) {
        return parse_month(f.month, zone);
    }
    const auto today = local_day(now, zone);
    if (!f.from.empty() || !f.to.empty()) {
        auto from = f.from.empty() ? Result<date::local_days>(today) : parse_day(f.from);
        if (!from) {
            return fail(std::move(from).error());
        }
        auto to = f.to.empty() ? Result<date::local_days>(*from + date::days{6}) : parse_day(f.to);
        if (!to) {
            return fail(std::move(to).error());
        }
        if (*to < *from) {
            return fail(ErrorCode::usage, fmt::format("--to {} is before --from {}", f.to, f.from));
        }
        return make_period(*from, *to, zone, {});
    }
    if (days_default > 0) {
        return make_period(today, today + date::days{days_default - 1}, zone, {});
    }
    return make_period(today + date::days{days_default}, today - date::days{1}, zone, {});
}

}  // namespace cmtool::calendar
