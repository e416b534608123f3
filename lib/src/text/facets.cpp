// Facet detection modelled on the official client's detectFacets and its regexes (atproto
// packages/api/src/rich-text/detection.ts, util.ts; platforms.md §2.3), as a hand-written
// scanner over UTF-8 bytes so that offsets are byte offsets by construction.
#include "cmtool/text/facets.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"
#include "text/tlds.hpp"
#include "text/utf8.hpp"

namespace cmtool::text {
namespace {

using detail::decode_at;
using detail::decode_last;
using detail::Decoded;

// lexicons/app/bsky/richtext/facet.json#tag: maxGraphemes 64, maxLength 640.
constexpr std::size_t k_max_tag_graphemes = 64;
constexpr std::size_t k_max_tag_bytes = 640;
constexpr std::size_t k_max_cashtag = 5;  // CASHTAG_REGEX: a letter and up to 4 more

// JavaScript's \s: Unicode White_Space without U+0085, plus U+FEFF.
bool is_js_space(char32_t cp) {
    return (detail::is_space(cp) && cp != 0x85) || cp == 0xFEFF;
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
    return is_alpha(c) || (c >= '0' && c <= '9');
}
bool is_word(char c) {  // the ASCII \w of a regex without the u flag
    return is_alnum(c) || c == '_';
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

// Unicode punctuation (\p{P}): the categories Pc, Pd, Ps, Pe, Pi, Pf and Po.
bool is_punct(char32_t cp) {
    const auto c = detail::category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

// The regexes start with (^|\s) or (^|\s|\(): what may precede a facet.
bool starts_token(std::string_view s, std::size_t i, bool after_paren) {
    if (i == 0) {
        return true;
    }
    const char32_t prev = decode_last(s, i).cp;
    return is_js_space(prev) || (after_paren && prev == U'(');
}

std::size_t skip_non_space(std::string_view s, std::size_t i) {
    while (i < s.size()) {
        const Decoded d = decode_at(s, i);
        if (is_js_space(d.cp)) {
            break;
        }
        i += d.len;
    }
    return i;
}

// ---------------------------------------------------------------- mentions

bool is_handle_char(char c) {
    return is_alnum(c) || c == '.' || c == '-';
}

// isValidDomain() || endsWith('.test'): the last label is a real TLD.
bool is_handle_with_tld(std::string_view handle) {
    const auto dot = handle.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == handle.size()) {
        return false;
    }
    const std::string_view tld = handle.substr(dot + 1);
    return tld == "test" || detail::is_known_tld(tld);
}

// MENTION_REGEX = /(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)/g
void find_mentions(std::string_view s, std::vector<Facet>& out) {
    for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
        if (!starts_token(s, at, true)) {
            continue;
        }
        std::size_t end = at + 1;
        while (end < s.size() && is_handle_char(s[end])) {
            ++end;
        }
        // The trailing \b gives characters back until a word boundary ("@bob.test." ends at t).
        const auto boundary = [&](std::size_t e) {
            return is_word(s[e - 1]) != (e < s.size() && is_word(s[e]));
        };
        while (end > at + 1 && !boundary(end)) {
            --end;
        }
        std::string handle = ascii_lower(s.substr(at + 1, end - at - 1));
        if (is_handle_with_tld(handle)) {
            out.push_back({FacetKind::mention, at, end, std::move(handle)});
        }
    }
}

// ---------------------------------------------------------------- links

bool starts_with_icase(std::string_view s, std::size_t i, std::string_view prefix) {
    return s.size() - i >= prefix.size() && ascii_lower(s.substr(i, prefix.size())) == prefix;
}

// The end of a bare domain at s[i] (labels of letters, digits and inner hyphens, the first
// starting with a letter, at least two), or 0 when there is none or its TLD is unknown. Like the
// regex, the domain takes every label it can; the TLD is the last of them.
std::size_t match_bare_domain(std::string_view s, std::size_t i) {
    if (!is_alpha(s[i])) {
        return 0;
    }
    std::size_t p = i;
    std::size_t labels = 0;
    std::size_t tld_start = i;
    while (p < s.size() && is_alnum(s[p])) {
        tld_start = p;
        ++p;
        while (p < s.size()) {
            std::size_t q = p;
            while (q < s.size() && s[q] == '-') {
                ++q;
            }
            if (q == s.size() || !is_alnum(s[q])) {
                break;  // hyphens may only join two alphanumerics
            }
            p = q + 1;
        }
        ++labels;
        if (p + 1 >= s.size() || s[p] != '.' || !is_alnum(s[p + 1])) {
            break;
        }
        ++p;
    }
    if (labels < 2 || !detail::is_known_tld(ascii_lower(s.substr(tld_start, p - tld_start)))) {
        return 0;
    }
    return p;
}

bool is_link_end_junk(char32_t cp) {
    constexpr std::u32string_view junk = U".,;:!?\"'…»”’";
    return junk.find(cp) != std::u32string_view::npos;
}

// The official client strips one of ".,;:!?" then a ")" when the URL has no "("; this strips
// them (and closing quotes) repeatedly, keeping a ")" that closes a "(" inside the URL.
std::size_t trim_link(std::string_view s, std::size_t begin, std::size_t end) {
    while (end > begin) {
        const Decoded last = decode_last(s, end);
        const std::string_view url = s.substr(begin, end - begin);
        const bool unbalanced =
            last.cp == U')' && std::ranges::count(url, '(') < std::ranges::count(url, ')');
        if (!is_link_end_junk(last.cp) && !unbalanced) {
            break;
        }
        end -= last.len;
    }
    return end;
}

// URL_REGEX = /(^|\s|\()((https?:\/\/[\S]+)|((?<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[\S]*))/gim
void find_links(std::string_view s, std::vector<Facet>& out) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (!is_alpha(s[i]) || !starts_token(s, i, true)) {
            i += decode_at(s, i).len;
            continue;
        }
        std::size_t scheme = 0;
        if (starts_with_icase(s, i, "https://")) {
            scheme = 8;
        } else if (starts_with_icase(s, i, "http://")) {
            scheme = 7;
        }
        const std::size_t raw_end = skip_non_space(s, i);
        std::size_t end = trim_link(s, i, raw_end);
        if (scheme != 0 && end > i + scheme) {
            out.push_back({FacetKind::link, i, end, std::string(s.substr(i, end - i))});
        } else if (const std::size_t domain = match_bare_domain(s, i); domain != 0) {
            end = std::max(domain, end);
            out.push_back(
                {FacetKind::link, i, end, "https://" + std::string(s.substr(i, end - i))});
        } else {
            ++i;
            continue;
        }
        i = raw_end;  // the regex resumes after the whole match, punctuation included
    }
}

