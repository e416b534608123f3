#pragma once
// VTIMEZONE components for iCalendar export, from the zone's own transitions.
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace cmtool::calendar {

// BEGIN:VTIMEZONE ... END:VTIMEZONE (folded, CRLF) for `zone` under the id `tzid`: the
// observance in force on 1 January of `first_year`, then one STANDARD or DAYLIGHT
// sub-component per offset change up to the end of `last_year` (TZOFFSETFROM/TO, TZNAME, and
// DTSTART in the local time before the change, as RFC 5545 §3.6.5 asks).
std::string ics_vtimezone(const date::time_zone& zone, std::string_view tzid, int first_year,
                          int last_year);

// True for zones that are UTC under another name ("UTC", "Etc/UTC", "Zulu", ...): their events
// are written in UTC with a Z and need no VTIMEZONE.
bool is_utc_zone(std::string_view name);

}  // namespace cmtool::calendar
