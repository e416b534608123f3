// Bluesky facet detection (platforms.md §2.3). Offsets are checked against std::string::find on
// the same UTF-8 text, which is what a byte offset means.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/facets.hpp"

using namespace cmtool::text;

namespace {

std::string_view span(std::string_view text, const Facet& f) {
    return text.substr(f.byte_start, f.byte_end - f.byte_start);
}

std::vector<Facet> of_kind(std::string_view text, FacetKind kind) {
    std::vector<Facet> out;
    for (const Facet& f : detect_facets(text)) {
        if (f.kind == kind) {
            out.push_back(f);
        }
    }
    return out;
}

}  // namespace

TEST_SUITE("text.facets") {
    TEST_CASE("a link after accents and emoji gets UTF-8 byte offsets") {
        const std::string text =
            "Café 👩‍👩‍👧 à l'atelier : https://example.com/lampes?x=1.";
        const auto links = of_kind(text, FacetKind::link);
        REQUIRE(links.size() == 1);
        CHECK(links[0].byte_start == text.find("https://"));
        CHECK(links[0].byte_end == text.size() - 1);  // the final "." is not part of it
        CHECK(links[0].value == "https://example.com/lampes?x=1");
        CHECK(span(text, links[0]) == "https://example.com/lampes?x=1");
        CHECK(links[0].byte_start > 30);  // bytes, not the 25 code points before it
    }

    TEST_CASE("bare domains with a known TLD become https links") {
        const std::string text =
            "Voir mon-atelier.fr/promo, ou example.com! Pas fichier.txt ni v1.2";
        const auto links = of_kind(text, FacetKind::link);
        REQUIRE(links.size() == 2);
        CHECK(links[0].value == "https://mon-atelier.fr/promo");
        CHECK(span(text, links[0]) == "mon-atelier.fr/promo");
        CHECK(links[1].value == "https://example.com");
        CHECK(span(text, links[1]) == "example.com");
    }

    TEST_CASE("trailing punctuation and parentheses") {
        const std::string text =
            "(voir https://fr.wikipedia.org/wiki/Lampe_(éclairage)) et (https://example.com/a).";
        const auto links = of_kind(text, FacetKind::link);
        REQUIRE(links.size() == 2);
        CHECK(links[0].value == "https://fr.wikipedia.org/wiki/Lampe_(éclairage)");
        CHECK(links[1].value == "https://example.com/a");
        CHECK(span(text, links[1]) == "https://example.com/a");
        CHECK(of_kind("https://example.com/promo...", FacetKind::link)[0].value ==
              "https://example.com/promo");
    }

    TEST_CASE("links need a space, a parenthesis or the start before them") {
        CHECK(of_kind("xhttps://example.com", FacetKind::link).empty());
        CHECK(of_kind("mail me: me@example.com", FacetKind::link).empty());
        CHECK(of_kind("https:// nothing", FacetKind::link).empty());
    }

    TEST_CASE("mentions: handle with a real TLD after start, space or parenthesis") {
        const std::string text =
            "Merci @bob.test et (@Alice.BSKY.social)! mail@example.com @nobody @x.zzzz";
        const auto mentions = of_kind(text, FacetKind::mention);
        REQUIRE(mentions.size() == 2);
        CHECK(mentions[0].value == "bob.test");
        CHECK(span(text, mentions[0]) == "@bob.test");
        CHECK(mentions[1].value == "alice.bsky.social");
        CHECK(span(text, mentions[1]) == "@Alice.BSKY.social");
        CHECK(of_kind("Hi @bob.test.", FacetKind::mention)[0].byte_end == 12);  // not the "."
    }

    TEST_CASE("hashtags with # and ＃, trailing punctuation stripped, digits-only ignored") {
        const std::string text = "🎄 #Lampes #2024 #été! ＃atelier #123abc #_ a#b #";
        const auto tags = of_kind(text, FacetKind::tag);
        REQUIRE(tags.size() == 4);
        CHECK(tags[0].value == "Lampes");
        CHECK(tags[0].byte_start == text.find("#Lampes"));
        CHECK(tags[1].value == "été");
        CHECK(span(text, tags[1]) == "#été");
        CHECK(tags[2].value == "atelier");
        CHECK(span(text, tags[2]) == "＃atelier");  // the full-width sign is 3 bytes
        CHECK(tags[2].byte_end - tags[2].byte_start == 3 + 7);
        CHECK(tags[3].value == "123abc");
    }

    TEST_CASE("hashtags over 64 graphemes are plain text") {
        CHECK(of_kind("#" + std::string(64, 'a'), FacetKind::tag).size() == 1);
        CHECK(of_kind("#" + std::string(65, 'a'), FacetKind::tag).empty());
    }

    TEST_CASE("cashtags become upper-case tags with their $") {
        const auto tags = of_kind("Buy $aapl, not $TOOLONG or $5", FacetKind::tag);
        REQUIRE(tags.size() == 1);
        CHECK(tags[0].value == "$AAPL");
    }

    TEST_CASE("facets are ordered and never overlap") {
        const std::string text =
            "#promo https://example.com/#promo (@bob.test) example.com/@bob.test $ABC ＃fin";
        const auto facets = detect_facets(text);
        REQUIRE(facets.size() == 6);
        for (std::size_t i = 0; i < facets.size(); ++i) {
            CHECK(facets[i].byte_start < facets[i].byte_end);
            CHECK(facets[i].byte_end <= text.size());
            if (i > 0) {
                CHECK(facets[i - 1].byte_end <= facets[i].byte_start);
            }
        }
        CHECK(facets[1].kind == FacetKind::link);
        CHECK(facets[1].value == "https://example.com/#promo");
    }

    TEST_CASE("broken UTF-8 does not throw and offsets stay inside the text") {
        const std::string text = "\xff#tag \xc3 https://example.com/\xe2\x82 #ok";
        for (const Facet& f : detect_facets(text)) {
            CHECK(f.byte_end <= text.size());
        }
        CHECK(of_kind(text, FacetKind::tag).back().value == "ok");
    }
}