// ---------------------------------------------------------------- hashtags and cashtags

// TAG_REGEX excludes \s and these invisible characters from a tag.
bool is_tag_stop(char32_t cp) {
    return is_js_space(cp) || cp == 0xAD || cp == 0x2060 || cp == 0x200A || cp == 0x200B ||
           cp == 0x200C || cp == 0x200D || cp == 0x20E2;
}

// TAG_REGEX = /(^|\s)[#＃]((?!\ufe0f)[^\s…]*[^\d\s\p{P}…]+[^\s…]*)?/gu, then the trailing
// \p{P}+ is stripped and tags over the length limit are dropped.
void find_hashtags(std::string_view s, std::vector<Facet>& out) {
    constexpr std::string_view k_fullwidth_hash = "＃";
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t mark = s[i] == '#' ? 1
                                 : s.substr(i).starts_with(k_fullwidth_hash)
                                     ? k_fullwidth_hash.size()
                                     : 0;
        if (mark == 0 || !starts_token(s, i, false)) {
            i += decode_at(s, i).len;
            continue;
        }
        const std::size_t body = i + mark;
        std::size_t p = body;
        bool has_letter = false;  // a character that is neither an ASCII digit nor punctuation
        while (p < s.size() && !(p == body && decode_at(s, p).cp == 0xFE0F)) {
            const Decoded d = decode_at(s, p);
            if (is_tag_stop(d.cp)) {
                break;
            }
            has_letter = has_letter || ((d.cp < U'0' || d.cp > U'9') && !is_punct(d.cp));
            p += d.len;
        }
        std::size_t end = p;
        while (end > body && is_punct(decode_last(s, end).cp)) {
            end -= decode_last(s, end).len;
        }
        const std::string_view tag = s.substr(body, end - body);
        if (has_letter && !tag.empty() && tag.size() <= k_max_tag_bytes &&
            count_graphemes(tag) <= k_max_tag_graphemes) {
            out.push_back({FacetKind::tag, i, end, std::string(tag)});
        }
        i = std::max(p, body);
    }
}

// CASHTAG_REGEX = /(^|\s|\()\$([A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[.,;:!?)"'\u2019])/gu
void find_cashtags(std::string_view s, std::vector<Facet>& out) {
    for (std::size_t at = s.find('$'); at != std::string_view::npos; at = s.find('$', at + 1)) {
        if (at + 1 >= s.size() || !is_alpha(s[at + 1]) || !starts_token(s, at, true)) {
            continue;
        }
        std::size_t end = at + 1;
        while (end < s.size() && is_alnum(s[end])) {
            ++end;
        }
        const bool terminated = end == s.size() || is_js_space(decode_at(s, end).cp) ||
                                std::u32string_view(U".,;:!?)\"'’").find(decode_at(s, end).cp) !=
                                    std::u32string_view::npos;
        if (end - at - 1 <= k_max_cashtag && terminated) {
            std::string ticker = std::string(s.substr(at, end - at));
            std::ranges::transform(ticker, ticker.begin(), [](char c) {
                return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
            });
            out.push_back({FacetKind::tag, at, end, std::move(ticker)});
        }
    }
}

}  // namespace

std::vector<Facet> detect_facets(std::string_view text) {
    std::vector<Facet> found;
    find_mentions(text, found);
    find_links(text, found);
    find_hashtags(text, found);
    find_cashtags(text, found);
    // Renderers drop overlapping facets (post-richtext.md): keep the first, then the longest.
    std::ranges::stable_sort(found, [](const Facet& a, const Facet& b) {
        return a.byte_start != b.byte_start ? a.byte_start < b.byte_start : a.byte_end > b.byte_end;
    });
    std::vector<Facet> out;
    for (Facet& f : found) {
        if (out.empty() || f.byte_start >= out.back().byte_end) {
            out.push_back(std::move(f));
        }
    }
    return out;
}

}  // namespace cmtool::text
