#include "cmtool/calendar/agenda.hpp"

#include <algorithm>
#include <tuple>

namespace cmtool::calendar {

namespace {

bool listed(const std::vector<std::string>& list, std::string_view value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool PostFilter::matches(const Post& p) const {
    if (!channels.empty() &&
        std::none_of(p.channels.begin(), p.channels.end(),
                     [&](const std::string& c) { return listed(channels, c); })) {
        return false;
    }
    return listed(statuses, status_name(p.status)) && listed(categories, p.category) &&
           listed(campaigns, p.campaign);
}

std::vector<AgendaEntry> agenda(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                                const Period& period, const PostFilter& filter) {
    std::vector<AgendaEntry> out;
    for (const Post& p : posts) {
        if (p.at.utc.time_since_epoch().count() == 0 || !filter.matches(p)) {
            continue;
        }
        if (!p.repeat && !period.contains(p.at.utc)) {
            continue;
        }
        for (auto& occ : occurrences(p, ws)) {
            if (period.contains(occ.at.utc)) {
                out.push_back(AgendaEntry{&p, std::move(occ)});
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const AgendaEntry& a, const AgendaEntry& b) {
        return std::tie(a.occurrence.at.utc, a.occurrence.id) <
               std::tie(b.occurrence.at.utc, b.occurrence.id);
    });
    return out;
}

}  // namespace cmtool::calendar
