#pragma once
// Renderers for `plan stats`: aligned tables in the workspace language, and JSON.
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/stats.hpp"

namespace cmtool::calendar {

// Colours for the text renderer; identity by default (no terminal, NO_COLOR).
struct StatsStyle {
    using Fn = std::function<std::string(std::string_view)>;
    Fn bold = [](std::string_view s) { return std::string(s); };
    Fn warn = [](std::string_view s) { return std::string(s); };
    Fn dim = [](std::string_view s) { return std::string(s); };
};

// Four sections: posts per week and channel, the editorial mix against its targets (off-target
// rows flagged), gaps on usual weekdays, campaigns. Labels, dates and numbers in French when the
// workspace `lang` is fr.
std::string stats_text(const PlanStats& s, const WorkspaceConfig& ws, const StatsStyle& style);
// Every figure: {period, posts, drafts, cancelled, channels, weeks, mix, usual, gaps,
// campaigns}; shares in [0, 1], times ISO 8601 with the zone's offset, days YYYY-MM-DD.
nlohmann::json stats_json(const PlanStats& s, const WorkspaceConfig& ws);

}  // namespace cmtool::calendar
