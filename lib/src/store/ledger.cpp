// The ledger's writes: each one a single IMMEDIATE transaction that also appends to the events
// log, committed (fsync'ed, synchronous=FULL) before it returns. Rules: docs/ledger.md.
#include "cmtool/store/ledger.hpp"

#include <fmt/format.h>

#include "store/ledger_rows.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

using detail::to_db;

namespace {

Error conflict(std::string message, std::string hint = {}) {
    return Error{ErrorCode::conflict, std::move(message), std::move(hint)};
}

Result<void> touch(sqlite::Connection& c, std::int64_t delivery_id, Seconds now) {
    return c.exec("UPDATE deliveries SET updated_at = ? WHERE id = ?", {to_db(now), delivery_id});
}

std::string part_name(const DeliveryRecord& d, int index) {
    return fmt::format("part {} of {}", index, detail::describe(d));
}

}  // namespace

Result<DeliveryRecord> Ledger::ensure_delivery(const DeliveryKey& key, std::string_view post_id,
                                               std::string_view platform, Seconds scheduled_at,
                                               std::string_view hash, int parts_total,
                                               Seconds now) {
    if (parts_total < 1) {
        return fail(ErrorCode::invalid,
                    fmt::format("a delivery needs at least one part (got {})", parts_total));
    }
    return sqlite::in_transaction<DeliveryRecord>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<DeliveryRecord> {
            if (auto r = c.exec("INSERT INTO deliveries (occurrence_id, post_id, channel, "
                                "platform, scheduled_at, content_hash, parts_total, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (occurrence_id, channel) DO NOTHING",
                                {key.occurrence_id, post_id, key.channel, platform,
                                 to_db(scheduled_at), hash, parts_total, to_db(now), to_db(now)});
                !r) {
                return fail(std::move(r).error());
            }
            const bool created = c.changes() == 1;
            auto id =
                c.query_int("SELECT id FROM deliveries WHERE occurrence_id = ? AND channel = ?",
                            {key.occurrence_id, key.channel});
            if (!id) {
                return fail(std::move(id).error());
            }
            if (created) {
                auto e =
                    detail::append_event(c, id->value_or(0), std::nullopt, now, "created",
                                         fmt::format("{} part(s), content {}", parts_total, hash));
                if (!e) {
                    return fail(std::move(e).error());
                }
            }
            return detail::get_delivery(c, id->value_or(0));
        });
}

Result<PartRecord> Ledger::record_intent(std::int64_t delivery_id, int part_index,
                                         std::string_view key, Seconds now) {
    return sqlite::in_transaction<PartRecord>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<PartRecord> {
            auto d = detail::get_delivery(c, delivery_id);
            if (!d) {
                return fail(std::move(d).error());
            }
            if (part_index < 0 || part_index >= d->parts_total) {
                return fail(ErrorCode::invalid,
                            fmt::format("{} does not exist: the delivery has {} part(s)",
                                        part_name(*d, part_index), d->parts_total));
            }
            auto old = detail::find_part(c, delivery_id, part_index);
            if (!old) {
                return fail(std::move(old).error());
            }
            Result<void> w;
            if (!*old) {
                w = c.exec(
                    "INSERT INTO parts (delivery_id, part_index, key, state, attempts, "
                    "intent_at) VALUES (?, ?, ?, 'intent', 1, ?)",
                    {delivery_id, part_index, key, to_db(now)});
            } else if ((*old)->state == PartState::sent) {
                return fail(conflict(fmt::format("{} is already sent", part_name(*d, part_index)),
                                     "it is never sent twice; nothing to do"));
            } else if ((*old)->state == PartState::intent && (*old)->key != key) {
                return fail(
                    conflict(fmt::format("{} has an unresolved intent with another key",
                                         part_name(*d, part_index)),
                             "reconcile the earlier attempt first (`cmtool publish status -v`)"));
            } else {
                w = c.exec(
                    "UPDATE parts SET key = ?, state = 'intent', attempts = attempts + 1, "
                    "intent_at = ?, done_at = NULL, error = '' "
                    "WHERE delivery_id = ? AND part_index = ?",
                    {key, to_db(now), delivery_id, part_index});
            }
            if (!w) {
                return fail(std::move(w).error());
            }
            auto now_part = detail::find_part(c, delivery_id, part_index);
            if (!now_part) {
                return fail(std::move(now_part).error());
            }
            const PartRecord& p = **now_part;
            auto e = detail::append_event(c, delivery_id, part_index, now, "intent",
                                          fmt::format("attempt {}, key {}", p.attempts, key));
            if (!e) {
                return fail(std::move(e).error());
            }
            if (auto t = touch(c, delivery_id, now); !t) {
                return fail(std::move(t).error());
            }
            return p;
        });
}

