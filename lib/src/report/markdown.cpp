// The report as Markdown: headings, pipe tables, heat maps in code blocks; for e-mails, wikis
// and chat tools that render Markdown.
#include <fmt/format.h>

#include "cmtool/report/render.hpp"
#include "report/heatmap.hpp"
#include "report/view.hpp"

namespace cmtool::report {

namespace {

using namespace detail;

// A cell: `|` and `<` escaped (a post's text must not become HTML in a wiki), line breaks
// flattened.
std::string cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|' || c == '<') {
            out += '\\';
            out += c;
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string link_label(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '[' || c == ']') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string table_md(const Table& t) {
    std::string out = fmt::format("## {}\n\n", t.title);
    if (t.rows.empty()) {
        return out + (t.empty.empty() ? std::string("—") : t.empty) + "\n\n";
    }
    std::string head = "|";
    std::string rule = "|";
    for (std::size_t i = 0; i < t.header.size(); ++i) {
        head += " " + cell(t.header[i]) + " |";
        rule += i < t.align.size() && t.align[i] == 'r' ? " ---: |" : " --- |";
    }
    out += head + "\n" + rule + "\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        std::string line = "|";
        for (std::size_t i = 0; i < t.rows[r].size(); ++i) {
            auto text = cell(t.rows[r][i]);
            if (i == 0 && r < t.links.size() && !t.links[r].empty()) {
                text = fmt::format("[{}](<{}>)", link_label(text), t.links[r]);
            }
            line += " " + text + " |";
        }
        out += line + "\n";
    }
    return out + "\n";
}

}  // namespace

std::string report_markdown(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang) {
    const auto& l = labels(lang);
    const View v = make_view(r, ws, lang);
    std::string out = fmt::format("# {}\n\n", v.title);
    for (const auto& line : v.lines) {
        out += fmt::format("- {}\n", line);
    }
    out += "\n";
    if (!v.has_metrics) {
        out += fmt::format("**{}**\n\n", l.no_metrics);
        if (r.adherence.planned > 0) {
            out += table_md(v.adherence);
        }
        return out;
    }
    out += table_md(v.overview);
    out += fmt::format("{}{} `{}`\n\n", l.daily_engagement, lang == util::Lang::fr ? " :" : ":",
                       sparkline(r.daily_engagements));
    out += table_md(v.audience);
    out += table_md(v.channels);
    out += table_md(v.categories);
    if (!v.campaigns.rows.empty()) {
        out += table_md(v.campaigns);
    }
    out += table_md(v.adherence);
    out += table_md(v.top);
    if (!v.bottom.rows.empty()) {
        out += table_md(v.bottom);
    }
    out += fmt::format("## {}\n\n", l.best_times);
    out += fmt::format(fmt::runtime(l.best_times_window), util::short_day(r.history_from, lang),
                       util::short_day(r.history_to, lang)) +
           "\n\n";
    for (const auto& b : r.best_times) {
        out += fmt::format("- **{}** ({}): {}\n", b.account, b.platform, best_times_line(b, lang));
        if (b.posts > 0) {
            out += "\n```\n" + heatmap_text(b, lang, "") + "```\n\n";
        }
    }
    out += "\n";
    for (const auto& n : v.notes) {
        out += fmt::format("_{}_\n\n", n);
    }
    return out;
}

}  // namespace cmtool::report
