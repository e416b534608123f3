#pragma once
// The app.bsky.feed.post record cmtool sends (platforms.md §2.2-2.5), built without any network
// access so that publish() and preview() produce the same JSON.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/ratelimit.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/text/facets.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::bluesky {

inline constexpr const char* k_post_collection = "app.bsky.feed.post";
inline constexpr std::size_t k_max_images = 4;                // embed/images.json
inline constexpr std::uintmax_t k_max_image_bytes = 2000000;  // embed/images.json (§2.5)
inline constexpr std::size_t k_max_langs = 3;                 // feed/post.json

using util::json_string;

// "2026-01-01T12:00:00.123Z": RFC 3339 in UTC with milliseconds (createdAt).
std::string rfc3339_millis(net::SysTime t);

// "https://bsky.app/profile/<handle>/post/<rkey>".
std::string post_url(const std::string& handle, const std::string& rkey);

// The parts of "at://<did>/<collection>/<rkey>"; nullopt when `uri` is not of that form.
struct AtUri {
    std::string repo;
    std::string collection;
    std::string rkey;
};
std::optional<AtUri> parse_at_uri(const std::string& uri);

// app.bsky.richtext.facet objects for `facets`. A mention becomes a facet only when `dids`
// has its handle (an unknown handle stays plain text, §2.3).
nlohmann::json facets_json(const std::vector<text::Facet>& facets,
                           const std::map<std::string, std::string>& dids);

// One image of an app.bsky.embed.images embed: the uploaded blob (or a placeholder), its alt
// text and, when known, its aspect ratio.
struct EmbeddedImage {
    nlohmann::json blob;
    std::string alt;
    int width = 0;
    int height = 0;
};
nlohmann::json images_embed(const std::vector<EmbeddedImage>& images);

// The record: text, createdAt, langs (at most 3), facets when any, reply {root, parent} strong
// refs when `request.parent` is set (root defaults to the parent), and `embed` when given.
nlohmann::json post_record(const PublishRequest& request, const std::string& created_at,
                           const nlohmann::json& facets,
                           const std::optional<nlohmann::json>& embed);

// True when an existing record `value` is the post `record` describes: same text and, for a
// reply, the same parent. createdAt and blobs are not compared (they differ between attempts).
bool same_post(const nlohmann::json& value, const nlohmann::json& record);

// Why a reply cannot be built: a parent or root without its at-uri and cid (strong refs,
// §2.4), or nullopt.
std::optional<std::string> thread_problem(const PublishRequest& request);

// The first reason `part` cannot go to Bluesky as images (too many, not an image, too large),
// or nullopt when it can.
std::optional<std::string> media_problem(const Part& part);

}  // namespace cmtool::platforms::bluesky
