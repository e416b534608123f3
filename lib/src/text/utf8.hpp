#pragma once
// Private helpers shared by the text module: UTF-8 decoding with the replacement rule of
// count.hpp, a streaming grapheme counter, and the few Unicode classes the parsers need.
#include <cstddef>
#include <string>
#include <string_view>

#include <utf8proc.h>

namespace cmtool::text::detail {

inline constexpr char32_t k_replacement = 0xFFFD;

struct Decoded {
    char32_t cp = 0;
    std::size_t len = 1;
};

// The code point starting at s[i]; an invalid byte decodes as U+FFFD of length 1, which is
// how count.hpp promises to count broken input.
inline Decoded decode_at(std::string_view s, std::size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80U) {
        return {b, 1};
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
        return {k_replacement, 1};
    }
    return {static_cast<char32_t>(cp), static_cast<std::size_t>(n)};
}

// The code point ending just before s[end] (end > 0) and its length, for trimming from the
// right; a broken tail decodes as one U+FFFD byte.
inline Decoded decode_last(std::string_view s, std::size_t end) {
    std::size_t start = end - 1;
    while (start > 0 && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0U) == 0x80U) {
        --start;
    }
    const Decoded d = decode_at(s, start);
    if (start + d.len == end) {
        return d;
    }
    return {k_replacement, 1};
}

inline const utf8proc_property_t* property(char32_t cp) {
    return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
}

inline utf8proc_category_t category(char32_t cp) {
    return static_cast<utf8proc_category_t>(property(cp)->category);
}

inline bool is_ascii_alnum(char32_t cp) {
    return (cp >= U'0' && cp <= U'9') || (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
}

// Unicode White_Space.
inline bool is_space(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

// Letters, marks, numbers and connector punctuation: Ruby's [[:word:]].
inline bool is_word(char32_t cp) {
    if (cp < 0x80U) {
        return is_ascii_alnum(cp) || cp == U'_';
    }
    const auto c = category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_PC;
}

// s itself when it is certainly in NFC already (the common case, no allocation), otherwise
// its NFC form kept in storage. Invalid UTF-8 comes back unchanged.
std::string_view nfc_view(std::string_view s, std::string& storage);

// Counts extended grapheme clusters of a code point stream (UAX #29 through utf8proc). Text
// can be fed in pieces, so a rewritten text (Mastodon's URL placeholders) needs no copy.
class GraphemeCounter {
  public:
    void feed(char32_t cp) {
        const auto c = static_cast<utf8proc_int32_t>(cp);
        if (m_prev < 0) {
            ++m_count;
        } else if (c < 0x80 && m_prev < 0x80) {
            // Between two ASCII characters the only non-break is CR LF (GB3); the state
            // utf8proc would keep is the plain class of c, which 0 re-derives next call.
            if (m_prev != '\r' || c != '\n') {
                ++m_count;
            }
            m_state = 0;
        } else if (utf8proc_grapheme_break_stateful(m_prev, c, &m_state)) {
            ++m_count;
        }
        m_prev = c;
    }
    void feed(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size()) {
            const Decoded d = decode_at(s, i);
            feed(d.cp);
            i += d.len;
        }
    }
    std::size_t count() const { return m_count; }

  private:
    utf8proc_int32_t m_prev = -1;
    utf8proc_int32_t m_state = 0;
    std::size_t m_count = 0;
};

}  // namespace cmtool::text::detail
