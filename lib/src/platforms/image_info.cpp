// Image headers: PNG (ISO 15948 §11.2.2 IHDR), GIF (GIF89a §18 logical screen descriptor),
// WebP (RFC 9649 §2.5-2.7: VP8, VP8L, VP8X) and JPEG (ITU T.81 §B.2.2 frame header, with the
// EXIF 2.3 orientation tag 0x0112 of IFD0 in APP1).
#include "cmtool/platforms/image_info.hpp"

#include <cstdint>
#include <fstream>
#include <string>

#include "cmtool/util/files.hpp"

namespace cmtool::platforms {
namespace {

constexpr std::size_t k_header_read = 256U * 1024U;

std::uint32_t byte(std::string_view b, std::size_t i) {
    return static_cast<unsigned char>(b[i]);
}
std::uint32_t be16(std::string_view b, std::size_t i) {
    return (byte(b, i) << 8U) | byte(b, i + 1);
}
std::uint32_t le16(std::string_view b, std::size_t i) {
    return byte(b, i) | (byte(b, i + 1) << 8U);
}
std::uint32_t be32(std::string_view b, std::size_t i) {
    return (be16(b, i) << 16U) | be16(b, i + 2);
}
std::uint32_t le24(std::string_view b, std::size_t i) {
    return le16(b, i) | (byte(b, i + 2) << 16U);
}
std::uint32_t le32(std::string_view b, std::size_t i) {
    return le16(b, i) | (le16(b, i + 2) << 16U);
}

std::optional<ImageInfo> make(std::string mime, std::uint32_t w, std::uint32_t h,
                              int orientation = 1) {
    constexpr std::uint32_t k_max = 1U << 30U;  // keeps both within int
    if (w == 0 || h == 0 || w > k_max || h > k_max) {
        return std::nullopt;
    }
    ImageInfo info{std::move(mime), static_cast<int>(w), static_cast<int>(h), orientation};
    if (orientation >= 5 && orientation <= 8) {
        std::swap(info.width, info.height);
    }
    return info;
}

std::optional<ImageInfo> parse_webp(std::string_view b) {
    if (b.size() < 30) {
        return std::nullopt;
    }
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8 " && be16(b, 23) == 0x9D01 && byte(b, 25) == 0x2A) {
        return make("image/webp", le16(b, 26) & 0x3FFFU, le16(b, 28) & 0x3FFFU);
    }
    if (chunk == "VP8L" && byte(b, 20) == 0x2F) {
        const std::uint32_t bits = le32(b, 21);
        return make("image/webp", (bits & 0x3FFFU) + 1, ((bits >> 14U) & 0x3FFFU) + 1);
    }
    if (chunk == "VP8X") {
        return make("image/webp", le24(b, 24) + 1, le24(b, 27) + 1);
    }
    return std::nullopt;
}

// The orientation in an APP1 segment's payload ("Exif\0\0" + TIFF), 1 when absent.
int exif_orientation(std::string_view app1) {
    if (app1.size() < 14 || app1.substr(0, 6) != std::string_view("Exif\0\0", 6)) {
        return 1;
    }
    const std::string_view tiff = app1.substr(6);
    const bool little = tiff.substr(0, 2) == "II";
    const auto u16 = [&](std::size_t i) { return little ? le16(tiff, i) : be16(tiff, i); };
    const auto u32 = [&](std::size_t i) { return little ? le32(tiff, i) : be32(tiff, i); };
    const std::size_t ifd = u32(4);
    if (ifd + 2 > tiff.size()) {
        return 1;
    }
    const std::size_t entries = u16(ifd);
    for (std::size_t e = 0; e < entries && ifd + 2 + e * 12 + 12 <= tiff.size(); ++e) {
        const std::size_t at = ifd + 2 + e * 12;
        if (u16(at) == 0x0112) {
            const auto value = static_cast<int>(u16(at + 8));
            return value >= 1 && value <= 8 ? value : 1;
        }
    }
    return 1;
}

bool is_sof(std::uint32_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageInfo> parse_jpeg(std::string_view b) {
    int orientation = 1;
    std::size_t i = 2;
    while (i + 4 <= b.size()) {
        if (byte(b, i) != 0xFF) {
            return std::nullopt;
        }
        const std::uint32_t marker = byte(b, i + 1);
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length
            i += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) {
            return std::nullopt;  // end of image or scan data before any frame header
        }
        const std::size_t length = be16(b, i + 2);
        if (length < 2 || i + 2 + length > b.size()) {
            return std::nullopt;
        }
        if (is_sof(marker) && length >= 7) {
            return make("image/jpeg", be16(b, i + 7), be16(b, i + 5), orientation);
        }
        if (marker == 0xE1) {
            orientation = exif_orientation(b.substr(i + 4, length - 2));
        }
        i += 2 + length;
    }
    return std::nullopt;
}

}  // namespace

std::optional<ImageInfo> parse_image_info(std::string_view b) {
    if (b.size() >= 24 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n" && b.substr(12, 4) == "IHDR") {
        return make("image/png", be32(b, 16), be32(b, 20));
    }
    if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        return make("image/gif", le16(b, 6), le16(b, 8));
    }
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
        return parse_webp(b);
    }
    if (b.size() >= 4 && byte(b, 0) == 0xFF && byte(b, 1) == 0xD8) {
        return parse_jpeg(b);
    }
    return std::nullopt;
}

Result<ImageInfo> read_image_info(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::io, "cannot read " + path.string());
    }
    std::string head(k_header_read, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    auto info = parse_image_info(head);
    if (!info && head.size() == k_header_read && head.starts_with("\xFF\xD8")) {
        auto whole = util::read_file(path);  // a JPEG whose EXIF block outgrew the first read
        if (!whole) {
            return fail(std::move(whole).error());
        }
        info = parse_image_info(*whole);
    }
    if (!info) {
        return fail(ErrorCode::invalid,
                    path.string() + " is not a JPEG, PNG, GIF or WebP image cmtool can read");
    }
    return *info;
}

}  // namespace cmtool::platforms
