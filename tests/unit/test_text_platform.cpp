// The limits table, platform names, and measure() at each platform's limit: exactly at the
// limit passes, one unit over fails, with French, English, emoji, CJK and URL-heavy texts.
#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"
#include "cmtool/text/platform.hpp"

using namespace cmtool;
using text::Measure;
using text::TextRole;

namespace {

std::string repeat(std::string_view unit, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += unit;
    }
    return out;
}

// 20 code points, 20 graphemes, 20 UTF-16 units, 26 bytes, X weight 21 (€ weighs 2).
constexpr std::string_view k_french = "Ça coûte 3 € «TTC» !";
// 1 grapheme, 11 UTF-16 units, 25 bytes, X weight 2.
constexpr std::string_view k_family = "👨\u200d👩\u200d👧\u200d👦";
constexpr std::string_view k_flag = "🇫🇷";         // 1 grapheme, 4 UTF-16 units, 8 bytes
constexpr std::string_view k_thumb = "👍🏽";  // 1 grapheme, 4 UTF-16 units, 8 bytes
constexpr std::string_view k_cjk = "中";          // 1 grapheme, 1 UTF-16 unit, 3 bytes, X 2

// The single measure of a one-constraint platform.
Measure only(Platform p, std::string_view s, TextRole role = TextRole::post) {
    const auto m = text::measure(p, s, role);
    REQUIRE(m.size() == 1);
    return m[0];
}

// At the limit passes and one more `extra` fails, on the platform's single constraint.
void check_boundary(Platform p, const std::string& at_limit, std::string_view extra = "a",
                    TextRole role = TextRole::post) {
    const Measure at = only(p, at_limit, role);
    CHECK(at.length == at.max);
    CHECK(at.ok());
    const Measure over = only(p, at_limit + std::string(extra), role);
    CHECK(over.length == at.max + 1);
    CHECK_FALSE(over.ok());
}

}  // namespace

