// Breakdowns by channel, category (against the editorial line's targets) and campaign, and the
// best times to post per channel.
#include <date/tz.h>
#include <algorithm>
#include <set>

#include "report/figures.hpp"

namespace cmtool::report::detail {

namespace {

// Names in the workspace's account order, then the others by name.
std::vector<std::string> ordered_channels(const std::set<std::string>& used,
                                          const calendar::WorkspaceConfig& ws) {
    std::vector<std::string> out;
    for (const auto& a : ws.accounts) {
        if (used.contains(a.name)) {
            out.push_back(a.name);
        }
    }
    for (const auto& name : used) {
        if (!ws.find_account(name)) {
            out.push_back(name);
        }
    }
    return out;
}

std::string category_of(const PostFigures& p) {
    return p.category.empty() ? k_uncategorised : p.category;
}

}  // namespace

std::vector<Row> channel_rows(const std::vector<PostFigures>& current,
                              const std::vector<PostFigures>* previous,
                              const std::vector<Growth>& growth,
                              const std::vector<Growth>* previous_growth,
                              const calendar::WorkspaceConfig& ws) {
    std::set<std::string> used;
    std::map<std::string, std::string> platforms;
    auto note = [&](const std::vector<PostFigures>& list) {
        for (const auto& p : list) {
            used.insert(p.account);
            platforms[p.account] = p.platform;
        }
    };
    note(current);
    if (previous) {
        note(*previous);
    }
    for (const auto& g : growth) {
        used.insert(g.account);
        platforms[g.account] = g.platform;
    }
    std::vector<Row> rows;
    for (const auto& name : ordered_channels(used, ws)) {
        Row r;
        r.name = name;
        r.platform = platforms[name];
        auto mine = [&name](const PostFigures& p) { return p.account == name; };
        r.current = totals(current, mine);
        add_followers(r.current, growth, name);
        if (previous) {
            r.previous = totals(*previous, mine);
            if (previous_growth) {
                add_followers(*r.previous, *previous_growth, name);
            }
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<Row> category_rows(const std::vector<PostFigures>& current,
                               const std::vector<PostFigures>* previous,
                               const calendar::WorkspaceConfig& ws) {
    std::vector<std::string> names;
    for (const auto& c : ws.categories) {
        names.push_back(c.name);
    }
    std::set<std::string> others;
    for (const auto& p : current) {
        const auto c = category_of(p);
        if (!ws.find_category(c) && c != k_uncategorised) {
            others.insert(c);
        }
    }
    names.insert(names.end(), others.begin(), others.end());
    names.emplace_back(k_uncategorised);
    std::vector<Row> rows;
    for (const auto& name : names) {
        Row r;
        r.name = name;
        auto mine = [&name](const PostFigures& p) { return category_of(p) == name; };
        r.current = totals(current, mine);
        if (name == k_uncategorised && r.current.posts == 0) {
            continue;
        }
        if (!current.empty()) {
            r.share = static_cast<double>(r.current.posts) / static_cast<double>(current.size());
        }
        if (const auto* c = ws.find_category(name); c && c->target) {
            r.target = c->target;
        }
        if (previous) {
            r.previous = totals(*previous, mine);
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<Row> campaign_rows(const std::vector<PostFigures>& current) {
    std::set<std::string> names;
    for (const auto& p : current) {
        if (!p.campaign.empty()) {
            names.insert(p.campaign);
        }
    }
    std::vector<Row> rows;
    for (const auto& name : names) {
        Row r;
        r.name = name;
        r.current = totals(current, [&name](const PostFigures& p) { return p.campaign == name; });
        if (!current.empty()) {
            r.share = static_cast<double>(r.current.posts) / static_cast<double>(current.size());
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<BestTimes> best_times(const std::vector<PostFigures>& history,
                                  const calendar::WorkspaceConfig& ws) {
    std::set<std::string> used;
    for (const auto& p : history) {
        used.insert(p.account);
    }
    std::vector<BestTimes> out;
    for (const auto& name : ordered_channels(used, ws)) {
        BestTimes b;
        b.account = name;
        std::array<std::array<double, 24>, 7> sums{};
        for (const auto& p : history) {
            if (p.account != name) {
                continue;
            }
            b.platform = p.platform;  // also for a channel none of whose posts has a rate
            if (!p.rate) {
                continue;
            }
            const auto local = ws.zone->to_local(p.published_at);
            const auto day = date::floor<date::days>(local);
            const auto wd = (date::weekday{day}.c_encoding() + 6) % 7;
            const auto hour = static_cast<std::size_t>(
                std::chrono::duration_cast<std::chrono::hours>(local - day).count());
            ++b.cells[wd][hour].posts;
            sums[wd][hour] += *p.rate;
            ++b.posts;
        }
        double best = -1;
        for (unsigned d = 0; d < 7; ++d) {
            for (unsigned h = 0; h < 24; ++h) {
                auto& c = b.cells[d][h];
                if (c.posts == 0) {
                    continue;
                }
                c.rate = sums[d][h] / static_cast<double>(c.posts);
                // A best time needs a channel with enough history and a cell of 2+ posts.
                if (c.posts >= 2 && *c.rate > best) {
                    best = *c.rate;
                    b.best_weekday = d;
                    b.best_hour = h;
                }
            }
        }
        b.enough = b.posts >= k_best_times_min_posts;
        if (!b.enough) {
            b.best_weekday.reset();
            b.best_hour.reset();
        }
        out.push_back(b);
    }
    return out;
}

}  // namespace cmtool::report::detail
