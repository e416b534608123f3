#pragma once
// The built-in top-level-domain list behind bare-URL detection (twitter-text links
// "example.com" only when "com" is a real TLD).
#include <string_view>

namespace cmtool::text::detail {

// True when label (lower-case ASCII, or UTF-8 for internationalised TLDs) is a known TLD.
bool is_known_tld(std::string_view label);
// True for the country-code TLDs (two ASCII letters, lower case).
bool is_country_tld(std::string_view label);

}  // namespace cmtool::text::detail
