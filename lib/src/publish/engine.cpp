// The publish engine: reconcile unknown outcomes, then send each due delivery part by part
// with an intent committed before every request (docs/ledger.md explains the rules).
#include "cmtool/publish/engine.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "cmtool/net/retry.hpp"
#include "cmtool/publish/manual.hpp"
#include "cmtool/store/ledger.hpp"
#include "run.hpp"

namespace cmtool::publish {

std::string_view outcome_name(DeliveryOutcome o) {
    switch (o) {
        case DeliveryOutcome::sent:
            return "sent";
        case DeliveryOutcome::already_sent:
            return "already_sent";
        case DeliveryOutcome::would_send:
            return "would_send";
        case DeliveryOutcome::failed:
            return "failed";
        case DeliveryOutcome::failed_earlier:
            return "failed_earlier";
        case DeliveryOutcome::missed:
            return "missed";
        case DeliveryOutcome::missed_earlier:
            return "missed_earlier";
        case DeliveryOutcome::deferred:
            return "deferred";
        case DeliveryOutcome::blocked:
            return "blocked";
        case DeliveryOutcome::to_post_by_hand:
            return "to_post_by_hand";
        case DeliveryOutcome::awaiting_confirmation:
            return "awaiting_confirmation";
    }
    return "deferred";
}

bool is_failure(DeliveryOutcome o) {
    return o == DeliveryOutcome::failed || o == DeliveryOutcome::missed ||
           o == DeliveryOutcome::deferred || o == DeliveryOutcome::blocked;
}

namespace detail {

static std::string human_delay(std::chrono::seconds d) {
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (m < 60) {
        return fmt::format("{} min", m);
    }
    return m % 60 == 0 ? fmt::format("{} h", m / 60)
                       : fmt::format("{} h {:02} min", m / 60, m % 60);
}

platforms::Adapter* Run::adapter_for(const calendar::Account& account, std::string& error,
                                     std::string& hint) {
    if (auto it = m_adapters.find(account.name); it != m_adapters.end()) {
        return it->second.get();
    }
    if (auto it = m_adapter_errors.find(account.name); it != m_adapter_errors.end()) {
        error = it->second.message;
        hint = it->second.hint;
        return nullptr;
    }
    auto made = m_ctx.adapters(account);
    if (made && !m_opt.dry_run) {
        // A missing secret is the account's configuration, known before any request: it must
        // block the delivery (exit 2), not write an intent and a sticky "failed" to the ledger.
        if (auto ready = (*made)->ready_to_publish(); !ready) {
            made = fail(std::move(ready).error());
        }
    }
    if (!made) {
        error = made.error().message;
        hint = made.error().hint;
        m_adapter_errors[account.name] = made.error();
        return nullptr;
    }
    auto* raw = made->get();
    m_adapters[account.name] = std::move(*made);
    return raw;
}

platforms::PublishRequest Run::request_for(const Delivery& d, std::size_t index,
                                           const std::vector<store::PartRecord>& done) const {
    platforms::PublishRequest req;
    req.key = d.part_key(index);
    req.part = d.parts.at(index);
    req.scheduled_at = d.occurrence.at.utc;
    const std::string lang = d.account->get("language", m_ctx.ws.lang);
    if (!lang.empty()) {
        req.langs.push_back(lang);
    }
    for (const auto& p : done) {
        if (p.state == PartState::sent && p.ref) {
            if (p.index == 0) {
                req.root = *p.ref;
            }
            if (static_cast<std::size_t>(p.index) + 1 == index) {
                req.parent = *p.ref;
            }
        }
    }
    return req;
}

DeliveryReport Run::base_report(const Delivery& d) const {
    DeliveryReport r;
    r.occurrence_id = d.occurrence.id;
    r.post_id = d.post->id;
    r.channel = d.channel();
    r.platform = std::string(platform_name(d.account->platform));
    r.scheduled_at = d.occurrence.at.utc;
    r.parts_total = d.parts.size();
    return r;
}

DeliveryReport Run::preview(const Delivery& d) {
    DeliveryReport r = base_report(d);
    r.outcome = DeliveryOutcome::would_send;
    std::vector<store::PartRecord> done;
    if (m_ctx.ledger != nullptr) {
        if (auto rec = m_ctx.ledger->find_delivery({d.occurrence.id, d.channel()}); rec && *rec) {
            if ((*rec)->state == DeliveryState::sent) {
                r.outcome = DeliveryOutcome::already_sent;
                r.url = (*rec)->url;
                r.parts_sent = r.parts_total;
                return r;
            }
            if (auto p = m_ctx.ledger->parts((*rec)->id)) {
                done = *p;
            }
        }
    }
    if (d.account->platform == Platform::manual) {
        r.manual_folder = manual_folder(d, m_ctx.ws).string();
        r.message = "would be rendered for posting by hand";
        return r;
    }
    std::string error, hint;
    platforms::Adapter* adapter = adapter_for(*d.account, error, hint);
    for (std::size_t i = 0; i < d.parts.size(); ++i) {
        const bool sent = std::any_of(done.begin(), done.end(), [&](const store::PartRecord& p) {
            return static_cast<std::size_t>(p.index) == i && p.state == PartState::sent;
        });
        PartReport pr;
        pr.index = i;
        pr.status = sent ? "already_sent" : "preview";
        if (!sent && adapter != nullptr) {
            pr.preview = adapter->preview(request_for(d, i, done));
        }
        r.parts_sent += sent ? 1 : 0;
        r.parts.push_back(std::move(pr));
    }
    if (!d.blocking.empty()) {
        r.outcome = DeliveryOutcome::blocked;
        r.message = d.blocking.front().message;
    } else if (adapter == nullptr) {
        r.message = error;
        r.hint = hint;
    }
    return r;
}

Result<DeliveryReport> Run::deliver(const Delivery& d) {
    DeliveryReport r = base_report(d);
    if (!d.blocking.empty()) {
        const auto& f = d.blocking.front();
        r.outcome = DeliveryOutcome::blocked;
        r.message = fmt::format("{}:{}:{}: {}", f.file, f.pos.line, f.pos.column, f.message);
        r.hint = "fix the calendar (`cmtool plan validate`); it is sent at the next run";
        return r;
    }
    auto rec = m_ctx.ledger->ensure_delivery({d.occurrence.id, d.channel()}, d.post->id, r.platform,
                                             d.occurrence.at.utc, d.content_hash,
                                             static_cast<int>(d.parts.size()), m_opt.now);
    if (!rec) {
        return fail(std::move(rec).error());
    }
    r.reconciled = m_reconciled.count({d.occurrence.id, d.channel()}) != 0;
    switch (rec->state) {
        case DeliveryState::sent:
            r.outcome = DeliveryOutcome::already_sent;
            r.url = rec->url;
            r.remote_id = rec->remote_id;
            r.parts_sent = r.parts_total;
            r.changed_since_sent = rec->content_hash != d.content_hash;
            return r;
        case DeliveryState::failed:
            if (!m_opt.retry_failed) {
                r.outcome = DeliveryOutcome::failed_earlier;
                r.message = rec->error;
                r.hint = "fix the cause, then `cmtool publish --retry-failed`";
                return r;
            }
            break;
        case DeliveryState::missed:
            if (!m_opt.catch_up) {
                r.outcome = DeliveryOutcome::missed_earlier;
                r.hint = "`cmtool publish --catch-up` sends it now";
                return r;
            }
            break;
        case DeliveryState::deferred:
            if (rec->retry_at && *rec->retry_at > m_opt.now) {
                r.outcome = DeliveryOutcome::deferred;
                r.retry_at = rec->retry_at;
                r.message = rec->error;
                return r;
            }
            break;
        case DeliveryState::awaiting_confirmation:
            // Rendered in an earlier run: never rendered twice, listed until confirmed.
            r.outcome = DeliveryOutcome::awaiting_confirmation;
            r.manual_folder = rec->hint;
            r.message = "still waiting to be posted by hand";
            r.hint = confirm_command(d, m_ctx.ws);
            return r;
        case DeliveryState::pending:
        case DeliveryState::partial:
            break;
    }
    if (m_unsettled.count({d.occurrence.id, d.channel()}) != 0) {
        r.outcome = DeliveryOutcome::deferred;
        r.message = "an earlier attempt may have been published; checked again at the next run";
        return r;
    }
    return send_parts(d, *rec, std::move(r));
}

Result<DeliveryReport> Run::send_parts(const Delivery& d, const store::DeliveryRecord& rec,
                                       DeliveryReport r) {
    auto done = m_ctx.ledger->parts(rec.id);
    if (!done) {
        return fail(std::move(done).error());
    }
    auto is_sent = [&](std::size_t i) {
        return std::any_of(done->begin(), done->end(), [&](const store::PartRecord& p) {
            return static_cast<std::size_t>(p.index) == i && p.state == PartState::sent;
        });
    };
    std::size_t first_unsent = 0;
    while (first_unsent < d.parts.size() && is_sent(first_unsent)) {
        ++first_unsent;
    }
    r.parts_sent = first_unsent;
    for (const auto& p : *done) {
        if (p.index == 0 && p.state == PartState::sent && p.ref) {
            // Part 0 went out in an earlier run, or reconciliation found it: the report still
            // names where the delivery lives.
            r.url = p.ref->url;
            r.remote_id = p.ref->id;
        }
    }
    const auto late = m_opt.now - d.occurrence.at.utc;
    if (first_unsent == 0 && late > m_ctx.ws.max_late && !m_opt.catch_up) {
        r.outcome = DeliveryOutcome::missed;
        r.message = fmt::format("{} late, more than max_late ({})", human_delay(late),
                                human_delay(m_ctx.ws.max_late));
        r.hint = "`cmtool publish --catch-up` sends it anyway";
        if (auto s = m_ctx.ledger->set_delivery_state(rec.id, DeliveryState::missed, r.message,
                                                      r.hint, {}, m_opt.now);
            !s) {
            return fail(std::move(s).error());
        }
        return r;
    }
    if (auto t = m_throttled.find(d.channel()); t != m_throttled.end()) {
        r.outcome = DeliveryOutcome::deferred;
        r.retry_at = t->second;
        r.message = "the account's rate limit is used up for this run";
        return r;
    }
    if (d.account->platform == Platform::manual) {
        return hand_over(d, rec, std::move(r));
    }
    std::string error, hint;
    platforms::Adapter* adapter = adapter_for(*d.account, error, hint);
    if (adapter == nullptr) {
        r.outcome = DeliveryOutcome::blocked;
        r.config_problem = true;
        r.message = error;
        r.hint = hint;
        return r;
    }
    for (std::size_t i = first_unsent; i < d.parts.size(); ++i) {
        if (stopping()) {
            m_report.interrupted = true;
            r.outcome = DeliveryOutcome::deferred;
            r.message = "interrupted; the next run goes on from here";
            return r;
        }
        const auto req = request_for(d, i, *done);
        bool waited = false;
        while (true) {
            if (auto in =
                    m_ctx.ledger->record_intent(rec.id, static_cast<int>(i), req.key, m_opt.now);
                !in) {
                return fail(std::move(in).error());
            }
            const auto res = adapter->publish(req);
            const int idx = static_cast<int>(i);
            if (res.outcome == platforms::Outcome::sent) {
                if (auto s = m_ctx.ledger->record_sent(rec.id, idx, res.ref, m_opt.now); !s) {
                    return fail(std::move(s).error());
                }
                store::PartRecord pr;
                pr.delivery_id = rec.id;
                pr.index = idx;
                pr.key = req.key;
                pr.state = PartState::sent;
                pr.ref = res.ref;
                done->push_back(pr);
                r.parts.push_back(PartReport{i, "sent", res.ref, {}});
                r.parts_sent = i + 1;
                if (i == 0) {
                    r.url = res.ref.url;
                    r.remote_id = res.ref.id;
                }
                break;
            }
            if (res.outcome == platforms::Outcome::unknown) {
                // Leave the intent: the next run looks the part up before anything else.
                r.outcome = DeliveryOutcome::deferred;
                r.message = fmt::format(
                    "part {}: {} (outcome unknown: checked at the next run, never sent twice)",
                    i + 1, res.message);
                (void)m_ctx.ledger->set_delivery_state(rec.id, DeliveryState::deferred, r.message,
                                                       {}, {}, m_opt.now);
                return r;
            }
            if (auto f = m_ctx.ledger->record_part_failed(rec.id, idx, res.message, m_opt.now);
                !f) {
                return fail(std::move(f).error());
            }
            if (res.outcome == platforms::Outcome::rate_limited && res.retry_at && !waited &&
                *res.retry_at - m_opt.now <= m_opt.max_wait) {
                waited = true;
                const auto wait = std::max(std::chrono::seconds(1), *res.retry_at - m_opt.now);
                if (auto s = m_ctx.sleeper.sleep_for(wait); !s) {
                    m_report.interrupted = true;
                    r.outcome = DeliveryOutcome::deferred;
                    r.message = "interrupted while waiting for the rate limit";
                    return r;
                }
                continue;
            }
            r.message = fmt::format("part {}: {}", i + 1, res.message);
            r.hint = res.hint;
            r.retry_at = res.retry_at;
            DeliveryState state = DeliveryState::deferred;
            if (res.outcome == platforms::Outcome::permanent_failure) {
                r.outcome = DeliveryOutcome::failed;
                state = DeliveryState::failed;
            } else {
                r.outcome = DeliveryOutcome::deferred;
                if (res.outcome == platforms::Outcome::rate_limited) {
                    m_throttled[d.channel()] = res.retry_at.value_or(m_opt.now);
                    r.message += res.retry_at ? "; deferred to the next run" : "";
                }
            }
            if (auto s = m_ctx.ledger->set_delivery_state(rec.id, state, r.message, r.hint,
                                                          r.retry_at, m_opt.now);
                !s) {
                return fail(std::move(s).error());
            }
            return r;
        }
    }
    if (auto s =
            m_ctx.ledger->set_delivery_state(rec.id, DeliveryState::sent, {}, {}, {}, m_opt.now);
        !s) {
        return fail(std::move(s).error());
    }
    r.outcome = DeliveryOutcome::sent;
    return r;
}

Result<PublishReport> Run::execute() {
    const auto due = due_deliveries(m_posts, m_ctx.ws, m_opt.now, m_opt.filter);
    if (!m_opt.dry_run) {
        if (m_ctx.ledger == nullptr) {
            return fail(ErrorCode::internal, "publishing needs the ledger");
        }
        if (auto r = reconcile(due); !r) {
            return fail(std::move(r).error());
        }
    }
    for (const auto& d : due) {
        if (stopping()) {
            m_report.interrupted = true;
            break;
        }
        DeliveryReport r;
        if (m_opt.dry_run) {
            r = preview(d);
        } else {
            auto sent = deliver(d);
            if (!sent) {
                return fail(std::move(sent).error());
            }
            r = std::move(*sent);
        }
        if (m_ctx.on_delivery) {
            m_ctx.on_delivery(r);
        }
        m_report.deliveries.push_back(std::move(r));
    }
    return std::move(m_report);
}

}  // namespace detail

Result<PublishReport> run_publish(const std::vector<calendar::Post>& posts,
                                  const PublishOptions& options, PublishContext& ctx) {
    detail::Run run(posts, options, ctx);
    return run.execute();
}

}  // namespace cmtool::publish
