// The ledger's one write for manual channels: a delivery a human posted by hand, confirmed with
// its URL, becomes sent (docs/ledger.md, "Manual channels").
#include <fmt/format.h>

#include "cmtool/store/ledger.hpp"
#include "store/ledger_rows.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store {

using detail::to_db;

Result<bool> Ledger::confirm_by_hand(std::int64_t delivery_id, std::string_view url, Seconds now) {
    return sqlite::in_transaction<bool>(
        m_store->connection(), [&](sqlite::Connection& c) -> Result<bool> {
            auto d = detail::get_delivery(c, delivery_id);
            if (!d) {
                return fail(std::move(d).error());
            }
            if (d->state == DeliveryState::sent) {
                if (d->url == url) {
                    return false;  // the same confirmation again: nothing to change
                }
                return fail(ErrorCode::conflict,
                            fmt::format("{} was already confirmed as posted at {}",
                                        detail::describe(*d), d->url),
                            "a confirmed delivery keeps its URL; nothing was changed");
            }
            if (d->state != DeliveryState::awaiting_confirmation) {
                return fail(ErrorCode::conflict,
                            fmt::format("{} is {}, not awaiting confirmation", detail::describe(*d),
                                        delivery_state_name(d->state)),
                            "only a post rendered for a manual channel can be confirmed");
            }
            platforms::RemoteRef ref;
            ref.url = std::string(url);
            const std::string ref_json = ref.to_json().dump();
            // Every part was posted by the human together: each is recorded sent at the URL.
            for (int i = 0; i < d->parts_total; ++i) {
                if (auto w = c.exec(
                        "INSERT INTO parts (delivery_id, part_index, key, state, ref_json, "
                        "attempts, done_at) VALUES (?, ?, 'manual', 'sent', ?, 0, ?) "
                        "ON CONFLICT (delivery_id, part_index) DO UPDATE SET state = 'sent', "
                        "ref_json = excluded.ref_json, done_at = excluded.done_at",
                        {delivery_id, i, ref_json, to_db(now)});
                    !w) {
                    return fail(std::move(w).error());
                }
            }
            if (auto w = c.exec("UPDATE deliveries SET state = 'sent', error = '', hint = '', "
                                "retry_at = NULL, url = ?, remote_id = '', sent_at = ?, "
                                "updated_at = ? WHERE id = ?",
                                {url, to_db(now), to_db(now), delivery_id});
                !w) {
                return fail(std::move(w).error());
            }
            if (auto e = detail::append_event(c, delivery_id, std::nullopt, now, "confirmed",
                                              fmt::format("posted by hand: {}", url));
                !e) {
                return fail(std::move(e).error());
            }
            return true;
        });
}

}  // namespace cmtool::store
