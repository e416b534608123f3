// Image headers: the example media (made by real encoders) plus hand-built headers for the
// formats and corner cases the examples lack.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cmtool/platforms/image_info.hpp"

using namespace cmtool;
using namespace cmtool::platforms;

namespace {

const std::filesystem::path k_media = std::filesystem::path(CMTOOL_EXAMPLES) / "media";

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (const int b : list) {
        out.push_back(static_cast<char>(b));
    }
    return out;
}

// SOI, an APP1 Exif block (big-endian TIFF, one IFD0 entry: orientation), then SOF0 640x480.
std::string jpeg_with_orientation(int orientation) {
    std::string exif = "Exif" + bytes({0, 0}) + "MM" + bytes({0, 42, 0, 0, 0, 8}) +
                       bytes({0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0}) +
                       bytes({0, 0, 0, 0});
    const auto len = exif.size() + 2;
    return bytes({0xFF, 0xD8, 0xFF, 0xE1, static_cast<int>(len >> 8U),
                  static_cast<int>(len & 0xFFU)}) +
           exif + bytes({0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3}) + std::string(12, '\0');
}

}  // namespace

TEST_SUITE("platforms.image_info") {
    TEST_CASE("the example JPEGs and PNG") {
        const auto png = read_image_info(k_media / "carte-cadeau.png");
        REQUIRE(png);
        CHECK(png->mime == "image/png");
        CHECK(png->width == 1200);
        CHECK(png->height == 675);
        const auto portrait = read_image_info(k_media / "black-friday.jpg");
        REQUIRE(portrait);
        CHECK(portrait->mime == "image/jpeg");
        CHECK(portrait->width == 1080);
        CHECK(portrait->height == 1350);
        const auto square = read_image_info(k_media / "atelier-etabli.jpg");
        REQUIRE(square);
        CHECK(square->width == 1080);
        CHECK(square->height == 1080);
    }

    TEST_CASE("EXIF orientation 6 swaps the displayed width and height") {
        const auto upright = parse_image_info(jpeg_with_orientation(1));
        REQUIRE(upright);
        CHECK(upright->width == 640);
        CHECK(upright->height == 480);
        const auto turned = parse_image_info(jpeg_with_orientation(6));
        REQUIRE(turned);
        CHECK(turned->orientation == 6);
        CHECK(turned->width == 480);
        CHECK(turned->height == 640);
    }

    TEST_CASE("GIF and the three WebP flavours") {
        const auto gif = parse_image_info("GIF89a" + bytes({0x40, 0x01, 0xF0, 0x00}));
        REQUIRE(gif);
        CHECK(gif->mime == "image/gif");
        CHECK(gif->width == 320);
        CHECK(gif->height == 240);
        const std::string riff = "RIFF" + bytes({0, 0, 0, 0}) + "WEBP";
        // VP8X: canvas width-1 and height-1 as 24-bit little-endian.
        const auto vp8x = parse_image_info(riff + "VP8X" + bytes({10, 0, 0, 0, 0, 0, 0, 0}) +
                                           bytes({0x7F, 0x07, 0, 0x37, 0x04, 0}) + bytes({0, 0}));
        REQUIRE(vp8x);
        CHECK(vp8x->width == 1920);
        CHECK(vp8x->height == 1080);
        // VP8L: 14-bit width-1 and height-1 after the 0x2F signature (100 x 50).
        const unsigned bits = 99U | (49U << 14U);
        const auto vp8l = parse_image_info(riff + "VP8L" +
                                           bytes({0, 0, 0, 0, 0x2F, static_cast<int>(bits & 0xFFU),
                                                  static_cast<int>((bits >> 8U) & 0xFFU),
                                                  static_cast<int>((bits >> 16U) & 0xFFU), 0}) +
                                           std::string(8, '\0'));
        REQUIRE(vp8l);
        CHECK(vp8l->width == 100);
        CHECK(vp8l->height == 50);
        // VP8 (lossy): frame tag, start code 9D 01 2A, 14-bit dimensions (800 x 600).
        const auto vp8 = parse_image_info(
            riff + "VP8 " + bytes({0, 0, 0, 0, 0, 0, 0, 0x9D, 0x01, 0x2A, 0x20, 0x03, 0x58, 0x02}));
        REQUIRE(vp8);
        CHECK(vp8->width == 800);
        CHECK(vp8->height == 600);
    }

    TEST_CASE("truncated, empty or unknown data is not an image") {
        CHECK_FALSE(parse_image_info(""));
        CHECK_FALSE(parse_image_info("\x89PNG\r\n\x1a\n"));
        CHECK_FALSE(parse_image_info(jpeg_with_orientation(1).substr(0, 30)));
        CHECK_FALSE(parse_image_info("GIF89a" + bytes({0, 0, 0, 0})));  // zero width
        CHECK_FALSE(parse_image_info("just some text, not an image at all"));
        const auto missing = read_image_info(k_media / "no-such-file.jpg");
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == ErrorCode::io);
        const auto text = read_image_info(std::filesystem::path(CMTOOL_EXAMPLES) / "cmtool.yaml");
        REQUIRE_FALSE(text);
        CHECK(text.error().code == ErrorCode::invalid);
    }
}
