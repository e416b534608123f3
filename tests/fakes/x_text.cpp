// The fake X's checks that are not HTTP: PKCE S256 (with OpenSSL's SHA-256, independent of
// cmtool's own implementation) and a simplified twitter-text weighted length.
#include <openssl/sha.h>

#include <string>

#include "x_state.hpp"

namespace cmtool::fakes {

namespace {

std::string base64url(const unsigned char* data, std::size_t n) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < n; i += 3) {
        const unsigned v = (unsigned{data[i]} << 16U) | (unsigned{data[i + 1]} << 8U) | data[i + 2];
        out += k[(v >> 18U) & 63U];
        out += k[(v >> 12U) & 63U];
        out += k[(v >> 6U) & 63U];
        out += k[v & 63U];
    }
    if (n - i == 1) {
        const unsigned v = unsigned{data[i]} << 16U;
        out += k[(v >> 18U) & 63U];
        out += k[(v >> 12U) & 63U];
    } else if (n - i == 2) {
        const unsigned v = (unsigned{data[i]} << 16U) | (unsigned{data[i + 1]} << 8U);
        out += k[(v >> 18U) & 63U];
        out += k[(v >> 12U) & 63U];
        out += k[(v >> 6U) & 63U];
    }
    return out;
}

// The code point starting at text[i] (i advanced past it); U+FFFD for malformed bytes.
char32_t next_code_point(const std::string& text, std::size_t& i) {
    const auto b = static_cast<unsigned char>(text[i]);
    int len = b < 0x80 ? 1 : (b >> 5U) == 6 ? 2 : (b >> 4U) == 14 ? 3 : (b >> 3U) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > text.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? b : b & (0x7FU >> static_cast<unsigned>(len));
    for (int k = 1; k < len; ++k) {
        cp = (cp << 6U) |
             (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3FU);
    }
    i += static_cast<std::size_t>(len);
    return cp;
}

}  // namespace

bool pkce_matches(const std::string& verifier, const std::string& challenge) {
    if (verifier.size() < 43 || verifier.size() > 128) {
        return false;  // RFC 7636 §4.1
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
    return base64url(digest, sizeof digest) == challenge;
}

std::size_t x_weighted_length(const std::string& text) {
    std::size_t weight = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0) {
            while (i < text.size() && text[i] != ' ' && text[i] != '\n') {
                ++i;
            }
            weight += 23;
            continue;
        }
        const char32_t cp = next_code_point(text, i);
        const bool light = cp <= 0x10FF || (cp >= 0x2000 && cp <= 0x200D) ||
                           (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037);
        weight += light ? 1 : 2;
    }
    return weight;
}

}  // namespace cmtool::fakes
