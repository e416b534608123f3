// The two counting rules that discount entities: Mastodon's (URLs 23, remote mentions count
// their local part, platforms.md §1.7) and twitter-text v3's weighted length (§4.7).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"
#include "text/urls.hpp"
#include "text/utf8.hpp"

namespace cmtool::text {
namespace {

using detail::decode_at;
using detail::Decoded;

// twitter-text config/v3.json: transformedURLLength 23, defaultWeight 200 / scale 100 = 2,
// weight 100 / scale 100 = 1 for these ranges (platforms.md §4.7).
constexpr std::size_t k_twitter_url_weight = 23;
constexpr std::size_t k_twitter_emoji_weight = 2;

std::size_t twitter_char_weight(char32_t cp) {
    const bool light = cp <= 0x10FF || (cp >= 0x2000 && cp <= 0x200D) ||
                       (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037);
    return light ? 1 : 2;
}

bool is_regional_indicator(char32_t cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

bool is_pictographic(char32_t cp) {
    return detail::property(cp)->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
}

// Emoji presentation selector, skin tones, tag characters (subdivision flags).
bool is_emoji_modifier(char32_t cp) {
    return cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
}

// End of the emoji sequence starting at i, or 0 when none starts there. Follows what the
// Twemoji parser matches: keycaps, flag pairs, and pictographs with modifiers and ZWJ
// continuations. ©, ®, ™ and ♟ are emoji only with U+FE0F, like in Twemoji.
std::size_t emoji_end(std::string_view s, std::size_t i) {
    const Decoded first = decode_at(s, i);
    std::size_t j = i + first.len;
    const auto next = [&](std::size_t at) {
        return at < s.size() ? decode_at(s, at) : Decoded{0, 0};
    };
    if (first.cp < 0x80) {
        const bool keycap_base =
            (first.cp >= U'0' && first.cp <= U'9') || first.cp == U'#' || first.cp == U'*';
        if (!keycap_base) {
            return 0;
        }
        j += next(j).cp == 0xFE0F ? std::size_t{3} : std::size_t{0};
        return next(j).cp == 0x20E3 ? j + 3 : 0;
    }
    if (is_regional_indicator(first.cp)) {
        return is_regional_indicator(next(j).cp) ? j + 4 : j;
    }
    if (!is_pictographic(first.cp)) {
        return 0;
    }
    const bool text_default =
        first.cp == 0xA9 || first.cp == 0xAE || first.cp == 0x2122 || first.cp == 0x265F;
    if (text_default && next(j).cp != 0xFE0F) {
        return 0;
    }
    for (;;) {
        for (Decoded d = next(j); d.len != 0 && is_emoji_modifier(d.cp); d = next(j)) {
            j += d.len;
        }
        const Decoded joiner = next(j);
        if (joiner.cp != 0x200D) {
            return j;
        }
        const Decoded pict = next(j + joiner.len);
        if (pict.len == 0 || !is_pictographic(pict.cp)) {
            return j;
        }
        j += joiner.len + pict.len;
    }
}

struct Mention {
    std::size_t begin = 0;
    std::size_t local_end = 0;  // end of "@user"
    std::size_t end = 0;        // end of "@user@domain"
};

bool is_username_char(char c) {
    return detail::is_ascii_alnum(static_cast<unsigned char>(c)) || c == '_';
}

// Mastodon's Account::MENTION_RE restricted to remote mentions ("@user@domain"): only those
// are rewritten by StatusLengthValidator.
std::vector<Mention> find_remote_mentions(std::string_view s) {
    std::vector<Mention> out;
    for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
        const char32_t prev = at == 0 ? 0 : detail::decode_last(s, at).cp;
        if (prev == U'=' || prev == U'/' || (prev != 0 && detail::is_word(prev))) {
            continue;
        }
        // user: [a-z0-9_]+([.-]+[a-z0-9_]+)*
        std::size_t j = at + 1;
        while (j < s.size() && is_username_char(s[j])) {
            ++j;
        }
        for (std::size_t k = j; k < s.size() && (s[k] == '.' || s[k] == '-');) {
            while (k < s.size() && (s[k] == '.' || s[k] == '-')) {
                ++k;
            }
            if (k >= s.size() || !is_username_char(s[k])) {
                break;
            }
            while (k < s.size() && is_username_char(s[k])) {
                ++k;
            }
            j = k;
        }
        if (j == at + 1 || j >= s.size() || s[j] != '@') {
            continue;
        }
        // domain: [[:word:]]+([.-]+[[:word:]]+)*
        std::size_t end = j + 1;
        for (std::size_t k = end; k < s.size();) {
            const Decoded d = decode_at(s, k);
            if (detail::is_word(d.cp)) {
                k += d.len;
                end = k;
            } else if ((d.cp == U'.' || d.cp == U'-') && end > j + 1) {
                ++k;  // part of the domain only once a word character follows
            } else {
                break;
            }
        }
        // Twitter's end_mention_match: not followed by another @ or by "://".
        const bool glued = end < s.size() && (s[end] == '@' || s.substr(end, 3) == "://");
        if (end > j + 1 && !glued) {
            out.push_back({at, j, end});
        }
        at = end - 1;
    }
    return out;
}

}  // namespace

std::size_t mastodon_length(std::string_view text, std::size_t url_weight) {
    const auto urls = detail::find_urls(text, BareUrls::no, detail::UrlFlavor::mastodon);
    const auto mentions = find_remote_mentions(text);
    detail::GraphemeCounter counter;
    std::size_t pos = 0;
    std::size_t u = 0;
    std::size_t m = 0;
    // Entities in text order; one that overlaps an earlier one is dropped, as
    // Extractor.remove_overlapping_entities does.
    while (u < urls.size() || m < mentions.size()) {
        const bool take_url =
            m >= mentions.size() || (u < urls.size() && urls[u].begin <= mentions[m].begin);
        const std::size_t begin = take_url ? urls[u].begin : mentions[m].begin;
        if (begin < pos) {
            if (take_url) {
                ++u;
            } else {
                ++m;
            }
            continue;
        }
        counter.feed(text.substr(pos, begin - pos));
        if (take_url) {
            for (std::size_t k = 0; k < url_weight; ++k) {
                counter.feed(U'x');
            }
            pos = urls[u++].end;
        } else {
            counter.feed(text.substr(begin, mentions[m].local_end - begin));
            pos = mentions[m++].end;
        }
    }
    counter.feed(text.substr(pos));
    return counter.count();
}

std::size_t twitter_weighted_length(std::string_view text) {
    std::string storage;
    const std::string_view s = detail::nfc_view(text, storage);
    const auto urls = detail::find_urls(s, BareUrls::yes, detail::UrlFlavor::twitter);
    std::size_t weight = 0;
    std::size_t u = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        while (u < urls.size() && urls[u].begin < i) {
            ++u;
        }
        if (u < urls.size() && urls[u].begin == i) {
            weight += k_twitter_url_weight;
            i = urls[u++].end;
            continue;
        }
        const unsigned char b = static_cast<unsigned char>(s[i]);
        if (b < 0x80U && b != '#' && b != '*' && (b < '0' || b > '9')) {
            ++weight;  // ASCII outside keycaps: weight 1, no decoding
            ++i;
            continue;
        }
        if (const std::size_t end = emoji_end(s, i); end != 0) {
            weight += k_twitter_emoji_weight;
            i = end;
            continue;
        }
        const Decoded d = decode_at(s, i);
        weight += twitter_char_weight(d.cp);
        i += d.len;
    }
    return weight;
}

}  // namespace cmtool::text
