// The one table of platform limits. Every number cites ../shared/platforms.md with its tag:
// [V] verified there, [C] corroborated, [U] unverified (tests must not depend on it), and
// "brief" for the values the text-module brief set that platforms.md does not state.
#include "cmtool/text/platform.hpp"

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

namespace cmtool {
namespace {

// Decimal megabytes: where a platform's unit is unknown, the stricter reading of "N MB".
constexpr std::size_t k_mb = 1'000'000;
// "No limit" for manual publishing: never reached, and max + a little never overflows.
constexpr std::size_t k_unlimited = std::numeric_limits<std::size_t>::max() / 4;

constexpr std::array<PlatformLimits, 10> k_limits = {{
    {.platform = Platform::mastodon,
     .rule = CountRule::mastodon,
     .max_text = 500,  // §1.7 [V] default; per instance configuration.statuses.max_characters
     .supports_threads = true,                  // §1.3 [V] in_reply_to_id
     .media = {.max_count = 4,                  // §1.4 [V] max_media_attachments default
               .max_image_bytes = 16 * k_mb,    // brief [U]
               .max_video_bytes = 99 * k_mb}},  // brief [U]
    {.platform = Platform::bluesky,
     .rule = CountRule::bluesky,
     .max_text = 300,                            // §2.8 [V] maxGraphemes
     .max_bytes = 3000,                          // §2.8 [V] maxLength in UTF-8 bytes
     .supports_threads = true,                   // §2.4 [V] reply.root / reply.parent
     .media = {.max_count = 4,                   // §2.5 [V] embed.images
               .max_image_bytes = 2'000'000,     // §2.5 [V] images.json (formerly 1 MB)
               .max_video_bytes = 100 * k_mb}},  // brief [U]
    {.platform = Platform::linkedin,
     .rule = CountRule::utf16,     // §3.7 [U] unit; UTF-16 is the stricter reading
     .max_text = 3000,             // §3.7 [C]
     .supports_threads = false,    // §3.3 no thread construct
     .media = {.max_count = 20}},  // brief [U]; file sizes unknown, not checked
    {.platform = Platform::x,
     .rule = CountRule::twitter,
     .max_text = 280,                            // §4.7 [V] weighted length
     .supports_threads = true,                   // §4.3 [V] reply.in_reply_to_tweet_id
     .media = {.max_count = 4,                   // brief [U]
               .max_image_bytes = 5 * k_mb,      // brief [U]
               .max_video_bytes = 512 * k_mb}},  // brief [U]
    {.platform = Platform::instagram,
     .rule = CountRule::graphemes,  // §5.2 [U] unit
     .max_text = 2200,              // §5.2 [C] caption
     .max_hashtags = 30,            // §5.2 [U] legacy cap: "warn above 5, refuse above 30"
     .supports_threads = false,     // §5.2 no reply/thread
     .media = {.max_count = 10,     // brief [U] carousel
               .max_image_bytes = 8 * k_mb,  // brief [U]
               .requires_media = true}},     // §5.2 [V] a container needs image or video
    {.platform = Platform::facebook,
     .rule = CountRule::graphemes,  // §5.1 unit not stated
     .max_text = 63'206,            // §5.1 [C] / §10
     .supports_threads = false,     // §5.1 only comments, not a chain of posts
     .media = {.max_count = 1,      // §5.1 [U] /{page-id}/photos takes one photo per post
               .supports_alt_text = false}},  // [U]
    {.platform = Platform::threads,
     .rule = CountRule::graphemes,  // brief; §5.3 says emoji count as UTF-8 bytes [U algorithm]
     .max_text = 500,               // §5.3 [V]
     .supports_threads = true,      // §5.3 [V] reply_to_id chain
     .media = {.max_count = 20}},   // brief [C] carousel; file sizes unknown, not checked
    {.platform = Platform::telegram,
     .rule = CountRule::utf16,                // §6.1 [U] unit: entity offsets are UTF-16
     .max_text = 4096,                        // §6.1 [V] sendMessage text
     .max_caption = 1024,                     // §6.1 [V] sendPhoto caption
     .supports_threads = true,                // §6.1 [V] reply_parameters
     .media = {.max_count = 1,                // one photo per sendPhoto (§6.1)
               .max_image_bytes = 10 * k_mb,  // §6.1 [V] photo upload
               .max_video_bytes = 50 * k_mb,  // §6.1 [V] other files
               .supports_alt_text = false}},  // [U] the Bot API has no alt text
    {.platform = Platform::discord,
     .rule = CountRule::graphemes,              // §6.2 "characters", unit [U]
     .max_text = 2000,                          // §6.2 [V] content
     .supports_threads = true,                  // §6.2 no replies: follow-ups in order
     .media = {.max_count = 10,                 // brief [U] attachments
               .max_image_bytes = 25 * k_mb,    // brief [U]
               .max_video_bytes = 25 * k_mb}},  // brief [U]
    {.platform = Platform::manual,
     .rule = CountRule::graphemes,
     .max_text = k_unlimited,   // rendered to a folder: no limit
     .supports_threads = true,  // parts are rendered in order
     .media = {.max_count = k_unlimited}},
}};

constexpr std::array<std::string_view, 10> k_names = {
    "mastodon", "bluesky", "linkedin", "x",       "instagram",
    "facebook", "threads", "telegram", "discord", "manual",
};

constexpr std::array<Platform, 10> k_platforms = {
    Platform::mastodon,  Platform::bluesky,  Platform::linkedin, Platform::x,
    Platform::instagram, Platform::facebook, Platform::threads,  Platform::telegram,
    Platform::discord,   Platform::manual,
};

constexpr bool table_in_enum_order() {
    for (std::size_t i = 0; i < k_platforms.size(); ++i) {
        if (static_cast<std::size_t>(k_platforms[i]) != i ||
            k_limits[i].platform != k_platforms[i]) {
            return false;
        }
    }
    return true;
}
static_assert(table_in_enum_order(), "k_limits and k_platforms follow the Platform enum");

std::size_t index_of(Platform p) {
    return static_cast<std::size_t>(p);
}

}  // namespace

std::span<const Platform> all_platforms() {
    return k_platforms;
}

std::string_view platform_name(Platform p) {
    return k_names.at(index_of(p));
}

std::optional<Platform> parse_platform(std::string_view name) {
    for (const Platform p : k_platforms) {
        if (k_names[index_of(p)] == name) {
            return p;
        }
    }
    return std::nullopt;
}

const PlatformLimits& limits_for(Platform p) {
    return k_limits.at(index_of(p));
}

}  // namespace cmtool
