// Reconciliation: before anything is sent, every part whose outcome is unknown is looked up on
// its platform and recorded as sent, as not sent (so it is sent again), or left for the next run.
#include <fmt/format.h>

#include "run.hpp"

namespace cmtool::publish::detail {

Result<void> Run::reconcile(const std::vector<Delivery>& due) {
    auto unresolved = m_ctx.ledger->unresolved();
    if (!unresolved) {
        return fail(std::move(unresolved).error());
    }
    for (const auto& u : *unresolved) {
        const auto key = std::make_pair(u.delivery.occurrence_id, u.delivery.channel);
        const calendar::Account* account = m_ctx.ws.find_account(u.delivery.channel);
        const Delivery* d = nullptr;
        for (const auto& cand : due) {
            if (cand.occurrence.id == u.delivery.occurrence_id &&
                cand.channel() == u.delivery.channel) {
                d = &cand;
            }
        }
        std::string error, hint;
        platforms::Adapter* adapter =
            account != nullptr ? adapter_for(*account, error, hint) : nullptr;
        if (adapter == nullptr || d == nullptr ||
            static_cast<std::size_t>(u.part.index) >= d->parts.size()) {
            m_unsettled.insert(key);
            m_report.notes.push_back(
                fmt::format("{} → {}: part {} may have been sent in an earlier run and cannot be "
                            "checked now ({}); "
                            "it will not be sent again until it is",
                            u.delivery.occurrence_id, u.delivery.channel, u.part.index + 1,
                            adapter == nullptr ? (error.empty() ? "the account is gone" : error)
                                               : "the post is no longer due"));
            continue;
        }
        auto done = m_ctx.ledger->parts(u.delivery.id);
        if (!done) {
            return fail(std::move(done).error());
        }
        auto req = request_for(*d, static_cast<std::size_t>(u.part.index), *done);
        req.key = u.part.key;  // the key that was used, even if the calendar changed since
        auto found = adapter->lookup(req, u.part.intent_at.value_or(m_opt.now));
        const std::string what = fmt::format("{} → {} part {}", u.delivery.occurrence_id,
                                             u.delivery.channel, u.part.index + 1);
        if (found && found->found == platforms::Found::yes) {
            if (auto r =
                    m_ctx.ledger->record_sent(u.delivery.id, u.part.index, found->ref, m_opt.now);
                !r) {
                return r;
            }
            (void)m_ctx.ledger->add_event(u.delivery.id, u.part.index, "reconciled",
                                          "found: " + found->how, m_opt.now);
            m_report.notes.push_back(fmt::format(
                "{}: it was published in an earlier run (found it: {})", what, found->how));
            m_reconciled.insert(key);
        } else if (found && found->found == platforms::Found::no) {
            if (auto r = m_ctx.ledger->record_part_failed(u.delivery.id, u.part.index,
                                                          "not found on the platform", m_opt.now);
                !r) {
                return r;
            }
            (void)m_ctx.ledger->add_event(u.delivery.id, u.part.index, "reconciled",
                                          "not found: " + found->how, m_opt.now);
            m_report.notes.push_back(
                fmt::format("{}: an earlier run did not get it out; sending it now", what));
            m_reconciled.insert(key);
        } else {
            m_unsettled.insert(key);
            const std::string why = found ? found->how : found.error().message;
            (void)m_ctx.ledger->add_event(u.delivery.id, u.part.index, "reconcile_failed", why,
                                          m_opt.now);
            m_report.notes.push_back(
                fmt::format("{}: cannot tell yet whether an earlier run published it ({}); "
                            "it will be checked again next run, never sent twice",
                            what, why));
        }
    }
    return {};
}

}  // namespace cmtool::publish::detail
