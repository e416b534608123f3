// URL extraction modelled on twitter-text's extractUrlsWithIndices (platforms.md §1.7, §4.7):
// a hand-written scanner instead of its regex, same decisions on the cases that matter for
// counting (scheme URLs, bare domains with a real TLD, trailing punctuation, e-mails).
#include "text/urls.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "text/tlds.hpp"
#include "text/utf8.hpp"

namespace cmtool::text {
namespace detail {
namespace {

// A DNS label is at most 63 octets (RFC 1035); twitter-text rejects longer ones through IDNA
// (conformance case "Handle a 64 character domain without protocol").
constexpr std::size_t k_max_label = 63;
constexpr std::size_t k_max_tld = 32;

bool is_latin_accent(char32_t cp) {
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x1E00 && cp <= 0x1EFF);
}

// twitter-text's validAsciiDomain: what a domain without http:// may be made of.
bool is_bare_label_char(char32_t cp) {
    return is_ascii_alnum(cp) || cp == U'-' || is_latin_accent(cp);
}

// twitter-text's validDomainChars after a scheme ("http://☃.net" is a URL): letters, marks,
// numbers and symbols, plus - and _.
bool is_host_label_char(char32_t cp) {
    if (cp < 0x80) {
        return is_ascii_alnum(cp) || cp == U'-' || cp == U'_';
    }
    const auto c = category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_SO;
}

// validUrlPrecedingChars: no URL glued to a letter or digit, or after @ $ # (mentions,
// cashtags, hashtags); 0 stands for the start of the text.
bool blocks_url(char32_t prev) {
    return is_ascii_alnum(prev) || prev == U'@' || prev == U'＠' || prev == U'$' || prev == U'#' ||
           prev == U'＃';
}

// invalidUrlWithoutProtocolPrecedingChars adds -_./ for bare domains (paths, file names).
bool blocks_bare_url(char32_t prev) {
    return blocks_url(prev) || is_bare_label_char(prev) || prev == U'_' || prev == U'.' ||
           prev == U'/';
}

// The TLD alternatives in twitter-text end with the lookahead (?=[^0-9a-z@+-]|$).
bool blocks_tld_end(std::string_view s, std::size_t end) {
    if (end >= s.size()) {
        return false;
    }
    const auto c = static_cast<unsigned char>(s[end]);
    return is_ascii_alnum(c) || c == '@' || c == '+' || c == '-';
}

enum class Host { bare, after_scheme };

struct DomainMatch {
    std::size_t end = 0;  // 0: no domain
    std::size_t labels = 0;
    bool short_country = false;  // a two-letter country TLD other than co and tv
};

// Length of the TLD at the start of label (0: none). Bare domains need a known TLD; after a
// scheme any alphabetic TLD is accepted, so a TLD missing from the list never inflates a count.
std::size_t tld_length(std::string_view label, Host host, bool& short_country) {
    std::array<char, k_max_tld> lower{};
    std::size_t n = 0;
    for (; n < label.size() && n < k_max_tld; ++n) {
        const char c = label[n];
        lower[n] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        if (lower[n] < 'a' || lower[n] > 'z') {
            break;
        }
    }
    if (n == 0 && static_cast<unsigned char>(label[0]) >= 0x80U) {
        // An internationalised TLD is a whole label of letters and marks.
        for (std::size_t i = 0; i < label.size();) {
            const Decoded d = decode_at(label, i);
            const auto c = category(d.cp);
            if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_ME) {
                return 0;
            }
            i += d.len;
        }
        return host == Host::after_scheme || is_known_tld(label) ? label.size() : 0;
    }
    const std::string_view tld(lower.data(), n);
    if (n < 2 || (host == Host::bare && !is_known_tld(tld))) {
        return 0;
    }
    short_country = is_country_tld(tld) && tld != "co" && tld != "tv";
    return n;
}

// The longest run of dot-separated labels starting at i that ends with a TLD, as
// twitter-text's greedy validDomain finds it.
DomainMatch match_domain(std::string_view s, std::size_t i, Host host) {
    DomainMatch best;
    std::size_t labels = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        char32_t first = 0;
        char32_t last = 0;
        while (i < s.size()) {
            const Decoded d = decode_at(s, i);
            if (host == Host::bare ? !is_bare_label_char(d.cp) : !is_host_label_char(d.cp)) {
                break;
            }
            first = i == start ? d.cp : first;
            last = d.cp;
            i += d.len;
        }
        if (i == start || i - start > k_max_label) {
            break;
        }
        ++labels;
        bool short_country = false;
        const std::size_t tld = tld_length(s.substr(start, i - start), host, short_country);
        if (labels >= 2 && tld != 0 && !blocks_tld_end(s, start + tld)) {
            best = {start + tld, labels, short_country};
        }
        const bool bad_edge = first == U'-' || first == U'_' || last == U'-' || last == U'_';
        if (bad_edge || i + 1 >= s.size() || s[i] != '.') {
            break;
        }
        ++i;
    }
    return best;
}

