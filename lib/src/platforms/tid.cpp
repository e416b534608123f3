// TIDs as record keys (atproto.com/specs/tid; @atproto/common-web tid.ts for the encoding).
#include "cmtool/platforms/tid.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cmtool::platforms {
namespace {

constexpr std::string_view k_alphabet = "234567abcdefghijklmnopqrstuvwxyz";
constexpr unsigned k_bits_per_char = 5;
constexpr std::uint64_t k_fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t k_fnv_prime = 1099511628211ULL;

std::optional<std::uint64_t> decode(std::string_view tid) {
    if (!is_valid_tid(tid)) {
        return std::nullopt;
    }
    std::uint64_t v = 0;
    for (const char c : tid) {
        v = (v << k_bits_per_char) | k_alphabet.find(c);
    }
    return v;
}

std::uint64_t fnv1a64(std::string_view s) {
    std::uint64_t h = k_fnv_offset;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= k_fnv_prime;
    }
    return h;
}

}  // namespace

std::string make_tid(std::uint64_t micros, std::uint32_t clock_id) {
    std::uint64_t v = ((micros & k_tid_max_micros) << 10U) | (clock_id & k_tid_max_clock_id);
    std::string out(k_tid_length, '2');
    for (std::size_t i = k_tid_length; i-- > 0;) {
        out[i] = k_alphabet[v & 0x1FU];
        v >>= k_bits_per_char;
    }
    return out;
}

bool is_valid_tid(std::string_view s) {
    if (s.size() != k_tid_length || k_alphabet.substr(0, 16).find(s[0]) == std::string_view::npos) {
        return false;
    }
    return s.find_first_not_of(k_alphabet) == std::string_view::npos;
}

std::optional<std::uint64_t> tid_micros(std::string_view tid) {
    const auto v = decode(tid);
    return v ? std::optional<std::uint64_t>(*v >> 10U) : std::nullopt;
}

std::optional<std::uint32_t> tid_clock_id(std::string_view tid) {
    const auto v = decode(tid);
    return v ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*v & k_tid_max_clock_id))
             : std::nullopt;
}

std::string record_key_tid(std::string_view key, std::chrono::sys_seconds scheduled_at,
                           std::size_t part_index) {
    const auto seconds = scheduled_at.time_since_epoch().count();
    const std::uint64_t base =
        seconds > 0 ? static_cast<std::uint64_t>(seconds) * 1'000'000U : std::uint64_t{0};
    return make_tid(base + part_index, static_cast<std::uint32_t>(fnv1a64(key)));
}

}  // namespace cmtool::platforms
