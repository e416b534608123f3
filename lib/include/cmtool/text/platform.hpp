#pragma once
// The networks cmtool knows and the limits each one enforces: one table, in platform.cpp.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace cmtool {

enum class Platform {
    mastodon,
    bluesky,
    linkedin,
    x,
    instagram,
    facebook,
    threads,
    telegram,
    discord,
    manual,  // no API: rendered to a folder, confirmed by the user
};

// All platforms, in the order above.
std::span<const Platform> all_platforms();
// The configuration name ("mastodon", "x", ...).
std::string_view platform_name(Platform p);
// Parses a configuration name; nullopt when unknown.
std::optional<Platform> parse_platform(std::string_view name);

// How a platform counts text for its length limit (see ../shared/platforms.md §10).
enum class CountRule {
    mastodon,   // graphemes; scheme URLs weigh 23; @user@domain counts as @user
    bluesky,    // graphemes AND UTF-8 bytes, no URL discount
    twitter,    // twitter-text v3 weighted length (NFC, URLs 23, emoji 2, CJK 2)
    graphemes,  // extended grapheme clusters
    utf16,      // UTF-16 code units (Telegram, LinkedIn [U])
};

struct MediaLimits {
    std::size_t max_count = 0;        // per post; 0 = media not supported
    std::size_t max_image_bytes = 0;  // per image file; 0 = not checked
    std::size_t max_video_bytes = 0;  // per video file; 0 = not checked (unknown limit)
    bool requires_media = false;      // Instagram: a post needs an image or a video
    bool supports_alt_text = true;
};

struct PlatformLimits {
    Platform platform;
    CountRule rule;
    std::size_t max_text = 0;       // in the rule's unit
    std::size_t max_bytes = 0;      // 0 = no byte limit (Bluesky 3000)
    std::size_t max_caption = 0;    // 0 = same as max_text (Telegram media caption 1024)
    std::size_t max_hashtags = 0;   // 0 = no cap (Instagram 30)
    bool supports_threads = false;  // replies chained by us
    MediaLimits media;
};

// The limits table entry for a platform. Never fails.
const PlatformLimits& limits_for(Platform p);

}  // namespace cmtool
