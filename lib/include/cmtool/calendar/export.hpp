#pragma once
// `plan export`: the calendar as iCalendar (RFC 5545, one event per occurrence), CSV (one row
// per post, every field) or JSON (post_to_json). Pure functions returning the document.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/agenda.hpp"
#include "cmtool/calendar/period.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

// What to export: a period (nullopt: everything) and the same filters as `plan list`.
struct ExportSelection {
    std::optional<Period> period;
    PostFilter filter;
};

// Occurrences of the selected posts (recurring posts expanded), in time order. Posts whose
// time could not be read are left out. Entries point into `posts`.
std::vector<AgendaEntry> export_occurrences(const std::vector<Post>& posts,
                                            const WorkspaceConfig& ws, const ExportSelection& sel);
// The selected posts in calendar order: a recurring post is in when any occurrence is in the
// period. Pointers into `posts`.
std::vector<const Post*> export_posts(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                                      const ExportSelection& sel);

// An iCalendar document: VCALENDAR (METHOD:PUBLISH, the brand as X-WR-CALNAME), a VTIMEZONE
// for the workspace zone covering the events' years (none for UTC), one VEVENT per entry.
// `now` is DTSTAMP. CRLF line endings, lines folded at 75 octets. Never fails.
std::string export_ics(const std::vector<AgendaEntry>& entries, const WorkspaceConfig& ws,
                       std::chrono::sys_seconds now);
// The CSV columns, in order: id, at, channels, status, category, campaign, text, link, media,
// thread, variants, notes, repeat, file.
const std::vector<std::string>& export_csv_columns();
// Header row and one row per post: `at` in ISO 8601 with offset, channels space-separated,
// media/thread/variants/repeat as JSON (empty cell when absent).
std::string export_csv(const std::vector<const Post*>& posts, const WorkspaceConfig& ws);
// {"workspace": {"brand", "timezone"}, "posts": [post_to_json, ...]}.
nlohmann::json export_json(const std::vector<const Post*>& posts, const WorkspaceConfig& ws);

// RFC 5545 §3.3.11 TEXT escaping: backslash, ';' and ',' are escaped, a line break becomes
// "\n" (CRLF and CR too), other control characters but tab are dropped.
std::string ics_escape(std::string_view text);
// One content line folded per RFC 5545 §3.1: at most 75 octets per physical line (the leading
// space of a continuation included), never inside a UTF-8 sequence, each line ended by CRLF.
std::string ics_fold(std::string_view line);
// The UID of an occurrence: `<occurrence id>@<brand slug>.cmtool`, the same in every export.
std::string ics_uid(std::string_view occurrence_id, const WorkspaceConfig& ws);

}  // namespace cmtool::calendar
