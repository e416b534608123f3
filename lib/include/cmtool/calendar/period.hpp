#pragma once
// Periods of time in the workspace zone: ISO weeks, months, explicit ranges.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "cmtool/util/result.hpp"

namespace date {
class time_zone;
}

namespace cmtool::calendar {

// [from, to) as instants, and the local days it covers.
struct Period {
    std::chrono::sys_seconds from{};
    std::chrono::sys_seconds to{};
    date::local_days first_day{};  // inclusive
    date::local_days last_day{};   // inclusive
    std::string label;             // "2026-W48", "2026-11", "2026-11-23..2026-11-29"

    bool contains(std::chrono::sys_seconds t) const { return t >= from && t < to; }
    // The period of the same length just before this one.
    Period previous(const date::time_zone& zone) const;
};

// Local days [first, last] in `zone` (midnight to midnight, DST-aware).
Period make_period(date::local_days first, date::local_days last, const date::time_zone& zone,
                   std::string label);
// "2026-W48" (ISO 8601 week, Monday first). Fails (usage) on a malformed or impossible week.
Result<Period> parse_week(std::string_view text, const date::time_zone& zone);
// "2026-11". Fails (usage) when malformed.
Result<Period> parse_month(std::string_view text, const date::time_zone& zone);
// "2026-11-23" (a day); used for --from/--to, both inclusive.
Result<date::local_days> parse_day(std::string_view text);
// The ISO week label ("2026-W48") of a local day.
std::string iso_week_label(date::local_days day);
// The local day of an instant in `zone`.
date::local_days local_day(std::chrono::sys_seconds t, const date::time_zone& zone);

// Resolves the usual period flags: --week, --month, --from/--to (any one form), else the
// `days_default` days starting today (days_default > 0) or ending yesterday (days_default < 0).
struct PeriodFlags {
    std::string week;
    std::string month;
    std::string from;
    std::string to;
};
Result<Period> resolve_period(const PeriodFlags& flags, std::chrono::sys_seconds now,
                              const date::time_zone& zone, int days_default);

}  // namespace cmtool::calendar
