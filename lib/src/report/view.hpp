#pragma once
// What the human-readable renderers (text, Markdown, HTML) share: the labels in English and
// French, the formatting of figures (unavailable is never 0), and the report's tables built
// once, so that the three formats always show the same figures.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/report/report.hpp"
#include "cmtool/util/locale.hpp"

namespace cmtool::report::detail {

struct Labels {
    std::string_view title;
    std::string_view campaign_title;
    std::string_view period;
    std::string_view compared_with;
    std::string_view counters_as_of;
    std::string_view no_metrics;
    std::string_view unavailable;
    std::string_view unavailable_legend;
    std::string_view stale_note;  // {} posts
    std::string_view overview;
    std::string_view figure;
    std::string_view this_period;
    std::string_view previous_period;
    std::string_view change;
    std::string_view engagement_change;  // the channel table's change column
    std::string_view posts;
    std::string_view planned;
    std::string_view unplanned;
    std::string_view engagements;
    std::string_view views;
    std::string_view rate;
    std::string_view followers_start;
    std::string_view followers_end;
    std::string_view followers_growth;
    std::string_view on_time_share;
    std::string_view audience;
    std::string_view account;
    std::string_view start;
    std::string_view end;
    std::string_view trend;
    std::string_view channels;
    std::string_view channel;
    std::string_view categories;
    std::string_view category;
    std::string_view share;
    std::string_view target;
    std::string_view uncategorised;
    std::string_view campaigns;
    std::string_view campaign;
    std::string_view adherence;
    std::string_view planned_deliveries;
    std::string_view on_time;
    std::string_view late;
    std::string_view missed;
    std::string_view failed;
    std::string_view pending;
    std::string_view top_posts;
    std::string_view bottom_posts;
    std::string_view post;
    std::string_view published;
    std::string_view no_posts;
    std::string_view daily_engagement;
    std::string_view best_times;
    std::string_view best_times_window;  // {from} {to}
    std::string_view not_enough;         // {posts} {min}
    std::string_view best_slot;          // {day} {hour} {rate} {posts}
    std::string_view no_best_slot;
    std::string_view hour;
    std::string_view cell_title;  // {day} {hour} {rate} {posts}
    std::string_view followers_chart;
    std::string_view engagement_chart;
    std::string_view generated_by;
};

const Labels& labels(util::Lang lang);

// Figures for people: a count, a rate (2 decimals), a share (1 decimal), a change; the
// unavailable mark when nullopt.
std::string fmt_count(const Count& c, util::Lang lang);
std::string fmt_rate(const Rate& r, util::Lang lang);
std::string fmt_share(const Rate& r, util::Lang lang);
std::string fmt_change(const Rate& r, util::Lang lang);
// "semaine 2026-W47 : du lundi 16 au dimanche 22 novembre 2026" and the like.
std::string period_text(const calendar::Period& p, util::Lang lang);
// "lun. 16 nov. 09:30" in the workspace zone.
std::string when(Seconds t, const calendar::WorkspaceConfig& ws, util::Lang lang);
// The first `n` characters (code points) of `s` on one line, with "…" when cut.
std::string excerpt(std::string_view s, std::size_t n);
// ▁▂▃▄▅▆▇█ for each value (scaled from the smallest to the largest); a space when unavailable.
std::string sparkline(const std::vector<Count>& values);

struct Table {
    std::string title;
    std::vector<std::string> header;
    std::string align;  // 'l' or 'r' per column
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> links;  // per row: the first cell's link (top posts), or empty
    std::string empty;               // shown instead of a table without rows
};

// The report's tables, in the order every renderer shows them.
struct View {
    std::string title;
    std::vector<std::string> lines;  // period, comparison, counters as of
    std::vector<std::string> notes;  // stale snapshots, unavailable legend
    bool has_metrics = false;
    Table overview;
    Table audience;
    Table channels;
    Table categories;
    Table campaigns;
    Table adherence;
    Table top;
    Table bottom;
};

View make_view(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang);

// The best-times line of a channel: its best slot, or why there is none.
std::string best_times_line(const BestTimes& b, util::Lang lang);

}  // namespace cmtool::report::detail
