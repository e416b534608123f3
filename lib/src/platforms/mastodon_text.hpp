#pragma once
// What lookup() compares: a status's `content` (sanitised HTML, platforms.md §1.2) turned back
// into plain text, and the text cmtool sent, both normalised the same way.
#include <optional>
#include <string>
#include <string_view>

namespace cmtool::platforms::mastodon {

// The plain text of Mastodon's HTML `content`: paragraphs and <br> become line breaks, links
// become their href (Mastodon shortens the visible text of long URLs with invisible spans),
// mention and hashtag links keep their visible text ("@user", "#tag"), other tags are dropped
// and entities (&amp; &lt; &gt; &quot; &#39; &apos; &nbsp; and numeric ones) are decoded.
std::string html_to_text(std::string_view html);

// `text` with every run of whitespace made one space, trimmed, and "@user@domain" mentions cut
// to "@user" (Mastodon shows only the username of a mention).
std::string normalise_for_match(std::string_view text);

// The query string ("limit=40&max_id=...") of the rel="next" URL of a Link header (§1.9), or
// nullopt when there is none.
std::optional<std::string> next_page_query(std::string_view link_header);

}  // namespace cmtool::platforms::mastodon
