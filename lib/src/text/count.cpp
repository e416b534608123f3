// Plain counters (UTF-8 validity, graphemes, UTF-16 units, NFC, hashtags) and measure(), which
// applies each platform's counting rule from the limits table (platforms.md §10).
#include "cmtool/text/count.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.hpp"

namespace cmtool::text {
namespace detail {
namespace {

// Conservative NFC quick check: false only when cp can never be changed by NFC nor combine
// with its neighbour. Latin-1 and Latin Extended (French, with « » and accents) stay below
// U+0300; CJK, emoji and most symbols have no canonical mapping.
bool may_change_under_nfc(char32_t cp) {
    if (cp < 0x300) {
        return false;
    }
    // Variation selectors, ZWJ/ZWNJ, skin tones and tag characters extend graphemes but
    // never compose.
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200C || cp == 0x200D ||
        (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F)) {
        return false;
    }
    const utf8proc_property_t* p = property(cp);
    // Every second half of a canonical composition is a combining mark, a grapheme
    // extender, a spacing mark or a Hangul vowel/trailing jamo.
    const auto bc = p->boundclass;
    return p->combining_class != 0 || bc == UTF8PROC_BOUNDCLASS_EXTEND ||
           bc == UTF8PROC_BOUNDCLASS_SPACINGMARK || bc == UTF8PROC_BOUNDCLASS_V ||
           bc == UTF8PROC_BOUNDCLASS_T || (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0);
}

}  // namespace

std::string_view nfc_view(std::string_view s, std::string& storage) {
    bool quick_yes = true;
    for (std::size_t i = 0; i < s.size() && quick_yes;) {
        if (static_cast<unsigned char>(s[i]) < 0x80U) {
            ++i;
            continue;
        }
        const Decoded d = decode_at(s, i);
        quick_yes = !may_change_under_nfc(d.cp);
        i += d.len;
    }
    if (quick_yes) {
        return s;
    }
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                     static_cast<utf8proc_ssize_t>(s.size()), &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0) {
        std::free(out);  // NOLINT(cppcoreguidelines-no-malloc): utf8proc allocates with malloc
        return s;        // invalid UTF-8: counted byte by byte as U+FFFD instead
    }
    storage.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);  // NOLINT(cppcoreguidelines-no-malloc)
    return storage;
}

}  // namespace detail

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80U) {
            ++i;
            continue;
        }
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

std::size_t count_graphemes(std::string_view s) {
    detail::GraphemeCounter counter;
    counter.feed(s);
    return counter.count();
}

std::size_t count_utf16(std::string_view s) {
    std::size_t units = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const detail::Decoded d = detail::decode_at(s, i);
        units += d.cp >= 0x10000 ? 2 : 1;
        i += d.len;
    }
    return units;
}

std::string nfc(std::string_view s) {
    std::string storage;
    const std::string_view out = detail::nfc_view(s, storage);
    return out.data() == storage.data() ? storage : std::string(s);
}

std::size_t count_hashtags(std::string_view text) {
    std::size_t tags = 0;
    char32_t prev = U' ';  // the start of the text counts as a boundary
    std::size_t i = 0;
    while (i < text.size()) {
        const detail::Decoded hash = detail::decode_at(text, i);
        i += hash.len;
        if ((hash.cp != U'#' && hash.cp != U'＃') || !detail::is_space(prev)) {
            prev = hash.cp;
            continue;
        }
        // The tag: letters, marks, digits and "_"; at least one letter or mark (#2024 is not
        // a hashtag, #été is), and not glued to another "#".
        bool has_letter = false;
        std::size_t length = 0;
        char32_t last = hash.cp;
        while (i < text.size()) {
            const detail::Decoded d = detail::decode_at(text, i);
            const auto c = detail::category(d.cp);
            if (!detail::is_word(d.cp)) {
                break;
            }
            has_letter = has_letter || (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
            ++length;
            last = d.cp;
            i += d.len;
        }
        const bool glued = i < text.size() && (text[i] == '#' || text.substr(i, 3) == "＃");
        if (length > 0 && has_letter && !glued) {
            ++tags;
        }
        prev = last;
    }
    return tags;
}

std::vector<Measure> measure(Platform p, std::string_view text, TextRole role) {
    const PlatformLimits& limits = limits_for(p);
    const std::size_t max = role == TextRole::media_caption && limits.max_caption != 0
                                ? limits.max_caption
                                : limits.max_text;
    switch (limits.rule) {
        case CountRule::mastodon:
            return {{mastodon_length(text), max, "characters"}};
        case CountRule::bluesky:
            return {{count_graphemes(text), max, "graphemes"},
                    {text.size(), limits.max_bytes, "bytes"}};
        case CountRule::twitter:
            return {{twitter_weighted_length(text), max, "weighted characters"}};
        case CountRule::utf16:
            return {{count_utf16(text), max, "characters"}};
        case CountRule::graphemes:
            break;
    }
    return {{count_graphemes(text), max, "characters"}};
}

}  // namespace cmtool::text
