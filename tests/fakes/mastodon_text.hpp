#pragma once
// The fake Mastodon's view of status text: URLs, #hashtags and @mentions, the §1.7 length rule
// (approximated: code points instead of grapheme clusters) and the HTML `content` rendering.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::fakes {

struct TextToken {
    enum class Kind { text, url, hashtag, mention };
    Kind kind = Kind::text;
    std::string raw;     // the exact source text
    std::string name;    // hashtag without '#', mention username without '@'
    std::string domain;  // mention domain, empty for a local mention
};

// Splits status text into plain runs, scheme URLs, #hashtags and @user[@domain] mentions.
std::vector<TextToken> tokenize(std::string_view text);

// platforms.md §1.7: each scheme URL counts `url_weight`, @user@domain counts as @user, every
// other UTF-8 code point counts 1 (the real server counts grapheme clusters).
std::size_t mastodon_length(std::string_view text, std::size_t url_weight = 23);

// Sanitised HTML like Mastodon's: <p> per paragraph, <br /> per line break, linked URLs,
// hashtags and mentions (`base` is the instance origin, e.g. http://127.0.0.1:1234).
std::string render_content(std::string_view text, std::string_view base);

std::string html_escape(std::string_view s);
std::string ascii_lower(std::string_view s);

// "2026-01-01T12:00:00.000Z" with `fraction_digits` (3 for entities, 6 for rate-limit resets).
std::string iso_time(std::chrono::system_clock::time_point t, int fraction_digits);

}  // namespace cmtool::fakes
