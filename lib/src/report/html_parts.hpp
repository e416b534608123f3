#pragma once
// Pieces of the HTML report: the inline style sheet and the SVG charts. Every chart
// is inline SVG with a viewBox (it scales to the page) and a <title> for screen readers.
#include <string>
#include <string_view>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/report/report.hpp"
#include "cmtool/util/encoding.hpp"
#include "cmtool/util/locale.hpp"

namespace cmtool::report::detail {

using util::html_escape;
// The inline style sheet: readable on a phone, printable to PDF.
std::string_view html_style();

// Followers of each account, day by day over the period (one line per account).
std::string svg_followers(const Report& r, util::Lang lang);
// Engagements of the period per channel, horizontal bars; unavailable channels say so.
std::string svg_engagement_by_channel(const Report& r, util::Lang lang);
// One channel's best-times heat map: 7 weekdays × 24 hours, each cell titled with its mean
// rate and post count.
std::string svg_heatmap(const BestTimes& b, util::Lang lang);

}  // namespace cmtool::report::detail
