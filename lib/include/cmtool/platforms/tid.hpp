#pragma once
// AT Protocol TIDs (atproto.com/specs/tid): a 64-bit integer with the top bit 0, 53 bits of
// microseconds since the Unix epoch and a 10-bit clock identifier, written as 13 characters of
// base32-sortable ("234567abcdefghijklmnopqrstuvwxyz"), most significant first. Bluesky posts
// use them as record keys; cmtool chooses its own so that a repeated createRecord for the same
// part is refused by the PDS instead of posting twice.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmtool::platforms {

inline constexpr std::size_t k_tid_length = 13;
inline constexpr std::uint64_t k_tid_max_micros = (std::uint64_t{1} << 53U) - 1U;
inline constexpr std::uint32_t k_tid_max_clock_id = (1U << 10U) - 1U;

// The TID of (micros, clock_id); both are masked to their 53 and 10 bits.
std::string make_tid(std::uint64_t micros, std::uint32_t clock_id);

// True when `s` has a TID's syntax: 13 base32-sortable characters, the first in [2-7a-j]
// (the PDS answers 400 "Invalid TID string" otherwise).
bool is_valid_tid(std::string_view s);

// The microsecond timestamp of a valid TID, nullopt otherwise.
std::optional<std::uint64_t> tid_micros(std::string_view tid);
// The clock identifier of a valid TID, nullopt otherwise.
std::optional<std::uint32_t> tid_clock_id(std::string_view tid);

// cmtool's record key for one part of a delivery, the same on every run:
// timestamp = scheduled_at in microseconds + part_index (thread parts sort in order),
// clock id  = the low 10 bits of FNV-1a-64(key) (two posts scheduled in the same second on one
//             account differ unless their keys collide in those bits: odds 1 in 1024; the
//             adapter detects that case by comparing the existing record with the post).
std::string record_key_tid(std::string_view key, std::chrono::sys_seconds scheduled_at,
                           std::size_t part_index);

}  // namespace cmtool::platforms
