#pragma once
// Renderers for `plan diff`: grouped text for a terminal, a Markdown comment to paste into a
// pull request, JSON. Times are in the workspace zone; dates are written in the workspace
// language (util::locale) while headings stay English, like the rule codes of `plan validate`.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/diff.hpp"

namespace cmtool::calendar {

// Colours for the text renderer; identity by default (no terminal, NO_COLOR).
struct DiffStyle {
    using Fn = std::function<std::string(std::string_view)>;
    Fn added = [](std::string_view s) { return std::string(s); };
    Fn removed = [](std::string_view s) { return std::string(s); };
    Fn changed = [](std::string_view s) { return std::string(s); };
    Fn bold = [](std::string_view s) { return std::string(s); };
};

// "no calendar changes between <base> and <head>" and a newline.
std::string diff_none_line(const RevisionDiff& d);
// "2 added, 1 removed, 1 moved": the non-zero counts, in section order.
std::string diff_summary(const CalendarDiff& d);
// Sections Added, Removed, Moved, Retargeted, Status, Text, Other fields, each with its count;
// a text change is shown as a word diff with [-removed-] and {+added+} words.
std::string diff_text(const RevisionDiff& d, const WorkspaceConfig& ws, const DiffStyle& style);
// "## Calendar changes", the summary, tables of added, removed and moved posts and of other
// changes, and a <details> block per text change (~~removed~~ **added**).
std::string diff_markdown(const RevisionDiff& d, const WorkspaceConfig& ws);
// {base, head, timezone, summary, added, removed, changed: [{id, changes: {...}}]}; times are
// ISO 8601 with the workspace zone's offset.
nlohmann::json diff_json(const RevisionDiff& d, const WorkspaceConfig& ws);

// "Fri 27 Nov 2026 09:00" / "ven. 27 nov. 2026 09:00" in the workspace zone and language.
std::string human_time(std::chrono::sys_seconds t, const WorkspaceConfig& ws);

}  // namespace cmtool::calendar
