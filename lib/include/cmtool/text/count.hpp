#pragma once
// Text length as each platform counts it. All inputs are UTF-8; invalid UTF-8 is counted
// byte-by-byte as replacement characters (validation reports it separately).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/platform.hpp"

namespace cmtool::text {

// True when s is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);
// Number of extended grapheme clusters (UAX #29, via utf8proc): a ZWJ family emoji is 1.
std::size_t count_graphemes(std::string_view s);
// Number of UTF-16 code units.
std::size_t count_utf16(std::string_view s);
// Unicode NFC normalisation; returns the input unchanged when it is not valid UTF-8.
std::string nfc(std::string_view s);

// A URL found in text: byte offsets into the UTF-8 input, [begin, end).
struct UrlSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool has_scheme = false;  // "https://..." vs bare "example.com/x"
};
enum class BareUrls { no, yes };
// Finds URLs the way twitter-text's extractor does (scheme URLs, and bare domain.tld[/path]
// with a known TLD when bare == yes); trailing punctuation is not part of a URL.
std::vector<UrlSpan> find_urls(std::string_view text, BareUrls bare);

// Mastodon's length: graphemes after replacing each scheme URL by url_weight characters and
// each @user@domain by @user (status_length_validator.rb).
std::size_t mastodon_length(std::string_view text, std::size_t url_weight = 23);
// twitter-text v3 weighted length (the 280 limit): NFC, every URL 23, every emoji sequence 2,
// code points in the weight-1 ranges 1, everything else 2.
std::size_t twitter_weighted_length(std::string_view text);
// Number of #hashtags as Instagram counts them.
std::size_t count_hashtags(std::string_view text);

// One measured constraint: length in `unit` against `max`.
struct Measure {
    std::size_t length = 0;
    std::size_t max = 0;
    std::string_view unit;  // "characters", "graphemes", "bytes", "weighted characters"
    bool ok() const { return length <= max; }
};
enum class TextRole { post, media_caption };
// Every length constraint of a platform for one text (Bluesky yields graphemes and bytes).
std::vector<Measure> measure(Platform p, std::string_view text, TextRole role = TextRole::post);

}  // namespace cmtool::text
