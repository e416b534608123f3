#pragma once
// The URL extractor behind find_urls(), with the one knob the public header hides: which
// server's idea of a URL path to follow.
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"

namespace cmtool::text::detail {

enum class UrlFlavor {
    twitter,   // twitter-text: paths are ASCII, Latin accents and Cyrillic
    mastodon,  // config/initializers/twitter_regex.rb: any non-space character in a path
};

std::vector<UrlSpan> find_urls(std::string_view text, BareUrls bare, UrlFlavor flavor);

}  // namespace cmtool::text::detail
