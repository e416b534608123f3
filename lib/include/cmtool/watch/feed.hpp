#pragma once
// RSS 2.0 and Atom 1.0 feeds (news sites, Google-Alerts-style feeds) read into watch items.
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"
#include "cmtool/watch/source.hpp"

namespace cmtool::watch {

// The items of an RSS 2.0 (<rss><channel><item>) or Atom (<feed><entry>) document, in
// document order. remote_uri is the GUID/id, else the link; text is the title and the summary
// without HTML. Fails (parse) with "feed <name>: line L, column C: <what>" for malformed XML
// and with a clear message for a document that is neither RSS nor Atom. Never throws.
Result<std::vector<Item>> parse_feed(std::string_view document, std::string_view name);

// "Sat, 21 Nov 2026 10:00:00 +0100" (RFC 822/1123, RSS) or RFC 3339 (Atom); nullopt when
// neither.
std::optional<std::chrono::sys_seconds> parse_feed_time(std::string_view text);

}  // namespace cmtool::watch
