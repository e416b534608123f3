#pragma once
// Bluesky rich-text facets (platforms.md §2.3): links, mentions and hashtags found the way the
// official client's detectFacets (atproto packages/api/src/rich-text/detection.ts) finds them,
// as UTF-8 byte spans ready for app.bsky.richtext.facet. Pure functions: mention handles are
// resolved to DIDs by the caller (com.atproto.identity.resolveHandle).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::text {

enum class FacetKind { link, mention, tag };

struct Facet {
    FacetKind kind = FacetKind::link;
    std::size_t byte_start = 0;  // UTF-8 byte offsets into the text: [byte_start, byte_end)
    std::size_t byte_end = 0;
    // link: the URI (bare domains get "https://"); mention: the handle without "@", lower-cased;
    // tag: without the leading "#" or "＃" (a cashtag keeps its "$" and is upper-cased).
    std::string value;

    friend bool operator==(const Facet&, const Facet&) = default;
};

// The facets of `text`, ordered by position and never overlapping (where two would overlap, the
// one starting first wins, then the longer one). Rules, as in the official client:
// - mention: "@" preceded by the start, a space or "(", then a handle whose last label is a known
//   TLD (or "test", as the official client allows for development networks);
// - link: "http(s)://" followed by non-space, or a bare domain.tld[/path] whose TLD is known,
//   preceded by the start, a space or "("; trailing ".,;:!?" and an unbalanced ")" are not part
//   of it. Unlike the official client, labels may contain "-", the TLD check ignores case, and
//   trailing punctuation is stripped repeatedly (also "…", closing quotes and "»");
// - hashtag: "#" or "＃" after the start or a space, up to the next space; trailing punctuation
//   stripped; ignored when nothing but digits and punctuation, or over 64 graphemes/640 bytes;
// - cashtag: "$" and a letter plus up to 4 letters or digits, becomes the tag "$ABC".
// Invalid UTF-8 never throws; broken bytes are simply not part of any facet.
std::vector<Facet> detect_facets(std::string_view text);

}  // namespace cmtool::text
