// SVG charts for the HTML report, drawn by hand: no script, no external asset.
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>

#include "report/heatmap.hpp"
#include "report/html_parts.hpp"
#include "report/view.hpp"

namespace cmtool::report::detail {

namespace {

constexpr const char* k_palette[] = {"#2563eb", "#d97706", "#059669", "#dc2626",
                                     "#7c3aed", "#0891b2", "#db2777", "#4b5563"};
constexpr const char* k_heat[] = {"#f1f5f9", "#c7d2fe", "#818cf8", "#4f46e5", "#312e81"};

const char* colour(std::size_t i) {
    return k_palette[i % std::size(k_palette)];
}

std::string num(double v) {
    return fmt::format("{:.1f}", v);
}

}  // namespace

std::string svg_followers(const Report& r, util::Lang lang) {
    const auto& l = labels(lang);
    constexpr double w = 640, h = 260, left = 64, right = 16, top = 16, bottom = 40;
    std::optional<std::int64_t> lo;
    std::optional<std::int64_t> hi;
    std::size_t days = 0;
    for (const auto& g : r.growth) {
        days = std::max(days, g.daily.size());
        for (const auto& v : g.daily) {
            if (v) {
                lo = lo ? std::min(*lo, *v) : *v;
                hi = hi ? std::max(*hi, *v) : *v;
            }
        }
    }
    std::string out = fmt::format(
        "<svg class=\"chart\" id=\"chart-followers\" viewBox=\"0 0 {} {}\" role=\"img\">"
        "<title>{}</title>",
        w, h, html_escape(l.followers_chart));
    if (!lo || days == 0) {
        return out + fmt::format("<text x=\"{}\" y=\"{}\" class=\"muted\">{}</text></svg>", left,
                                 h / 2, html_escape(l.unavailable));
    }
    const double span = static_cast<double>(std::max<std::int64_t>(*hi - *lo, 1));
    const double y_lo = static_cast<double>(*lo) - span * 0.1;
    const double y_hi = static_cast<double>(*hi) + span * 0.1;
    auto x = [&](std::size_t i) {
        return days == 1 ? left + (w - left - right) / 2
                         : left + (w - left - right) * static_cast<double>(i) /
                                      static_cast<double>(days - 1);
    };
    auto y = [&](double v) { return top + (h - top - bottom) * (y_hi - v) / (y_hi - y_lo); };
    for (int t = 0; t <= 4; ++t) {
        const double v = y_lo + (y_hi - y_lo) * t / 4.0;
        out += fmt::format(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" class=\"grid\"/>"
            "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{}</text>",
            left, num(w - right), num(y(v)), num(y(v)), left - 6, num(y(v) + 4),
            html_escape(util::format_number(v, 0, lang)));
    }
    const std::size_t step = std::max<std::size_t>(1, days / 7);
    for (std::size_t i = 0; i < days; i += step) {
        const auto day = r.period.first_day + date::days{static_cast<int>(i)};
        out +=
            fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                        num(x(i)), h - bottom + 18, html_escape(date::format("%d/%m", day)));
    }
    for (std::size_t a = 0; a < r.growth.size(); ++a) {
        const auto& g = r.growth[a];
        std::string points;
        std::string dots;  // a line needs two days; a dot shows even one
        for (std::size_t i = 0; i < g.daily.size(); ++i) {
            if (g.daily[i]) {
                const double v = static_cast<double>(*g.daily[i]);
                points += fmt::format("{},{} ", num(x(i)), num(y(v)));
                dots += fmt::format(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"><title>{}: {}</title>"
                    "</circle>",
                    num(x(i)), num(y(v)), colour(a), html_escape(g.account),
                    html_escape(util::format_number(v, 0, lang)));
            }
        }
        out += fmt::format(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" points=\"{}\">"
            "<title>{}</title></polyline>{}",
            colour(a), points, html_escape(g.account), dots);
        out += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
            "<text x=\"{}\" y=\"{}\" class=\"legend\">{}</text>",
            left + 110.0 * static_cast<double>(a), h - 14, colour(a),
            left + 110.0 * static_cast<double>(a) + 14, h - 5, html_escape(g.account));
    }
    return out + "</svg>";
}

