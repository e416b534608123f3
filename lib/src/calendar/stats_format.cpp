// `plan stats` as aligned text tables (English or French) and as JSON.
#include "cmtool/calendar/stats_format.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cmtool/calendar/diff_format.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/locale.hpp"
#include "cmtool/util/strings.hpp"
#include "text_table.hpp"

namespace cmtool::calendar {

namespace {

using util::Lang;

// Every word the text report prints, in English and in French.
struct Labels {
    std::string_view title;
    std::string_view ready_one;
    std::string_view ready_many;
    std::string_view draft_one;
    std::string_view draft_many;
    std::string_view cancelled_one;
    std::string_view cancelled_many;
    std::string_view weeks_title;
    std::string_view week;
    std::string_view posts;
    std::string_view drafts;
    std::string_view total;
    std::string_view mix_title;
    std::string_view category;
    std::string_view share;
    std::string_view target;
    std::string_view gap;
    std::string_view off_target;
    std::string_view uncategorised;
    std::string_view gaps_title;
    std::string_view no_gaps;
    std::string_view draft_planned;
    std::string_view campaigns_title;
    std::string_view campaign;
    std::string_view first;
    std::string_view last;
    std::string_view channels;
    std::string_view no_campaigns;
};

constexpr Labels k_en{
    .title = "Plan statistics",
    .ready_one = "post ready",
    .ready_many = "posts ready",
    .draft_one = "draft",
    .draft_many = "drafts",
    .cancelled_one = "cancelled (not counted)",
    .cancelled_many = "cancelled (not counted)",
    .weeks_title = "Posts per week and channel",
    .week = "week",
    .posts = "posts",
    .drafts = "drafts",
    .total = "total",
    .mix_title = "Editorial mix",
    .category = "category",
    .share = "share",
    .target = "target",
    .gap = "gap",
    .off_target = "off target",
    .uncategorised = "uncategorised",
    .gaps_title = "Gaps: no post on a channel's usual weekday",
    .no_gaps = "No gaps.",
    .draft_planned = "draft planned",
    .campaigns_title = "Campaigns",
    .campaign = "campaign",
    .first = "first",
    .last = "last",
    .channels = "channels",
    .no_campaigns = "No campaigns.",
};
constexpr Labels k_fr{
    .title = "Statistiques du plan",
    .ready_one = "publication prête",
    .ready_many = "publications prêtes",
    .draft_one = "brouillon",
    .draft_many = "brouillons",
    .cancelled_one = "annulée (non comptée)",
    .cancelled_many = "annulées (non comptées)",
    .weeks_title = "Publications par semaine et par canal",
    .week = "semaine",
    .posts = "publications",
    .drafts = "brouillons",
    .total = "total",
    .mix_title = "Ligne éditoriale",
    .category = "catégorie",
    .share = "part",
    .target = "cible",
    .gap = "écart",
    .off_target = "hors cible",
    .uncategorised = "sans catégorie",
    .gaps_title = "Trous : aucune publication un jour habituel du canal",
    .no_gaps = "Aucun trou.",
    .draft_planned = "brouillon prévu",
    .campaigns_title = "Campagnes",
    .campaign = "campagne",
    .first = "première",
    .last = "dernière",
    .channels = "canaux",
    .no_campaigns = "Aucune campagne.",
};

// "1 draft", "2 drafts"; French takes the singular for 0 and 1.
std::string counted(std::size_t n, std::string_view one, std::string_view many, Lang lang) {
    const bool singular = lang == Lang::fr ? n < 2 : n == 1;
    return fmt::format("{} {}", n, singular ? one : many);
}

std::string points(double gap, Lang lang) {
    return fmt::format("{}{} pts", gap < 0 ? "\u2212" : "+",
                       util::format_number(std::fabs(gap), 1, lang));
}

std::string weeks_section(const PlanStats& s, const Labels& l, const StatsStyle& st) {
    TextTable t;
    t.header.push_back(std::string(l.week));
    t.align = "l";
    for (const auto& c : s.channels) {
        t.header.push_back(c);
        t.align += 'r';
    }
    t.header.insert(t.header.end(), {std::string(l.posts), std::string(l.drafts)});
    t.align += "rr";
    std::map<std::string, std::size_t> totals;
    for (const auto& w : s.weeks) {
        std::vector<std::string> row{w.week};
        for (const auto& c : s.channels) {
            const auto it = w.per_channel.find(c);
            const std::size_t n = it == w.per_channel.end() ? 0 : it->second;
            totals[c] += n;
            row.push_back(std::to_string(n));
        }
        row.insert(row.end(), {std::to_string(w.posts), std::to_string(w.drafts)});
        t.add(std::move(row));
    }
    std::vector<std::string> total{std::string(l.total)};
    for (const auto& c : s.channels) {
        total.push_back(std::to_string(totals[c]));
    }
    total.insert(total.end(), {std::to_string(s.posts), std::to_string(s.drafts)});
    t.add(std::move(total), RowStyle::bold);
    return fmt::format("{}\n{}", st.bold(l.weeks_title), render_table(t, st.bold, st.warn));
}

std::string mix_section(const PlanStats& s, const Labels& l, Lang lang, const StatsStyle& st) {
    TextTable t;
    t.header = {std::string(l.category), std::string(l.posts), std::string(l.share),
                std::string(l.target),   std::string(l.gap),   ""};
    t.align = "lrrrrl";
    for (const auto& m : s.mix) {
        t.add({m.name == k_uncategorised ? std::string(l.uncategorised) : m.name,
               std::to_string(m.posts), util::format_percent(m.share, 1, lang),
               m.target ? util::format_percent(*m.target, 1, lang) : "—",
               m.gap_points ? points(*m.gap_points, lang) : "—",
               m.off_target ? std::string(l.off_target) : ""},
              m.off_target ? RowStyle::warn : RowStyle::plain);
    }
    return fmt::format("{}\n{}", st.bold(l.mix_title), render_table(t, st.bold, st.warn));
}

std::string gaps_section(const PlanStats& s, const Labels& l, Lang lang, const StatsStyle& st) {
    std::string out = fmt::format("{}\n", st.bold(l.gaps_title));
    bool any = false;
    for (const auto& u : s.usual) {
        std::vector<std::string> days;
        for (const auto& g : s.gaps) {
            if (g.channel == u.channel && g.weekday == u.weekday) {
                days.push_back(util::short_day(g.day, lang) +
                               (g.draft_planned ? fmt::format(" ({})", l.draft_planned) : ""));
            }
        }
        if (days.empty()) {
            continue;
        }
        any = true;
        const std::string weeks =
            lang == Lang::fr ? fmt::format("{} semaines sur {}", u.weeks_with_posts, u.weeks)
                             : fmt::format("{} of {} weeks", u.weeks_with_posts, u.weeks);
        out += fmt::format("  {} · {} ({}){} {}\n", st.warn(u.channel),
                           util::weekday_name(u.weekday, lang), weeks,
                           lang == Lang::fr ? " :" : ":", util::join(days, ", "));
    }
    return any ? out : out + fmt::format("  {}\n", l.no_gaps);
}

std::string campaigns_section(const PlanStats& s, const Labels& l, const WorkspaceConfig& ws,
                              const StatsStyle& st) {
    if (s.campaigns.empty()) {
        return fmt::format("{}\n  {}\n", st.bold(l.campaigns_title), l.no_campaigns);
    }
    TextTable t;
    t.header = {std::string(l.campaign), std::string(l.first), std::string(l.last),
                std::string(l.posts), std::string(l.channels)};
    t.align = "lllrl";
    for (const auto& c : s.campaigns) {
        t.add({c.name, human_time(c.first, ws), human_time(c.last, ws), std::to_string(c.posts),
               util::join(c.channels, " ")});
    }
    return fmt::format("{}\n{}", st.bold(l.campaigns_title), render_table(t, st.bold, st.warn));
}

std::string day_iso(date::local_days d) {
    return date::format("%F", d);
}

nlohmann::json mix_json(const CategoryShare& m) {
    return {{"category", m.name},
            {"posts", m.posts},
            {"share", m.share},
            {"target", m.target ? nlohmann::json(*m.target) : nlohmann::json()},
            {"gap_points", m.gap_points ? nlohmann::json(*m.gap_points) : nlohmann::json()},
            {"off_target", m.off_target}};
}

std::string weekday_key(unsigned wd) {
    return util::to_lower(util::weekday_name(wd, Lang::en));
}

}  // namespace

std::string stats_text(const PlanStats& s, const WorkspaceConfig& ws, const StatsStyle& st) {
    const Lang lang = util::parse_lang(ws.lang);
    const Labels& l = lang == Lang::fr ? k_fr : k_en;
    std::string out = fmt::format("{} {} ({})\n{} · {}", st.bold(l.title), s.period.label,
                                  ws.timezone, counted(s.posts, l.ready_one, l.ready_many, lang),
                                  counted(s.drafts, l.draft_one, l.draft_many, lang));
    out +=
        s.cancelled > 0
            ? fmt::format(" · {}\n", counted(s.cancelled, l.cancelled_one, l.cancelled_many, lang))
            : "\n";
    out += "\n" + weeks_section(s, l, st);
    out += "\n" + mix_section(s, l, lang, st);
    out += "\n" + gaps_section(s, l, lang, st);
    out += "\n" + campaigns_section(s, l, ws, st);
    return out;
}

nlohmann::json stats_json(const PlanStats& s, const WorkspaceConfig& ws) {
    nlohmann::json weeks = nlohmann::json::array();
    for (const auto& w : s.weeks) {
        nlohmann::json per = nlohmann::json::object();
        for (const auto& c : s.channels) {
            const auto it = w.per_channel.find(c);
            per[c] = it == w.per_channel.end() ? 0 : it->second;
        }
        weeks.push_back({{"week", w.week},
                         {"monday", day_iso(w.monday)},
                         {"posts", w.posts},
                         {"drafts", w.drafts},
                         {"channels", std::move(per)}});
    }
    nlohmann::json mix = nlohmann::json::array();
    for (const auto& m : s.mix) {
        mix.push_back(mix_json(m));
    }
    nlohmann::json usual = nlohmann::json::array();
    for (const auto& u : s.usual) {
        usual.push_back({{"channel", u.channel},
                         {"weekday", weekday_key(u.weekday)},
                         {"weeks_with_posts", u.weeks_with_posts},
                         {"weeks", u.weeks}});
    }
    nlohmann::json gaps = nlohmann::json::array();
    for (const auto& g : s.gaps) {
        gaps.push_back({{"date", day_iso(g.day)},
                        {"weekday", weekday_key(g.weekday)},
                        {"channel", g.channel},
                        {"draft_planned", g.draft_planned}});
    }
    nlohmann::json campaigns = nlohmann::json::array();
    for (const auto& c : s.campaigns) {
        campaigns.push_back({{"campaign", c.name},
                             {"first", iso_local(c.first, ws)},
                             {"last", iso_local(c.last, ws)},
                             {"posts", c.posts},
                             {"channels", c.channels}});
    }
    return {{"period",
             {{"label", s.period.label},
              {"from", iso_local(s.period.from, ws)},
              {"to", iso_local(s.period.to, ws)},
              {"timezone", ws.timezone}}},
            {"posts", s.posts},
            {"drafts", s.drafts},
            {"cancelled", s.cancelled},
            {"channels", s.channels},
            {"weeks", std::move(weeks)},
            {"mix", std::move(mix)},
            {"usual", std::move(usual)},
            {"gaps", std::move(gaps)},
            {"campaigns", std::move(campaigns)}};
}

}  // namespace cmtool::calendar
