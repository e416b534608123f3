#pragma once
// The type and pixel size of an image from its first bytes, without decoding it: JPEG (SOF
// marker, EXIF orientation), PNG (IHDR), GIF (logical screen) and WebP (VP8, VP8L, VP8X).
// Adapters use it for MIME types and aspect ratios (Bluesky's aspectRatio, platforms.md §2.5).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/util/result.hpp"

namespace cmtool::platforms {

struct ImageInfo {
    std::string mime;     // "image/jpeg", "image/png", "image/gif", "image/webp"
    int width = 0;        // as displayed: a JPEG whose EXIF orientation turns it a quarter turn
    int height = 0;       // (orientations 5 to 8) has its stored width and height swapped
    int orientation = 1;  // EXIF orientation 1..8; 1 when absent or not a JPEG
};

// The image described by `bytes` (the whole file or at least its header), or nullopt when the
// format is not one of the four or its header is truncated or has a zero dimension.
std::optional<ImageInfo> parse_image_info(std::string_view bytes);

// Reads as much of `path` as its header needs (all of a JPEG, whose SOF may come after large
// EXIF data). Fails (io) when the file cannot be read, (invalid) when it is not a supported
// image.
Result<ImageInfo> read_image_info(const std::filesystem::path& path);

}  // namespace cmtool::platforms
