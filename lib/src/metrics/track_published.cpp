#include "metrics/track_published.hpp"

#include <set>
#include <utility>

namespace cmtool::metrics::detail {

namespace {

// Deliveries are found by their schedule; one may be sent up to max_late after it, or later
// with --catch-up, so look a little before the window.
constexpr std::chrono::days k_schedule_margin{7};

}  // namespace

Result<void> track_published(store::Ledger& ledger, store::MetricsStore& metrics,
                             const calendar::WorkspaceConfig& ws, store::Seconds since,
                             store::Seconds now) {
    auto tracked = metrics.posts();
    if (!tracked) {
        return fail(std::move(tracked).error());
    }
    std::set<std::pair<std::string, std::string>> have;
    for (const auto& t : *tracked) {
        if (t.planned()) {
            have.emplace(t.account, t.remote_id);
        }
    }
    store::DeliveryFilter filter;
    filter.from = since - k_schedule_margin;
    auto deliveries = ledger.list(filter);
    if (!deliveries) {
        return fail(std::move(deliveries).error());
    }
    std::vector<store::TrackedPost> fresh;
    for (const auto& d : *deliveries) {
        if (d.state != store::DeliveryState::sent && d.state != store::DeliveryState::partial) {
            continue;
        }
        const calendar::Account* account = ws.find_account(d.channel);
        auto parts = ledger.parts(d.id);
        if (!parts) {
            return fail(std::move(parts).error());
        }
        for (const auto& p : *parts) {
            if (p.index != 0 || p.state != store::PartState::sent || !p.ref) {
                continue;
            }
            const bool bluesky = account != nullptr ? account->platform == Platform::bluesky
                                                    : d.platform == "bluesky";
            store::TrackedPost t;
            t.account = d.channel;
            t.platform = d.platform;
            t.remote_id = bluesky ? p.ref->uri : p.ref->id;
            t.url = p.ref->url;
            t.delivery_id = d.id;
            t.post_id = d.post_id;
            t.occurrence_id = d.occurrence_id;
            t.published_at = p.done_at.value_or(d.sent_at.value_or(d.scheduled_at));
            if (t.published_at < since || t.remote_id.empty() ||
                have.count({t.account, t.remote_id})) {
                continue;
            }
            fresh.push_back(std::move(t));
        }
    }
    if (fresh.empty()) {
        return {};
    }
    auto rows = metrics.track_all(fresh, now);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    return {};
}

}  // namespace cmtool::metrics::detail
