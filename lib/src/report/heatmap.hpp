#pragma once
// The best-times heat map as text: one line per weekday, one character per hour.
#include <string>

#include "cmtool/report/report.hpp"
#include "cmtool/util/locale.hpp"

namespace cmtool::report::detail {

// A header line of hour marks and 7 lines `lun. ···░▒▓█···`: '·' an hour without posts, then
// ░▒▓█ by quarter of the channel's best mean rate. Lines start with `indent`.
std::string heatmap_text(const BestTimes& b, util::Lang lang, const std::string& indent);

// The level (1..4) of a cell against the channel's highest mean rate; 0 without posts.
int heat_level(const BestTimes& b, const Cell& c);

}  // namespace cmtool::report::detail
