// The report for terminals: aligned tables, sparklines and heat maps; colour only when the
// caller's style says so (a terminal without NO_COLOR).
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>

#include "calendar/text_table.hpp"
#include "cmtool/report/render.hpp"
#include "report/heatmap.hpp"
#include "report/view.hpp"

namespace cmtool::report {

namespace detail {

int heat_level(const BestTimes& b, const Cell& c) {
    if (c.posts == 0) {
        return 0;
    }
    double best = 0;
    for (const auto& day : b.cells) {
        for (const auto& cell : day) {
            best = std::max(best, cell.rate.value_or(0));
        }
    }
    if (best <= 0 || !c.rate) {
        return 1;
    }
    return std::clamp(static_cast<int>(*c.rate / best * 4.0 + 0.999), 1, 4);
}

std::string heatmap_text(const BestTimes& b, util::Lang lang, const std::string& indent) {
    static constexpr const char* k_levels[] = {"·", "░", "▒", "▓", "█"};
    std::string out = indent + "     0     6     12    18\n";
    for (unsigned d = 0; d < 7; ++d) {
        auto name = util::weekday_name(d, util::Lang::en, true);
        if (lang == util::Lang::fr) {
            name = util::weekday_name(d, lang, true).substr(0, 3);
        }
        out += fmt::format("{}{:<4} ", indent, name);
        for (const auto& c : b.cells[d]) {
            out += k_levels[heat_level(b, c)];
        }
        out += "\n";
    }
    return out;
}

}  // namespace detail

namespace {

using namespace detail;

std::string table_text(const Table& t, const TextStyle& st) {
    std::string out = st.bold(t.title) + "\n";
    if (t.rows.empty()) {
        return out + "  " + (t.empty.empty() ? std::string("—") : t.empty) + "\n\n";
    }
    calendar::TextTable tt;
    tt.header = t.header;
    tt.align = t.align;
    for (const auto& r : t.rows) {
        tt.add(r);
    }
    auto plain = [](std::string_view s) { return std::string(s); };
    return out + calendar::render_table(tt, st.dim ? st.dim : plain, plain) + "\n";
}

}  // namespace

std::string report_text(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang,
                        const TextStyle& st) {
    const auto& l = labels(lang);
    const View v = make_view(r, ws, lang);
    std::string out = st.bold(v.title) + "\n";
    for (const auto& line : v.lines) {
        out += line + "\n";
    }
    out += "\n";
    if (!v.has_metrics) {
        out += st.warn(l.no_metrics) + "\n\n";
        if (r.adherence.planned > 0) {
            out += table_text(v.adherence, st);
        }
        return out;
    }
    out += table_text(v.overview, st);
    out += fmt::format("  {}{} {}\n\n", l.daily_engagement, lang == util::Lang::fr ? " :" : ":",
                       sparkline(r.daily_engagements));
    out += table_text(v.audience, st);
    out += table_text(v.channels, st);
    out += table_text(v.categories, st);
    if (!v.campaigns.rows.empty()) {
        out += table_text(v.campaigns, st);
    }
    out += table_text(v.adherence, st);
    out += table_text(v.top, st);
    if (!v.bottom.rows.empty()) {
        out += table_text(v.bottom, st);
    }
    out += st.bold(l.best_times) + "\n";
    out += "  " +
           fmt::format(fmt::runtime(l.best_times_window), util::short_day(r.history_from, lang),
                       util::short_day(r.history_to, lang)) +
           "\n";
    for (const auto& b : r.best_times) {
        out += fmt::format("  {} ({}): {}\n", b.account, b.platform, best_times_line(b, lang));
        if (b.posts > 0) {
            out += heatmap_text(b, lang, "    ");
        }
    }
    out += "\n";
    for (const auto& n : v.notes) {
        out += st.dim(n) + "\n";
    }
    return out;
}

}  // namespace cmtool::report
