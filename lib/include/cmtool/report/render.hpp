#pragma once
// Renderers of a report: terminal text, Markdown, one self-contained HTML file, CSV and JSON.
// Labels, dates and numbers follow `lang` (text, Markdown, HTML); CSV and JSON are for
// machines: plain numbers, ISO 8601 times, null or empty where a figure is unavailable.
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/report/report.hpp"
#include "cmtool/util/locale.hpp"

namespace cmtool::report {

// Colours for the text renderer; identity by default (no terminal, NO_COLOR).
struct TextStyle {
    using Fn = std::function<std::string(std::string_view)>;
    Fn bold = [](std::string_view s) { return std::string(s); };
    Fn warn = [](std::string_view s) { return std::string(s); };
    Fn dim = [](std::string_view s) { return std::string(s); };
};

// Aligned tables with sparklines of daily engagement and followers, and a heat map per channel.
std::string report_text(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang,
                        const TextStyle& style = {});
// The same sections as Markdown tables (heat maps in code blocks).
std::string report_markdown(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang);
// One HTML file: inline CSS and SVG charts (follower growth, engagement by channel, best-times
// heat maps), the top posts with links; no script, no external asset; prints to PDF.
std::string report_html(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang);
// Tidy CSV: one figure a row, `section,subject,metric,value,previous,change`.
std::string report_csv(const Report& r, const calendar::WorkspaceConfig& ws);
// Every figure; rates and shares as fractions rounded to 6 decimals, null when unavailable.
nlohmann::json report_json(const Report& r, const calendar::WorkspaceConfig& ws);

}  // namespace cmtool::report
