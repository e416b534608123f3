// The report as one self-contained HTML file: inline CSS and SVG, no script, no external
// asset (the only URLs are the posts' own links). Readable on a phone (viewport, tables that
// scroll sideways) and printable to PDF from a browser (@media print, page breaks).
#include <fmt/format.h>

#include "cmtool/report/render.hpp"
#include "report/html_parts.hpp"
#include "report/view.hpp"

namespace cmtool::report {

namespace detail {

std::string_view html_style() {
    return R"css(
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #4f46e5; --bg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8fafc; color: var(--fg);
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 16px 48px; }
header h1 { font-size: 1.6rem; margin: 0 0 4px; }
header p { margin: 2px 0; color: var(--muted); }
section { background: var(--bg); border: 1px solid var(--line); border-radius: 10px;
  padding: 16px; margin: 16px 0; page-break-inside: avoid; break-inside: avoid; }
h2 { font-size: 1.15rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  white-space: nowrap; }
td.post { white-space: normal; min-width: 14em; }
th { font-weight: 600; color: var(--muted); font-size: 0.85rem; white-space: normal; }
.r { text-align: right; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .k { color: var(--muted); font-size: 0.8rem; }
.card .v { font-size: 1.4rem; font-weight: 650; }
.card .c { font-size: 0.85rem; color: var(--muted); }
.notice { background: #fef3c7; border-color: #fcd34d; }
.muted, .note { color: var(--muted); font-size: 0.85rem; }
svg.chart { width: 100%; min-width: 520px; height: auto; display: block; }
svg.heatmap { max-width: 680px; }
td.sub { padding-left: 26px; color: var(--muted); }
.cards { margin-bottom: 12px; }
svg .grid { stroke: var(--line); }
svg .axis, svg .legend { fill: var(--muted); font-size: 11px; }
svg .label, svg .value { fill: var(--fg); font-size: 13px; }
svg .count { fill: var(--fg); font-size: 10px; }
svg .count.light { fill: #ffffff; }
a { color: var(--accent); }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; }
@media (max-width: 600px) {
  main { padding: 12px 8px 32px; }
  section { padding: 12px; }
  th, td { padding: 5px 6px; }
}
@media print {
  body { background: #ffffff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 0 0 14pt; }
  section.break { page-break-before: always; break-before: page; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
)css";
}

}  // namespace detail

namespace {

using namespace detail;

// A table in its section; `before` goes between the title and the table (the overview's
// cards); `columns` limits the columns shown (the audience's text sparkline is left out: the
// chart above shows it better).
std::string table_html(const Table& t, const std::string& id, std::string_view extra = {},
                       const std::string& before = {}, std::size_t columns = 99) {
    std::string out =
        fmt::format("<section id=\"{}\"{}><h2>{}</h2>{}", id, extra, html_escape(t.title), before);
    if (t.rows.empty()) {
        return out + fmt::format("<p class=\"muted\">{}</p></section>\n",
                                 html_escape(t.empty.empty() ? "—" : t.empty));
    }
    out += "<div class=\"scroll\"><table><thead><tr>";
    auto cls = [&t](std::size_t i) {
        return i < t.align.size() && t.align[i] == 'r' ? " class=\"r\"" : "";
    };
    for (std::size_t i = 0; i < t.header.size() && i < columns; ++i) {
        out += fmt::format("<th{}>{}</th>", cls(i), html_escape(t.header[i]));
    }
    out += "</tr></thead><tbody>";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        out += "<tr>";
        for (std::size_t i = 0; i < t.rows[r].size() && i < columns; ++i) {
            const auto text = html_escape(t.rows[r][i]);
            if (i == 0 && r < t.links.size()) {
                out += t.links[r].empty()
                           ? fmt::format("<td class=\"post\">{}</td>", text)
                           : fmt::format("<td class=\"post\"><a href=\"{}\">{}</a></td>",
                                         html_escape(t.links[r]), text);
            } else if (i == 0 && text.starts_with("  ")) {
                out += fmt::format("<td class=\"sub\">{}</td>", text.substr(2));
            } else {
                out += fmt::format("<td{}>{}</td>", cls(i), text);
            }
        }
        out += "</tr>";
    }
    return out + "</tbody></table></div></section>\n";
}

// The overview's first figures as cards: value, then the change against the previous period.
std::string cards_html(const Table& overview, bool compared) {
    std::string out = "<div class=\"cards\">";
    for (std::size_t i : {0UL, 3UL, 5UL, 7UL}) {
        if (i >= overview.rows.size()) {
            continue;
        }
        const auto& row = overview.rows[i];
        out += fmt::format("<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\">{}</div>",
                           html_escape(row[0]), html_escape(row[1]));
        if (compared && row.size() >= 4) {
            out += fmt::format("<div class=\"c\">{}</div>", html_escape(row[3]));
        }
        out += "</div>";
    }
    return out + "</div>";
}

}  // namespace

std::string report_html(const Report& r, const calendar::WorkspaceConfig& ws, util::Lang lang) {
    const auto& l = labels(lang);
    const View v = make_view(r, ws, lang);
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n<header><h1>{}</h1>",
        lang == util::Lang::fr ? "fr" : "en", html_escape(v.title), html_style(),
        html_escape(v.title));
    for (const auto& line : v.lines) {
        out += fmt::format("<p>{}</p>", html_escape(line));
    }
    out += "</header>\n";
    if (!v.has_metrics) {
        out += fmt::format("<section class=\"notice\" id=\"no-metrics\"><p>{}</p></section>\n",
                           html_escape(l.no_metrics));
        if (r.adherence.planned > 0) {
            out += table_html(v.adherence, "adherence");
        }
        return out + "</main>\n</body>\n</html>\n";
    }
    out += table_html(v.overview, "overview", {}, cards_html(v.overview, r.previous.has_value()));
    out += fmt::format(
        "<section id=\"followers\"><h2>{}</h2><div class=\"scroll\">{}</div></section>\n",
        html_escape(l.followers_chart), svg_followers(r, lang));
    out += table_html(v.audience, "audience", {}, {}, v.audience.header.size() - 1);
    out += fmt::format(
        "<section id=\"engagement\"><h2>{}</h2><div class=\"scroll\">{}</div></section>\n",
        html_escape(l.engagement_chart), svg_engagement_by_channel(r, lang));
    out += table_html(v.channels, "channels");
    out += table_html(v.categories, "categories");
    if (!v.campaigns.rows.empty()) {
        out += table_html(v.campaigns, "campaigns");
    }
    out += table_html(v.adherence, "adherence");
    out += table_html(v.top, "top-posts", " class=\"break\"");
    if (!v.bottom.rows.empty()) {
        out += table_html(v.bottom, "bottom-posts");
    }
    out += fmt::format(
        "<section id=\"best-times\" class=\"break\"><h2>{}</h2><p class=\"muted\">{}</p>",
        html_escape(l.best_times),
        html_escape(fmt::format(fmt::runtime(l.best_times_window),
                                util::short_day(r.history_from, lang),
                                util::short_day(r.history_to, lang))));
    for (const auto& b : r.best_times) {
        out += fmt::format("<h3>{} <span class=\"muted\">({})</span></h3><p>{}</p>",
                           html_escape(b.account), html_escape(b.platform),
                           html_escape(best_times_line(b, lang)));
        if (b.posts > 0) {
            out += "<div class=\"scroll\">" + svg_heatmap(b, lang) + "</div>";
        }
    }
    out += "</section>\n";
    for (const auto& n : v.notes) {
        out += fmt::format("<p class=\"note\">{}</p>\n", html_escape(n));
    }
    out += fmt::format("<footer>{} · {}</footer>\n</main>\n</body>\n</html>\n",
                       html_escape(l.generated_by), html_escape(when(r.generated_at, ws, lang)));
    return out;
}

}  // namespace cmtool::report
