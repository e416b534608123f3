#pragma once
// Renderers for validation findings: compiler-style text, JSON, GitHub workflow annotations.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/validate.hpp"

namespace cmtool::calendar {

// Maps a finding's workspace-relative file to what the reader should see.
using PathMapper = std::function<std::string(const std::string&)>;

struct TextStyle {
    std::function<std::string(std::string_view)> error = [](std::string_view s) {
        return std::string(s);
    };
    std::function<std::string(std::string_view)> warning = [](std::string_view s) {
        return std::string(s);
    };
    std::function<std::string(std::string_view)> dim = [](std::string_view s) {
        return std::string(s);
    };
};

// `file:line:col: error[rule]: message (post id, channel)` and an indented `hint:` line.
std::string findings_text(const ValidationReport& r, const PathMapper& path,
                          const TextStyle& style);
// {"files","posts","errors","warnings","findings":[{rule,severity,file,line,column,post,channel,message,hint}]}
nlohmann::json findings_json(const ValidationReport& r, const PathMapper& path);
// `::error file=F,line=L,col=C,title=cmtool[rule]::message` lines, escaped per GitHub's rules.
std::string findings_github(const ValidationReport& r, const PathMapper& path);

}  // namespace cmtool::calendar
