// Per-post figures, totals, follower growth, ranking and the daily series (docs/kpis.md).
#include <date/tz.h>
#include <algorithm>

#include "cmtool/calendar/recurrence.hpp"
#include "report/figures.hpp"

namespace cmtool::report::detail {

namespace {

void add(Count& sum, const Count& v) {
    if (v) {
        sum = sum.value_or(0) + *v;
    }
}

}  // namespace

PostIndex index_posts(const std::vector<calendar::Post>& posts) {
    PostIndex out;
    for (const auto& p : posts) {
        out.emplace(p.id, &p);
    }
    return out;
}

Count engagements(const store::PostCounters& c) {
    Count sum;
    for (const auto* v : {&c.likes, &c.reposts, &c.replies, &c.quotes, &c.bookmarks}) {
        add(sum, *v);
    }
    return sum;
}

std::vector<PostFigures> post_figures(const std::vector<PostRow>& rows, const PostIndex& calendar,
                                      const Histories& histories, Seconds cut,
                                      const std::string& campaign) {
    std::vector<PostFigures> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        PostFigures f;
        f.id = r.id;
        f.account = r.account;
        f.platform = r.platform;
        f.url = r.url;
        f.excerpt = r.excerpt;
        f.post_id = r.post_id.empty() ? r.post_id : calendar::base_post_id(r.post_id);
        f.planned = r.planned;
        f.published_at = r.published_at;
        if (auto it = calendar.find(f.post_id); !f.post_id.empty() && it != calendar.end()) {
            f.category = it->second->category;
            f.campaign = it->second->campaign;
        }
        if (!campaign.empty() && f.campaign != campaign) {
            continue;
        }
        f.snapshot_at = r.snapshot_at;
        f.stale = r.snapshot_at && *r.snapshot_at < cut - k_stale_after;
        f.counters = r.counters;
        if (r.snapshot_at) {
            f.engagements = engagements(r.counters);
        }
        if (auto h = histories.find(r.account); h != histories.end()) {
            if (auto p = h->second.at_or_before(r.published_at)) {
                f.followers = p->followers;
            }
        }
        if (f.engagements && f.followers && *f.followers > 0) {
            f.rate = static_cast<double>(*f.engagements) / static_cast<double>(*f.followers);
        }
        out.push_back(std::move(f));
    }
    return out;
}

Totals totals(const std::vector<PostFigures>& posts,
              const std::function<bool(const PostFigures&)>& keep) {
    Totals t;
    std::int64_t rated_engagements = 0;
    std::int64_t rated_followers = 0;
    for (const auto& p : posts) {
        if (keep && !keep(p)) {
            continue;
        }
        ++t.posts;
        ++(p.planned ? t.planned : t.unplanned);
        if (p.snapshot_at) {
            ++t.with_metrics;
        }
        if (p.stale) {
            ++t.stale;
        }
        add(t.engagements, p.engagements);
        add(t.views, p.counters.views);
        if (p.rate) {
            rated_engagements += *p.engagements;
            rated_followers += *p.followers;
        }
    }
    if (rated_followers > 0) {
        t.rate = static_cast<double>(rated_engagements) / static_cast<double>(rated_followers);
    }
    return t;
}

std::vector<Growth> growth(const Histories& histories, const calendar::Period& period, Seconds cut,
                           const calendar::WorkspaceConfig& ws) {
    std::vector<Growth> out;
    for (const auto& [account, h] : histories) {
        Growth g;
        g.account = account;
        g.platform = h.platform;
        const auto start = h.nearest(period.from, cut);
        const auto end = h.nearest(std::min(period.to, cut), cut);
        if (!start && !end) {
            continue;
        }
        if (start) {
            g.start = start->followers;
            g.start_at = start->at;
        }
        if (end) {
            g.end = end->followers;
            g.end_at = end->at;
        }
        if (g.start && g.end) {
            g.change = *g.end - *g.start;
            if (*g.start > 0) {
                g.change_share = static_cast<double>(*g.change) / static_cast<double>(*g.start);
            }
        }
        for (auto day = period.first_day; day <= period.last_day; day += date::days{1}) {
            const auto end_of_day =
                calendar::make_period(day, day, *ws.zone, "x").to - std::chrono::seconds{1};
            const auto p = day > calendar::local_day(cut, *ws.zone)
                               ? std::nullopt
                               : h.latest(std::min(end_of_day, cut));
            g.daily.push_back(p ? Count(p->followers) : std::nullopt);
        }
        out.push_back(std::move(g));
    }
    // The workspace's account order, then the others by name.
    auto rank = [&ws](const std::string& name) {
        for (std::size_t i = 0; i < ws.accounts.size(); ++i) {
            if (ws.accounts[i].name == name) {
                return i;
            }
        }
        return ws.accounts.size();
    };
    std::stable_sort(out.begin(), out.end(), [&](const Growth& a, const Growth& b) {
        return rank(a.account) < rank(b.account);
    });
    return out;
}

void add_followers(Totals& t, const std::vector<Growth>& growth, const std::string& account) {
    for (const auto& g : growth) {
        if ((account.empty() || g.account == account) && g.start && g.end) {
            add(t.followers_start, g.start);
            add(t.followers_end, g.end);
        }
    }
}

void rank_posts(const std::vector<PostFigures>& posts, std::vector<std::size_t>& top,
                std::vector<std::size_t>& bottom) {
    std::vector<std::size_t> rated;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        if (posts[i].rate) {
            rated.push_back(i);
        }
    }
    std::stable_sort(rated.begin(), rated.end(), [&](std::size_t a, std::size_t b) {
        if (*posts[a].rate != *posts[b].rate) {
            return *posts[a].rate > *posts[b].rate;
        }
        return *posts[a].engagements > *posts[b].engagements;
    });
    const auto n_top = std::min(k_top_posts, rated.size());
    top.assign(rated.begin(), rated.begin() + static_cast<std::ptrdiff_t>(n_top));
    const auto n_bottom = std::min(k_top_posts, rated.size() - n_top);
    bottom.assign(rated.rbegin(), rated.rbegin() + static_cast<std::ptrdiff_t>(n_bottom));
}

std::vector<Count> daily_engagements(const std::vector<PostFigures>& posts,
                                     const calendar::Period& period, const date::time_zone& zone) {
    const auto days = (period.last_day - period.first_day).count() + 1;
    std::vector<Count> out(static_cast<std::size_t>(days), Count{0});
    std::vector<bool> posted(out.size(), false);
    std::vector<bool> known(out.size(), false);
    for (const auto& p : posts) {
        const auto i = (calendar::local_day(p.published_at, zone) - period.first_day).count();
        if (i < 0 || i >= days) {
            continue;
        }
        const auto u = static_cast<std::size_t>(i);
        posted[u] = true;
        if (p.engagements) {
            known[u] = true;
            out[u] = *out[u] + *p.engagements;
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (posted[i] && !known[i]) {
            out[i] = std::nullopt;
        }
    }
    return out;
}

}  // namespace cmtool::report::detail
