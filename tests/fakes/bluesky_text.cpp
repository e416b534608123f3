#include "bluesky_text.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <regex>

namespace cmtool::fakes {
namespace {

constexpr std::string_view k_base32_sortable = "234567abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view k_base32 = "abcdefghijklmnopqrstuvwxyz234567";

std::string base64url(std::string_view in) {
    constexpr std::string_view k_chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (const char c : in) {
        acc = (acc << 8U) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(k_chars[(acc >> bits) & 0x3FU]);
        }
    }
    if (bits > 0) {
        out.push_back(k_chars[(acc << (6 - bits)) & 0x3FU]);
    }
    return out;
}

}  // namespace

std::string json_str(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) {
        return {};
    }
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json child(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) {
        return nullptr;
    }
    const auto it = j.find(key);
    return it == j.end() ? nlohmann::json() : *it;
}

std::size_t count_graphemes_fake(std::string_view s) {
    std::size_t count = 0;
    utf8proc_int32_t prev = -1;
    utf8proc_int32_t state = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        if (n <= 0) {
            n = 1;
            cp = 0xFFFD;
        }
        if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) {
            ++count;
        }
        prev = cp;
        i += static_cast<std::size_t>(n);
    }
    return count;
}

bool is_valid_utf8_fake(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        if (n <= 0) {
            return false;
        }
        i += static_cast<std::size_t>(n);
    }
    return true;
}

bool is_utf8_boundary(std::string_view s, std::size_t i) {
    return i == s.size() || (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U);
}

std::string tid_of(std::uint64_t micros, unsigned clock_id) {
    std::uint64_t v = ((micros & ((1ULL << 53U) - 1U)) << 10U) | (clock_id & 0x3FFU);
    std::string out(13, '2');
    for (std::size_t i = 13; i-- > 0;) {
        out[i] = k_base32_sortable[v & 0x1FU];
        v >>= 5U;
    }
    return out;
}

bool is_tid(std::string_view s) {
    return s.size() == 13 && k_base32_sortable.substr(0, 16).find(s[0]) != std::string_view::npos &&
           s.find_first_not_of(k_base32_sortable) == std::string_view::npos;
}

std::string fake_cid(std::string_view prefix, std::string_view content) {
    // Four FNV-1a lanes with different seeds: 256 bits, like a sha-256 digest's length.
    std::array<std::uint64_t, 4> lanes{14695981039346656037ULL, 1469598103934665603ULL,
                                       0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL};
    for (auto& h : lanes) {
        for (const char c : content) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
    }
    std::string out(prefix);
    for (std::size_t i = 0; i < 52; ++i) {
        const std::uint64_t lane = lanes[i % 4];
        out.push_back(k_base32[(lane >> ((i / 4) * 5 % 60)) & 0x1FU]);
    }
    return out;
}

std::string make_jwt(const nlohmann::json& header, const nlohmann::json& payload,
                     std::string_view signature) {
    return base64url(header.dump()) + "." + base64url(payload.dump()) + "." + base64url(signature);
}

std::string iso_millis(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count() % 1000));
    return buf;
}

bool is_datetime(std::string_view s) {
    static const std::regex k_re(
        R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
    return std::regex_match(s.begin(), s.end(), k_re);
}

bool is_at_uri(std::string_view s) {
    static const std::regex k_re(
        R"(at://[A-Za-z0-9:._%-]+(/[A-Za-z0-9.-]+(/[A-Za-z0-9._:~-]+)?)?)");
    return std::regex_match(s.begin(), s.end(), k_re);
}

}  // namespace cmtool::fakes
