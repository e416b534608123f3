#pragma once
// Case and accent folding for the sentiment tokenizer: French and Latin accents map to their
// ASCII base so that "génial", "GENIAL" and "genial" are one key. Letters outside Latin are
// lowercased by utf8proc and kept.
#include <cstddef>
#include <string>
#include <string_view>

#include <utf8proc.h>

#include "text/utf8.hpp"

namespace cmtool::watch::detail {

// Base letters of U+00C0..U+017F, lowercase; '*' marks a code point that is not a letter
// (U+00D7, U+00F7) and '+' one that folds to two letters (handled in fold_letter).
inline constexpr std::string_view k_latin_base =
    "aaaaaa+ceeeeiiii"
    "dnooooo*ouuuuy++"
    "aaaaaa+ceeeeiiii"
    "dnooooo*ouuuuy+y"
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "iiiijjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oo++rrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";

inline bool is_ascii_upper(char32_t cp) {
    return cp >= U'A' && cp <= U'Z';
}

inline bool is_upper(char32_t cp) {
    if (cp < 0x80U) {
        return is_ascii_upper(cp);
    }
    return text::detail::category(cp) == UTF8PROC_CATEGORY_LU;
}

// Letters, marks and numbers: what a word is made of.
inline bool is_word_cp(char32_t cp) {
    if (cp < 0x80U) {
        return text::detail::is_ascii_alnum(cp);
    }
    const auto c = text::detail::category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

// Appends the folded form of a word code point to out: lowercase, without accents.
// Combining marks vanish, so decomposed "e\u0301" folds like "é".
inline void fold_letter(char32_t cp, std::string& out) {
    if (cp < 0x80U) {
        out += static_cast<char>(is_ascii_upper(cp) ? cp + (U'a' - U'A') : cp);
        return;
    }
    if (cp >= 0xC0U && cp <= 0x17FU) {
        const char base = k_latin_base[cp - 0xC0U];
        if (base == '+') {
            const bool ae = cp == 0xC6U || cp == 0xE6U;
            const bool oe = cp == 0x152U || cp == 0x153U;
            out += ae ? "ae" : oe ? "oe" : (cp == 0xDFU ? "ss" : "th");
        } else if (base != '*') {
            out += base;
        }
        return;
    }
    const auto c = text::detail::category(cp);
    if (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) {
        return;
    }
    utf8proc_uint8_t buf[4];
    const auto lower = utf8proc_tolower(static_cast<utf8proc_int32_t>(cp));
    const auto n = utf8proc_encode_char(lower, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Pictographs that carry sentiment: symbols from the arrows block up, emoji planes included.
inline bool is_emoji_cp(char32_t cp) {
    return cp >= 0x2190U && text::detail::category(cp) == UTF8PROC_CATEGORY_SO;
}

// Parts of an emoji sequence that change its look, not its meaning: variation selectors,
// zero-width joiner, skin tones, keycap.
inline bool is_emoji_modifier(char32_t cp) {
    return cp == 0xFE0FU || cp == 0xFE0EU || cp == 0x200DU || cp == 0x20E3U ||
           (cp >= 0x1F3FBU && cp <= 0x1F3FFU);
}

}  // namespace cmtool::watch::detail
