// `plan stats`: weeks × channels, editorial mix, gaps on usual weekdays, campaign spans.
#include "cmtool/calendar/stats.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "cmtool/calendar/agenda.hpp"

namespace cmtool::calendar {

namespace {

unsigned iso_weekday(date::local_days d) {
    return (date::weekday{d}.c_encoding() + 6) % 7;  // Monday = 0
}

struct Occ {
    const Post* post = nullptr;
    std::chrono::sys_seconds at{};
    date::local_days day{};
};

// The accounts in cmtool.yaml order, then channels used by posts that are not accounts.
std::vector<std::string> channel_columns(const WorkspaceConfig& ws, const std::vector<Occ>& occs) {
    std::vector<std::string> out;
    for (const auto& a : ws.accounts) {
        out.push_back(a.name);
    }
    std::set<std::string> extra;
    for (const auto& o : occs) {
        for (const auto& c : o.post->channels) {
            if (ws.find_account(c) == nullptr) {
                extra.insert(c);
            }
        }
    }
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

std::vector<WeekStats> week_rows(const Period& p, const std::vector<Occ>& ready,
                                 const std::vector<Occ>& drafts) {
    std::vector<WeekStats> weeks;
    for (auto d = p.first_day; d <= p.last_day; d += date::days{1}) {
        if (weeks.empty() || iso_weekday(d) == 0) {
            weeks.push_back(WeekStats{iso_week_label(d), d - date::days{iso_weekday(d)}, {}, 0, 0});
        }
    }
    const auto row = [&](date::local_days day) -> WeekStats& {
        const auto monday = day - date::days{iso_weekday(day)};
        return *std::find_if(weeks.begin(), weeks.end(),
                             [&](const WeekStats& w) { return w.monday == monday; });
    };
    for (const auto& o : ready) {
        auto& w = row(o.day);
        ++w.posts;
        for (const auto& c : o.post->channels) {
            ++w.per_channel[c];
        }
    }
    for (const auto& o : drafts) {
        ++row(o.day).drafts;
    }
    return weeks;
}

std::vector<CategoryShare> category_mix(const WorkspaceConfig& ws, const std::vector<Occ>& ready) {
    std::map<std::string, std::size_t> counts;
    for (const auto& o : ready) {
        ++counts[o.post->category.empty() ? k_uncategorised : o.post->category];
    }
    std::vector<CategoryShare> mix;
    for (const auto& c : ws.categories) {
        mix.push_back(CategoryShare{c.name, counts[c.name], 0, c.target, {}, false});
        counts.erase(c.name);
    }
    const auto unc = counts.find(k_uncategorised);
    const std::size_t uncategorised = unc == counts.end() ? 0 : unc->second;
    if (unc != counts.end()) {
        counts.erase(unc);
    }
    for (const auto& [name, n] : counts) {  // used but not declared: an invalid calendar
        mix.push_back(CategoryShare{name, n, 0, {}, {}, false});
    }
    if (uncategorised > 0) {
        mix.push_back(CategoryShare{k_uncategorised, uncategorised, 0, {}, {}, false});
    }
    for (auto& m : mix) {
        if (ready.empty()) {
            continue;
        }
        m.share = static_cast<double>(m.posts) / static_cast<double>(ready.size());
        if (m.target) {
            m.gap_points = (m.share - *m.target) * 100.0;
            m.off_target = std::fabs(*m.gap_points) > k_mix_tolerance_points;
        }
    }
    return mix;
}

using ChannelDays = std::set<std::pair<std::string, date::local_days>>;

ChannelDays channel_days(const std::vector<Occ>& occs) {
    ChannelDays out;
    for (const auto& o : occs) {
        for (const auto& c : o.post->channels) {
            out.emplace(c, o.day);
        }
    }
    return out;
}

std::vector<UsualDay> usual_days(const std::vector<std::string>& channels,
                                 const ChannelDays& posted, date::local_days first,
                                 date::local_days last) {
    std::vector<UsualDay> out;
    for (const auto& c : channels) {
        for (unsigned wd = 0; wd < 7; ++wd) {
            UsualDay u{c, wd, 0, 0};
            for (auto d = first; d <= last; d += date::days{1}) {
                if (iso_weekday(d) == wd) {
                    ++u.weeks;
                    u.weeks_with_posts += posted.count({c, d});
                }
            }
            if (u.weeks_with_posts > 0 && u.weeks_with_posts * 2 >= u.weeks) {
                out.push_back(std::move(u));
            }
        }
    }
    return out;
}

std::vector<Gap> find_gaps(const Period& p, const std::vector<UsualDay>& usual,
                           const ChannelDays& posted, const ChannelDays& drafted) {
    std::vector<Gap> gaps;
    for (auto d = p.first_day; d <= p.last_day; d += date::days{1}) {
        for (const auto& u : usual) {
            if (u.weekday == iso_weekday(d) && posted.count({u.channel, d}) == 0) {
                gaps.push_back(Gap{d, u.weekday, u.channel, drafted.count({u.channel, d}) > 0});
            }
        }
    }
    return gaps;
}

std::vector<CampaignSpan> campaign_spans(const std::vector<Occ>& ready,
                                         const std::vector<std::string>& columns) {
    std::map<std::string, CampaignSpan> spans;
    std::map<std::string, std::set<std::string>> used;
    for (const auto& o : ready) {
        if (o.post->campaign.empty()) {
            continue;
        }
        auto [it, fresh] = spans.try_emplace(o.post->campaign);
        auto& s = it->second;
        s.name = o.post->campaign;
        s.first = fresh ? o.at : std::min(s.first, o.at);
        s.last = fresh ? o.at : std::max(s.last, o.at);
        ++s.posts;
        used[s.name].insert(o.post->channels.begin(), o.post->channels.end());
    }
    std::vector<CampaignSpan> out;
    for (auto& [name, s] : spans) {
        for (const auto& c : columns) {
            if (used[name].count(c) > 0) {
                s.channels.push_back(c);
            }
        }
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const CampaignSpan& a, const CampaignSpan& b) {
        return std::tie(a.first, a.name) < std::tie(b.first, b.name);
    });
    return out;
}

}  // namespace

Period default_stats_period(std::chrono::sys_seconds now, const date::time_zone& zone) {
    const auto today = local_day(now, zone);
    const auto monday = today - date::days{iso_weekday(today)};
    const auto sunday = monday + date::days{27};
    return make_period(monday, sunday, zone,
                       iso_week_label(monday) + ".." + iso_week_label(sunday));
}

PlanStats compute_stats(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                        const Period& period) {
    const auto window_first = period.first_day - date::days{7 * k_usual_lookback_weeks};
    const Period window = make_period(window_first, period.last_day, *ws.zone, {});
    std::vector<Occ> ready, drafts, history;  // history: ready posts of the whole window
    PlanStats s;
    s.period = period;
    for (const auto& e : agenda(posts, ws, window, {})) {
        const Occ o{e.post, e.occurrence.at.utc, local_day(e.occurrence.at.utc, *ws.zone)};
        const bool in_period = period.contains(o.at);
        switch (e.post->status) {
            case PostStatus::ready:
                history.push_back(o);
                if (in_period) {
                    ready.push_back(o);
                }
                break;
            case PostStatus::draft:
                if (in_period) {
                    drafts.push_back(o);
                }
                break;
            case PostStatus::cancelled:
                s.cancelled += in_period ? 1 : 0;
                break;
        }
    }
    s.posts = ready.size();
    s.drafts = drafts.size();
    s.channels = channel_columns(ws, history);
    s.weeks = week_rows(period, ready, drafts);
    s.mix = category_mix(ws, ready);
    const auto posted = channel_days(history);
    s.usual = usual_days(s.channels, posted, window_first, period.last_day);
    s.gaps = find_gaps(period, s.usual, posted, channel_days(drafts));
    s.campaigns = campaign_spans(ready, s.channels);
    return s;
}

}  // namespace cmtool::calendar