bool is_path_char(char32_t cp, UrlFlavor flavor) {
    if (cp < 0x80) {
        constexpr std::string_view excluded = "\"<>\\^`{}";
        return cp > 0x20 && cp != 0x7F && excluded.find(static_cast<char>(cp)) == excluded.npos;
    }
    if (flavor == UrlFlavor::mastodon) {
        const auto c = category(cp);
        return !is_space(cp) && c != UTF8PROC_CATEGORY_CF && c != UTF8PROC_CATEGORY_CC;
    }
    return (cp >= 0x400 && cp <= 0x4FF) || is_latin_accent(cp) || cp == 0x2013;
}

// What may not end a URL: sentence punctuation, quotes, and the characters twitter-text
// leaves out of validUrlPathEndingChars.
bool is_trailing_junk(char32_t cp) {
    constexpr std::u32string_view junk = U".,;:!?'\"*~|$%[]@(「」";
    return junk.find(cp) != junk.npos;
}

// Port, path and query after a domain, minus trailing punctuation and an unbalanced ")".
std::size_t match_tail(std::string_view s, std::size_t i, UrlFlavor flavor, bool& has_path) {
    if (i + 1 < s.size() && s[i] == ':' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
        }
    }
    const std::size_t tail = i;
    if (i < s.size() && (s[i] == '/' || s[i] == '?')) {
        while (i < s.size()) {
            const Decoded d = decode_at(s, i);
            if (!is_path_char(d.cp, flavor)) {
                break;
            }
            i += d.len;
        }
    }
    while (i > tail) {
        const Decoded last = decode_last(s, i);
        const std::string_view path = s.substr(tail, i - tail);
        const bool unbalanced =
            last.cp == U')' && std::ranges::count(path, '(') < std::ranges::count(path, ')');
        if (!is_trailing_junk(last.cp) && !unbalanced) {
            break;
        }
        i -= last.len;
    }
    has_path = i > tail && s[tail] == '/';
    return i;
}

std::optional<UrlSpan> match_scheme_url(std::string_view s, std::size_t i, UrlFlavor flavor) {
    const auto starts_with_icase = [&](std::string_view prefix) {
        if (s.size() - i < prefix.size()) {
            return false;
        }
        for (std::size_t k = 0; k < prefix.size(); ++k) {
            const char c = s[i + k];
            if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c) != prefix[k]) {
                return false;
            }
        }
        return true;
    };
    std::size_t p = i;
    if (starts_with_icase("https://")) {
        p += 8;
    } else if (starts_with_icase("http://")) {
        p += 7;
    } else {
        return std::nullopt;
    }
    const DomainMatch domain = match_domain(s, p, Host::after_scheme);
    if (domain.end == 0) {
        return std::nullopt;
    }
    bool has_path = false;
    return UrlSpan{i, match_tail(s, domain.end, flavor, has_path), true};
}

std::optional<UrlSpan> match_bare_url(std::string_view s, std::size_t i, UrlFlavor flavor) {
    const DomainMatch domain = match_domain(s, i, Host::bare);
    if (domain.end == 0) {
        return std::nullopt;
    }
    bool has_path = false;
    const std::size_t end = match_tail(s, domain.end, flavor, has_path);
    // twitter-text's invalidShortDomain: "name.fr" alone is not a link, "name.fr/x" and
    // "www.name.fr" are (file names like "readme.md" stay text).
    if (domain.labels == 2 && domain.short_country && !has_path) {
        return std::nullopt;
    }
    return UrlSpan{i, end, false};
}

}  // namespace

std::vector<UrlSpan> find_urls(std::string_view text, BareUrls bare, UrlFlavor flavor) {
    std::vector<UrlSpan> out;
    if (text.find('.') == std::string_view::npos) {
        return out;  // every URL we accept has a dot in its host
    }
    char32_t prev = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const Decoded d = decode_at(text, i);
        std::optional<UrlSpan> url;
        if ((d.cp == U'h' || d.cp == U'H') && !blocks_url(prev)) {
            url = match_scheme_url(text, i, flavor);
        }
        if (!url && bare == BareUrls::yes && is_ascii_alnum(d.cp) && !blocks_bare_url(prev)) {
            url = match_bare_url(text, i, flavor);
        }
        if (url) {
            out.push_back(*url);
            i = url->end;
            prev = decode_last(text, i).cp;
            continue;
        }
        prev = d.cp;
        i += d.len;
    }
    return out;
}

}  // namespace detail

std::vector<UrlSpan> find_urls(std::string_view text, BareUrls bare) {
    return detail::find_urls(text, bare, detail::UrlFlavor::twitter);
}

}  // namespace cmtool::text
