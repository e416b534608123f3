// The report's tables for people, built once for text, Markdown and HTML.
#include <date/tz.h>
#include <fmt/format.h>

#include "report/view.hpp"

namespace cmtool::report::detail {

namespace {

using util::Lang;

constexpr std::size_t k_excerpt_points = 60;

Table overview_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.overview;
    const bool cmp = r.previous.has_value();
    t.header = {std::string(l.figure), std::string(l.this_period)};
    t.align = "lr";
    if (cmp) {
        t.header.insert(t.header.end(), {std::string(l.previous_period), std::string(l.change)});
        t.align += "rr";
    }
    const auto& a = r.totals;
    const auto& b = r.previous_totals;
    // `change` nullopt: unavailable; a growth has no change of its own ("—").
    auto row = [&](std::string_view label, std::string now, std::string before,
                   std::optional<Rate> change) {
        std::vector<std::string> cells{std::string(label), std::move(now)};
        if (cmp) {
            cells.push_back(std::move(before));
            cells.push_back(change ? fmt_change(*change, lang) : "—");
        }
        t.rows.push_back(std::move(cells));
    };
    auto count_row = [&](std::string_view label, Count now, Count before) {
        row(label, fmt_count(now, lang), fmt_count(before, lang),
            Rate(relative_change(as_rate(now), as_rate(before))));
    };
    count_row(l.posts, a.posts, b.posts);
    count_row(fmt::format("  {}", l.planned), a.planned, b.planned);
    count_row(fmt::format("  {}", l.unplanned), a.unplanned, b.unplanned);
    count_row(l.engagements, a.engagements, b.engagements);
    count_row(l.views, a.views, b.views);
    row(l.rate, fmt_rate(a.rate, lang), fmt_rate(b.rate, lang),
        Rate(relative_change(a.rate, b.rate)));
    count_row(l.followers_start, a.followers_start, b.followers_start);
    count_row(l.followers_end, a.followers_end, b.followers_end);
    const auto growth_a = relative_change(as_rate(a.followers_end), as_rate(a.followers_start));
    const auto growth_b = relative_change(as_rate(b.followers_end), as_rate(b.followers_start));
    row(l.followers_growth, fmt_change(growth_a, lang), fmt_change(growth_b, lang), std::nullopt);
    row(l.on_time_share, fmt_share(r.adherence.on_time_share, lang),
        fmt_share(r.previous_adherence.on_time_share, lang),
        Rate(relative_change(r.adherence.on_time_share, r.previous_adherence.on_time_share)));
    return t;
}

Table audience_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.audience;
    t.header = {std::string(l.account),
                std::string(l.start),
                std::string(l.end),
                std::string(l.change),
                "%",
                std::string(l.trend)};
    t.align = "lrrrrl";
    for (const auto& g : r.growth) {
        const Count change = g.change;
        std::string signed_change = fmt_count(change, lang);
        if (change && *change > 0) {
            signed_change = "+" + signed_change;
        }
        t.rows.push_back({g.account, fmt_count(g.start, lang), fmt_count(g.end, lang),
                          signed_change, fmt_change(g.change_share, lang), sparkline(g.daily)});
    }
    return t;
}

Table channel_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.channels;
    t.header = {std::string(l.channel), std::string(l.posts), std::string(l.engagements),
                std::string(l.views),   std::string(l.rate),  std::string(l.followers_end)};
    t.align = "lrrrrr";
    if (r.previous) {
        t.header.emplace_back(l.engagement_change);
        t.align += "r";
    }
    for (const auto& c : r.channels) {
        std::vector<std::string> cells{
            c.platform.empty() ? c.name : fmt::format("{} ({})", c.name, c.platform),
            std::to_string(c.current.posts),
            fmt_count(c.current.engagements, lang),
            fmt_count(c.current.views, lang),
            fmt_rate(c.current.rate, lang),
            fmt_count(c.current.followers_end, lang)};
        if (r.previous) {
            cells.push_back(fmt_change(
                relative_change(as_rate(c.current.engagements),
                                c.previous ? as_rate(c.previous->engagements) : std::nullopt),
                lang));
        }
        t.rows.push_back(std::move(cells));
    }
    return t;
}

Table category_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.categories;
    t.header = {std::string(l.category), std::string(l.posts),       std::string(l.share),
                std::string(l.target),   std::string(l.engagements), std::string(l.rate)};
    t.align = "lrrrrr";
    for (const auto& c : r.categories) {
        t.rows.push_back({c.name == k_uncategorised ? std::string(l.uncategorised) : c.name,
                          std::to_string(c.current.posts), fmt_share(c.share, lang),
                          c.target ? fmt_share(c.target, lang) : "—",
                          fmt_count(c.current.engagements, lang), fmt_rate(c.current.rate, lang)});
    }
    return t;
}

