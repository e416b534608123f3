// Plan adherence (docs/kpis.md): every planned delivery of the period counted once, from the
// calendar's occurrences and the ledger's deliveries.
#include <date/tz.h>
#include <map>
#include <utility>

#include "cmtool/calendar/recurrence.hpp"
#include "report/figures.hpp"

namespace cmtool::report::detail {

namespace {

enum class Outcome { on_time, late, missed, failed, pending };

// A delivery not sent yet is missed once its window (scheduled + max_late) has passed.
Outcome unsent(Seconds scheduled, Seconds now, const calendar::WorkspaceConfig& ws) {
    return scheduled + ws.max_late < now ? Outcome::missed : Outcome::pending;
}

Outcome classify(const store::DeliveryRecord& d, Seconds now, const calendar::WorkspaceConfig& ws) {
    switch (d.state) {
        case store::DeliveryState::sent:
            return d.sent_at && *d.sent_at - d.scheduled_at > k_late_after ? Outcome::late
                                                                           : Outcome::on_time;
        case store::DeliveryState::failed:
        case store::DeliveryState::partial:
            return Outcome::failed;
        case store::DeliveryState::missed:
            return Outcome::missed;
        case store::DeliveryState::pending:
        case store::DeliveryState::deferred:
        case store::DeliveryState::awaiting_confirmation:  // not posted by hand yet
            return unsent(d.scheduled_at, now, ws);
    }
    return Outcome::pending;
}

void count(Adherence& a, Outcome o) {
    ++a.planned;
    switch (o) {
        case Outcome::on_time:
            ++a.on_time;
            break;
        case Outcome::late:
            ++a.late;
            break;
        case Outcome::missed:
            ++a.missed;
            break;
        case Outcome::failed:
            ++a.failed;
            break;
        case Outcome::pending:
            ++a.pending;
            break;
    }
}

}  // namespace

Adherence adherence(const std::vector<store::DeliveryRecord>& deliveries,
                    const std::vector<calendar::Post>& posts, const std::set<std::string>& channels,
                    const calendar::WorkspaceConfig& ws, const calendar::Period& period,
                    Seconds now, const std::string& campaign) {
    std::map<std::pair<std::string, std::string>, const store::DeliveryRecord*> by_key;
    for (const auto& d : deliveries) {
        by_key.emplace(std::make_pair(d.occurrence_id, d.channel), &d);
    }
    Adherence a;
    for (const auto& post : posts) {
        if (post.status != calendar::PostStatus::ready ||
            (!campaign.empty() && post.campaign != campaign)) {
            continue;
        }
        for (const auto& occ : calendar::occurrences(post, ws)) {
            if (!period.contains(occ.at.utc)) {
                continue;
            }
            for (const auto& channel : post.channels) {
                if (!channels.contains(channel)) {
                    continue;  // cmtool does not publish there: the ledger cannot tell
                }
                auto it = by_key.find({occ.id, channel});
                if (it == by_key.end()) {
                    count(a, unsent(occ.at.utc, now, ws));
                    continue;
                }
                count(a, classify(*it->second, now, ws));
                by_key.erase(it);
            }
        }
    }
    // Deliveries whose post left the calendar (or changed time) were planned all the same.
    const auto calendar_index = index_posts(posts);
    for (const auto& [key, d] : by_key) {
        if (!campaign.empty()) {
            auto it = calendar_index.find(calendar::base_post_id(d->post_id));
            if (it == calendar_index.end() || it->second->campaign != campaign) {
                continue;
            }
        }
        count(a, classify(*d, now, ws));
    }
    const auto decided = a.planned - a.pending;
    if (decided > 0) {
        a.on_time_share = static_cast<double>(a.on_time) / static_cast<double>(decided);
    }
    return a;
}

}  // namespace cmtool::report::detail