Result<void> Ledger::record_sent(std::int64_t delivery_id, int part_index,
                                 const platforms::RemoteRef& ref, Seconds now) {
    return sqlite::in_transaction<void>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<void> {
            auto d = detail::get_delivery(c, delivery_id);
            if (!d) {
                return fail(std::move(d).error());
            }
            auto old = detail::find_part(c, delivery_id, part_index);
            if (!old) {
                return fail(std::move(old).error());
            }
            if (!*old) {
                return fail(
                    conflict(fmt::format("{} has no recorded intent", part_name(*d, part_index)),
                             "an intent is recorded before every request (docs/ledger.md)"));
            }
            if ((*old)->state == PartState::sent) {
                if ((*old)->ref && (*old)->ref->id == ref.id) {
                    return {};  // the same outcome recorded twice
                }
                return fail(
                    conflict(fmt::format("{} is already sent as {}", part_name(*d, part_index),
                                         (*old)->ref ? (*old)->ref->id : "?")));
            }
            if ((*old)->state == PartState::failed) {
                // A send after `failed` must have written a new intent first.
                return fail(conflict(fmt::format("{} has no open intent (its last attempt failed)",
                                                 part_name(*d, part_index)),
                                     "record a new intent before sending again (docs/ledger.md)"));
            }
            if (auto w = c.exec("UPDATE parts SET state = 'sent', ref_json = ?, done_at = ?, "
                                "error = '' WHERE delivery_id = ? AND part_index = ?",
                                {ref.to_json().dump(), to_db(now), delivery_id, part_index});
                !w) {
                return w;
            }
            const std::string where = ref.url.empty() ? ref.id : ref.url;
            if (auto e = detail::append_event(c, delivery_id, part_index, now, "sent", where); !e) {
                return e;
            }
            return touch(c, delivery_id, now);
        });
}

Result<void> Ledger::record_part_failed(std::int64_t delivery_id, int part_index,
                                        std::string_view message, Seconds now) {
    return sqlite::in_transaction<void>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<void> {
            auto d = detail::get_delivery(c, delivery_id);
            if (!d) {
                return fail(std::move(d).error());
            }
            auto old = detail::find_part(c, delivery_id, part_index);
            if (!old) {
                return fail(std::move(old).error());
            }
            if (!*old) {
                return fail(
                    conflict(fmt::format("{} has no recorded intent", part_name(*d, part_index))));
            }
            if ((*old)->state == PartState::sent) {
                return fail(conflict(fmt::format("{} is already sent: it cannot have failed",
                                                 part_name(*d, part_index))));
            }
            if (auto w = c.exec("UPDATE parts SET state = 'failed', done_at = ?, error = ? "
                                "WHERE delivery_id = ? AND part_index = ?",
                                {to_db(now), message, delivery_id, part_index});
                !w) {
                return w;
            }
            auto e = detail::append_event(c, delivery_id, part_index, now, "part_failed", message);
            if (!e) {
                return e;
            }
            return touch(c, delivery_id, now);
        });
}

Result<void> Ledger::set_delivery_state(std::int64_t delivery_id, DeliveryState state,
                                        std::string_view error, std::string_view hint,
                                        std::optional<Seconds> retry_at, Seconds now) {
    return sqlite::in_transaction<void>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<void> {
            auto d = detail::get_delivery(c, delivery_id);
            if (!d) {
                return fail(std::move(d).error());
            }
            if (d->state == DeliveryState::sent && state != DeliveryState::sent) {
                return fail(conflict(fmt::format("{} is already sent", detail::describe(*d)),
                                     "a sent delivery never goes back to another state"));
            }
            std::string url = d->url;
            std::string remote_id = d->remote_id;
            std::optional<Seconds> sent_at = d->sent_at;
            if (state == DeliveryState::sent) {
                auto ps = parts(delivery_id);
                if (!ps) {
                    return fail(std::move(ps).error());
                }
                int sent = 0;
                for (const PartRecord& p : *ps) {
                    sent += p.state == PartState::sent ? 1 : 0;
                    if (p.index == 0 && p.ref) {
                        url = p.ref->url;
                        remote_id = p.ref->id;
                    }
                }
                if (sent != d->parts_total) {
                    return fail(conflict(fmt::format("{} has {} of {} part(s) sent",
                                                     detail::describe(*d), sent, d->parts_total),
                                         "mark it partial until every part is sent"));
                }
                sent_at = sent_at.value_or(now);
            }
            if (auto w = c.exec("UPDATE deliveries SET state = ?, error = ?, hint = ?, "
                                "retry_at = ?, url = ?, remote_id = ?, sent_at = ?, "
                                "updated_at = ? WHERE id = ?",
                                {delivery_state_name(state), error, hint, to_db(retry_at), url,
                                 remote_id, to_db(sent_at), to_db(now), delivery_id});
                !w) {
                return w;
            }
            const std::string text = error.empty()
                                         ? std::string(delivery_state_name(state))
                                         : fmt::format("{}: {}", delivery_state_name(state), error);
            return detail::append_event(c, delivery_id, std::nullopt, now, "state", text);
        });
}

Result<void> Ledger::add_event(std::int64_t delivery_id, std::optional<int> part_index,
                               std::string_view kind, std::string_view text, Seconds now) {
    return sqlite::in_transaction<void>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<void> {
            return detail::append_event(c, delivery_id, part_index, now, kind, text);
        });
}

}  // namespace cmtool::store
