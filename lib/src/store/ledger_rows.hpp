#pragma once
// Row mapping and lookups shared by the ledger's writes (ledger.cpp) and reads
// (ledger_read.cpp). Deliveries are aliased `d`, parts `p` in every query.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/store/ledger.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store::detail {

inline constexpr std::string_view k_delivery_columns =
    "d.id, d.occurrence_id, d.post_id, d.channel, d.platform, d.scheduled_at, d.content_hash, "
    "d.state, d.parts_total, d.error, d.hint, d.retry_at, d.url, d.remote_id, d.created_at, "
    "d.updated_at, d.sent_at";
inline constexpr int k_delivery_column_count = 17;

inline constexpr std::string_view k_part_columns =
    "p.delivery_id, p.part_index, p.key, p.state, p.ref_json, p.attempts, p.intent_at, "
    "p.done_at, p.error";

inline std::int64_t to_db(Seconds t) {
    return t.time_since_epoch().count();
}
inline Seconds from_db(std::int64_t v) {
    return Seconds{std::chrono::seconds{v}};
}
inline std::optional<std::int64_t> to_db(std::optional<Seconds> t) {
    return t ? std::optional<std::int64_t>(to_db(*t)) : std::nullopt;
}

// The delivery in columns [first, first + k_delivery_column_count) of the current row.
DeliveryRecord read_delivery(const sqlite::Statement& s, int first = 0);
// The part in the columns starting at `first` of the current row.
PartRecord read_part(const sqlite::Statement& s, int first = 0);

// The delivery with this id; fails (not_found) when there is none.
Result<DeliveryRecord> get_delivery(sqlite::Connection& conn, std::int64_t delivery_id);
// The part row, or nullopt when the part was never attempted.
Result<std::optional<PartRecord>> find_part(sqlite::Connection& conn, std::int64_t delivery_id,
                                            int part_index);
// Appends one row to the events log.
Result<void> append_event(sqlite::Connection& conn, std::int64_t delivery_id,
                          std::optional<int> part_index, Seconds at, std::string_view kind,
                          std::string_view detail);

// "delivery 12 (noel-1@2026-12-24T09:00 on masto)", for messages.
std::string describe(const DeliveryRecord& d);

}  // namespace cmtool::store::detail