TEST_SUITE("text.platform") {
    TEST_CASE("all_platforms, platform_name and parse_platform agree") {
        const auto all = all_platforms();
        REQUIRE(all.size() == 10);
        CHECK(all.front() == Platform::mastodon);
        CHECK(all.back() == Platform::manual);
        for (const Platform p : all) {
            const auto parsed = parse_platform(platform_name(p));
            REQUIRE(parsed.has_value());
            CHECK(*parsed == p);
            CHECK(limits_for(p).platform == p);
        }
        CHECK(platform_name(Platform::x) == "x");
        CHECK_FALSE(parse_platform("twitter").has_value());
        CHECK_FALSE(parse_platform("Mastodon").has_value());
        CHECK_FALSE(parse_platform("").has_value());
    }

    TEST_CASE("limits_for: the table's numbers (platforms.md §10)") {
        CHECK(limits_for(Platform::mastodon).max_text == 500);
        CHECK(limits_for(Platform::mastodon).media.max_count == 4);
        CHECK(limits_for(Platform::bluesky).max_text == 300);
        CHECK(limits_for(Platform::bluesky).max_bytes == 3000);
        CHECK(limits_for(Platform::bluesky).media.max_image_bytes == 2'000'000);
        CHECK(limits_for(Platform::x).max_text == 280);
        CHECK(limits_for(Platform::x).rule == CountRule::twitter);
        CHECK(limits_for(Platform::linkedin).rule == CountRule::utf16);
        CHECK_FALSE(limits_for(Platform::linkedin).supports_threads);
        CHECK(limits_for(Platform::instagram).max_text == 2200);
        CHECK(limits_for(Platform::instagram).max_hashtags == 30);
        CHECK(limits_for(Platform::instagram).media.requires_media);
        CHECK(limits_for(Platform::facebook).max_text == 63'206);
        CHECK(limits_for(Platform::telegram).max_text == 4096);
        CHECK(limits_for(Platform::telegram).max_caption == 1024);
        CHECK(limits_for(Platform::telegram).media.max_image_bytes == 10'000'000);
        CHECK(limits_for(Platform::discord).max_text == 2000);
        for (const Platform p : all_platforms()) {
            const auto& lim = limits_for(p);
            CHECK(lim.max_text > 0);
            CHECK(lim.media.max_count > 0);
            CHECK(lim.max_text + 1000 > lim.max_text);  // "no limit" must not overflow
        }
    }

    TEST_CASE("measure: mastodon (graphemes, URLs 23, @user@domain as @user)") {
        check_boundary(Platform::mastodon, repeat(k_french, 25));
        check_boundary(Platform::mastodon, repeat(k_family, 500), k_family);
        check_boundary(Platform::mastodon, repeat(k_cjk, 500), k_cjk);
        // Each URL + space counts 24 however long the URL is.
        const std::string urls =
            repeat("https://exemple.fr/un/très/long/chemin/vers/une/page ", 20);
        CHECK(text::count_graphemes(urls) > 1000);
        check_boundary(Platform::mastodon, urls + repeat("a", 20));
        // "@camille@piaille.fr " counts as "@camille ": 9.
        check_boundary(Platform::mastodon, repeat("@camille@piaille.fr ", 50) + repeat("a", 50));
        CHECK(only(Platform::mastodon, "x").unit == "characters");
    }

    TEST_CASE("measure: bluesky (300 graphemes and 3000 bytes)") {
        const auto both = [](const std::string& s) { return text::measure(Platform::bluesky, s); };
        const std::string accents = repeat("é", 300);  // 600 bytes
        auto m = both(accents);
        REQUIRE(m.size() == 2);
        CHECK(m[0].unit == "graphemes");
        CHECK(m[1].unit == "bytes");
        CHECK((m[0].ok() && m[1].ok()));
        m = both(accents + "é");
        CHECK(m[0].length == 301);
        CHECK_FALSE(m[0].ok());
        CHECK(m[1].ok());
        // 120 ZWJ families are 120 graphemes but exactly 3000 bytes; one more breaks the bytes.
        m = both(repeat(k_family, 120));
        CHECK(m[1].length == 3000);
        CHECK((m[0].ok() && m[1].ok()));
        m = both(repeat(k_family, 121));
        CHECK(m[0].ok());
        CHECK_FALSE(m[1].ok());
        // 299 families: the grapheme limit holds, the byte limit is far exceeded.
        m = both(repeat(k_family, 299));
        CHECK(m[0].ok());
        CHECK(m[1].length == 7475);
        CHECK_FALSE(m[1].ok());
        // Flags, CJK and English at 300 graphemes stay under 3000 bytes.
        for (const std::string_view unit : {k_flag, k_cjk, std::string_view("a")}) {
            m = both(repeat(unit, 300));
            CHECK((m[0].ok() && m[1].ok()));
            CHECK_FALSE(both(repeat(unit, 301))[0].ok());
        }
        // No URL discount: a long link counts in full.
        m = both("https://exemple.fr/" + repeat("x", 282));
        CHECK(m[0].length == 301);
        CHECK_FALSE(m[0].ok());
    }

    TEST_CASE("measure: x (twitter-text weighted 280)") {
        check_boundary(Platform::x, repeat("a", 280));
        check_boundary(Platform::x, repeat(k_french, 13) + repeat("a", 7));
        // CJK, emoji sequences and € weigh 2: one more is 2 over, still a failure.
        for (const std::string_view unit :
             {k_cjk, k_family, k_flag, k_thumb, std::string_view("€")}) {
            const Measure at = only(Platform::x, repeat(unit, 140));
            CHECK(at.length == 280);
            CHECK(at.ok());
            CHECK_FALSE(only(Platform::x, repeat(unit, 141)).ok());
        }
        // URL-heavy: 11 × (23 + 1) = 264, bare domains included.
        check_boundary(Platform::x,
                       repeat("https://exemple.fr/page ", 10) + "boutique.shop " + repeat("a", 16));
        // NFC first: a decomposed é weighs 1 like the composed one.
        check_boundary(Platform::x, repeat("e\u0301", 280), "e\u0301");
        check_boundary(Platform::x, repeat("é", 280), "é");
        CHECK(only(Platform::x, "x").unit == "weighted characters");
    }

    TEST_CASE("measure: linkedin (UTF-16 units, 3000)") {
        check_boundary(Platform::linkedin, repeat(k_french, 150));
        check_boundary(Platform::linkedin,
                       repeat(k_family, 272) + repeat("a", 8));  // 11 units each
        check_boundary(Platform::linkedin, repeat(k_cjk, 3000), k_cjk);
        CHECK(only(Platform::linkedin, repeat("😀", 1500)).ok());
        CHECK_FALSE(only(Platform::linkedin, repeat("😀", 1500) + "a").ok());
    }

    TEST_CASE("measure: threads, instagram, facebook and discord (graphemes)") {
        check_boundary(Platform::threads, repeat(k_french, 25));
        check_boundary(Platform::threads, repeat(k_thumb, 500), k_thumb);
        check_boundary(Platform::instagram, repeat(k_french, 110));
        check_boundary(Platform::instagram, repeat(k_family, 2200), k_family);
        check_boundary(Platform::facebook, repeat(k_french, 3160) + repeat("a", 6));
        check_boundary(Platform::facebook, repeat(k_cjk, 63'206), k_cjk);
        check_boundary(Platform::discord, repeat(k_french, 100));
        check_boundary(Platform::discord, repeat(k_flag, 2000), k_flag);
        CHECK(only(Platform::discord, "x").unit == "characters");
    }

    TEST_CASE("measure: telegram (UTF-16 units, 4096 text, 1024 caption)") {
        check_boundary(Platform::telegram, repeat(k_french, 204) + repeat("a", 16));
        check_boundary(Platform::telegram, repeat(k_family, 372) + repeat("a", 4));
        const std::string caption = repeat(k_french, 51) + repeat("a", 4);
        check_boundary(Platform::telegram, caption, "a", TextRole::media_caption);
        CHECK(only(Platform::telegram, caption + "a").ok());  // fine as a plain message
        CHECK(only(Platform::telegram, caption, TextRole::media_caption).max == 1024);
    }

    TEST_CASE("measure: the caption role changes nothing where there is no caption limit") {
        CHECK(only(Platform::instagram, "x", TextRole::media_caption).max == 2200);
        CHECK(only(Platform::x, "x", TextRole::media_caption).max == 280);
    }

    TEST_CASE("measure: manual has no practical limit") {
        const Measure m = only(Platform::manual, repeat(k_french, 10'000));
        CHECK(m.length == 200'000);
        CHECK(m.ok());
        CHECK(m.max > 1'000'000'000U);
    }

    TEST_CASE("measure: invalid UTF-8 is counted, never a crash") {
        const std::string broken = "caf\xe9 \xff\xfe\xf0\x9f";
        for (const Platform p : all_platforms()) {
            const auto m = text::measure(p, broken);
            REQUIRE_FALSE(m.empty());
            CHECK(m[0].length >= 8);  // at least one unit per character or stray byte
            CHECK(m[0].ok());
        }
    }

}  // TEST_SUITE