std::string svg_engagement_by_channel(const Report& r, util::Lang lang) {
    const auto& l = labels(lang);
    constexpr double w = 640, bar_h = 26, gap = 10, left = 150, right = 90;
    const double h = std::max(1.0, static_cast<double>(r.channels.size())) * (bar_h + gap) + gap;
    std::int64_t max = 0;
    for (const auto& c : r.channels) {
        max = std::max(max, c.current.engagements.value_or(0));
    }
    std::string out = fmt::format(
        "<svg class=\"chart\" id=\"chart-engagement\" viewBox=\"0 0 {} {}\" role=\"img\">"
        "<title>{}</title>",
        w, num(h), html_escape(l.engagement_chart));
    for (std::size_t i = 0; i < r.channels.size(); ++i) {
        const auto& c = r.channels[i];
        const double y = gap + static_cast<double>(i) * (bar_h + gap);
        out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{}</text>",
                           left - 8, num(y + bar_h * 0.68), html_escape(c.name));
        const auto& e = c.current.engagements;
        const double len =
            e && max > 0 ? (w - left - right) * static_cast<double>(*e) / static_cast<double>(max)
                         : 0;
        if (e) {
            out += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\">"
                "<title>{}: {}</title></rect>",
                left, num(y), num(std::max(len, 1.0)), bar_h, colour(i), html_escape(c.name),
                html_escape(fmt_count(e, lang)));
        }
        out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\">{}</text>", num(left + len + 6),
                           num(y + bar_h * 0.68), html_escape(fmt_count(e, lang)));
    }
    return out + "</svg>";
}

std::string svg_heatmap(const BestTimes& b, util::Lang lang) {
    const auto& l = labels(lang);
    constexpr double cell = 24, left = 48, top = 22;
    const double w = left + 24 * cell + 4;
    const double h = top + 7 * cell + 4;
    std::string out = fmt::format(
        "<svg class=\"chart heatmap\" id=\"chart-heatmap-{}\" viewBox=\"0 0 {} {}\" role=\"img\">"
        "<title>{} · {}</title>",
        html_escape(b.account), num(w), num(h), html_escape(l.best_times), html_escape(b.account));
    for (unsigned hr = 0; hr < 24; hr += 3) {
        out +=
            fmt::format("<text x=\"{}\" y=\"14\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                        num(left + hr * cell + cell / 2), hr);
    }
    for (unsigned d = 0; d < 7; ++d) {
        const double y = top + d * cell;
        out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{}</text>",
                           left - 6, num(y + cell * 0.65),
                           html_escape(util::weekday_name(d, lang, true)));
        for (unsigned hr = 0; hr < 24; ++hr) {
            const auto& c = b.cells[d][hr];
            const int level = heat_level(b, c);
            out += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\">",
                num(left + hr * cell + 1), num(y + 1), cell - 2, cell - 2, k_heat[level]);
            if (c.posts > 0) {
                out += fmt::format(
                    "<title>{}</title>",
                    html_escape(fmt::format(fmt::runtime(l.cell_title), util::weekday_name(d, lang),
                                            hr, fmt_rate(c.rate, lang), c.posts)));
            }
            out += "</rect>";
            if (c.posts > 0) {
                out += fmt::format(
                    "<text x=\"{}\" y=\"{}\" class=\"count{}\" text-anchor=\"middle\">{}</text>",
                    num(left + hr * cell + cell / 2), num(y + cell * 0.68),
                    level >= 3 ? " light" : "", c.posts);
            }
        }
    }
    return out + "</svg>";
}

}  // namespace cmtool::report::detail