Table campaign_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.campaigns;
    t.header = {std::string(l.campaign), std::string(l.posts), std::string(l.engagements),
                std::string(l.views), std::string(l.rate)};
    t.align = "lrrrr";
    for (const auto& c : r.campaigns) {
        t.rows.push_back({c.name, std::to_string(c.current.posts),
                          fmt_count(c.current.engagements, lang), fmt_count(c.current.views, lang),
                          fmt_rate(c.current.rate, lang)});
    }
    return t;
}

Table adherence_table(const Report& r, const Labels& l, Lang lang) {
    Table t;
    t.title = l.adherence;
    t.header = {std::string(l.figure), std::string(l.this_period)};
    t.align = "lr";
    if (r.previous) {
        t.header.emplace_back(l.previous_period);
        t.align += "r";
    }
    const auto& a = r.adherence;
    const auto& b = r.previous_adherence;
    auto row = [&](std::string_view label, std::int64_t now, std::int64_t before) {
        std::vector<std::string> cells{std::string(label), std::to_string(now)};
        if (r.previous) {
            cells.push_back(std::to_string(before));
        }
        t.rows.push_back(std::move(cells));
    };
    row(l.planned_deliveries, a.planned, b.planned);
    row(l.on_time, a.on_time, b.on_time);
    row(l.late, a.late, b.late);
    row(l.missed, a.missed, b.missed);
    row(l.failed, a.failed, b.failed);
    row(l.pending, a.pending, b.pending);
    std::vector<std::string> share{std::string(l.on_time_share), fmt_share(a.on_time_share, lang)};
    if (r.previous) {
        share.push_back(fmt_share(b.on_time_share, lang));
    }
    t.rows.push_back(std::move(share));
    return t;
}

Table posts_table(const Report& r, const std::vector<std::size_t>& which, std::string_view title,
                  const calendar::WorkspaceConfig& ws, const Labels& l, Lang lang) {
    Table t;
    t.title = title;
    t.header = {std::string(l.post),        std::string(l.channel), std::string(l.published),
                std::string(l.engagements), std::string(l.views),   std::string(l.rate)};
    t.align = "lllrrr";
    t.empty = l.no_posts;
    for (auto i : which) {
        const auto& p = r.posts[i];
        const auto text = p.excerpt.empty() ? (p.post_id.empty() ? p.url : p.post_id) : p.excerpt;
        t.rows.push_back({excerpt(text, k_excerpt_points), p.account,
                          when(p.published_at, ws, lang), fmt_count(p.engagements, lang),
                          fmt_count(p.counters.views, lang), fmt_rate(p.rate, lang)});
        t.links.push_back(p.url);
    }
    return t;
}

}  // namespace

View make_view(const Report& r, const calendar::WorkspaceConfig& ws, Lang lang) {
    const auto& l = labels(lang);
    View v;
    const auto brand = r.brand.empty() ? std::string() : fmt::format(" · {}", r.brand);
    v.title = r.campaign.empty() ? fmt::format("{}{}", l.title, brand)
                                 : fmt::format("{} {}{}", l.campaign_title, r.campaign, brand);
    v.lines.push_back(fmt::format("{} {}", l.period, period_text(r.period, lang)));
    if (r.previous) {
        v.lines.push_back(fmt::format("{} {}", l.compared_with, period_text(*r.previous, lang)));
    }
    v.lines.push_back(fmt::format("{} {}", l.counters_as_of, when(r.cut, ws, lang)));
    v.has_metrics = r.has_metrics();
    if (r.totals.stale > 0) {
        v.notes.push_back(fmt::format(fmt::runtime(l.stale_note), r.totals.stale));
    }
    v.notes.emplace_back(l.unavailable_legend);
    v.overview = overview_table(r, l, lang);
    v.audience = audience_table(r, l, lang);
    v.channels = channel_table(r, l, lang);
    v.categories = category_table(r, l, lang);
    v.campaigns = campaign_table(r, l, lang);
    v.adherence = adherence_table(r, l, lang);
    v.top = posts_table(r, r.top, l.top_posts, ws, l, lang);
    v.bottom = posts_table(r, r.bottom, l.bottom_posts, ws, l, lang);
    return v;
}

std::string best_times_line(const BestTimes& b, Lang lang) {
    const auto& l = labels(lang);
    if (!b.enough) {
        return fmt::format(fmt::runtime(l.not_enough), b.posts, k_best_times_min_posts);
    }
    if (!b.best_weekday || !b.best_hour) {
        return std::string(l.no_best_slot);
    }
    const auto& c = b.cells[*b.best_weekday][*b.best_hour];
    return fmt::format(fmt::runtime(l.best_slot), util::weekday_name(*b.best_weekday, lang),
                       *b.best_hour, fmt_rate(c.rate, lang), c.posts);
}

}  // namespace cmtool::report::detail
