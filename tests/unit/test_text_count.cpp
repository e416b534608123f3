// The text counters one by one; per-platform limits through measure() are in
// test_text_platform.cpp. Worked checks come from twitter-text's conformance/validate.yml
// (WeightedTweetsWithDiscountedEmojiCounterTest), see platforms.md §4.7.
#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"

using namespace cmtool::text;

namespace {

std::string repeat(std::string_view unit, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += unit;
    }
    return out;
}

// The URLs find_urls reports, as text, to compare with what a reader would underline.
std::vector<std::string> urls_in(std::string_view text, BareUrls bare = BareUrls::yes) {
    std::vector<std::string> out;
    for (const UrlSpan& u : find_urls(text, bare)) {
        out.emplace_back(text.substr(u.begin, u.end - u.begin));
    }
    return out;
}

constexpr std::string_view k_family = "👨\u200d👩\u200d👧\u200d👦";  // ZWJ sequence
constexpr std::string_view k_e_acute_decomposed = "e\u0301";

}  // namespace

TEST_SUITE("text.count") {
    TEST_CASE("is_valid_utf8") {
        CHECK(is_valid_utf8(""));
        CHECK(is_valid_utf8("Ça coûte 3 € «TTC» 👍🏽 中文"));
        CHECK_FALSE(is_valid_utf8("caf\xe9"));           // Latin-1 é
        CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong "/"
        CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
        CHECK_FALSE(is_valid_utf8("\xf0\x9f\x91"));      // truncated emoji
        CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    }

    TEST_CASE("count_graphemes") {
        CHECK(count_graphemes("") == 0);
        CHECK(count_graphemes("Bonjour") == 7);
        CHECK(count_graphemes("été") == 3);
        CHECK(count_graphemes(k_e_acute_decomposed) == 1);
        CHECK(count_graphemes(k_family) == 1);
        CHECK(count_graphemes("🇫🇷🇧🇪") == 2);              // two flags, not four letters
        CHECK(count_graphemes("👍🏽👍🏿") == 2);  // skin tones join their base
        CHECK(count_graphemes("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F") ==
              1);
        CHECK(count_graphemes("1\uFE0F\u20E3") == 1);  // keycap
        CHECK(count_graphemes("a\r\nb") == 3);         // CR LF is one cluster
        CHECK(count_graphemes("«Ça coûte 3 €»") == 14);
        CHECK(count_graphemes("中文字") == 3);
        CHECK(count_graphemes("한국어") == 3);
        CHECK(count_graphemes("\u1100\u1161\u11A8") == 1);  // conjoining jamo: one syllable
    }

    TEST_CASE("count_graphemes counts each invalid byte once and never crashes") {
        CHECK(count_graphemes("\xff") == 1);
        CHECK(count_graphemes("a\xff\xfe"
                              "b") == 4);
        CHECK(count_graphemes("\xf0\x9f\x91") == 3);  // truncated emoji: three stray bytes
        CHECK(count_graphemes("\xe9t\xe9") == 3);
        CHECK(count_utf16("\xff\xfe") == 2);
        CHECK(twitter_weighted_length("\xff\xfe") == 4);  // U+FFFD weighs 2
        CHECK(mastodon_length("\xffhttps://exemple.fr\xfe") == 25);
        CHECK(nfc("caf\xe9") == "caf\xe9");  // returned unchanged
    }

    TEST_CASE("count_utf16") {
        CHECK(count_utf16("") == 0);
        CHECK(count_utf16("é€") == 2);
        CHECK(count_utf16("中") == 1);
        CHECK(count_utf16("😀") == 2);                   // surrogate pair
        CHECK(count_utf16(k_family) == 11);             // 4 pairs + 3 ZWJ
        CHECK(count_utf16(k_e_acute_decomposed) == 2);  // no normalisation here
    }

    TEST_CASE("nfc") {
        CHECK(nfc(k_e_acute_decomposed) == "é");
        CHECK(nfc("Cafe\u0301 cre\u0300me") == "Café crème");
        CHECK(nfc("déjà NFC «ok» 👍🏽") == "déjà NFC «ok» 👍🏽");
        CHECK(nfc("\u212B") == "\u00C5");                              // Angstrom sign → Å
        CHECK(nfc("\u1100\u1161") == "\uAC00");                        // jamo → syllable
        CHECK(nfc("\uFB2C") == "\u05E9\u05BC\u05C1");                  // composition exclusion
        CHECK(nfc(std::string("a\0b", 3)) == std::string("a\0b", 3));  // NUL survives
    }

    TEST_CASE("find_urls: scheme URLs") {
        CHECK(urls_in("Hi http://test.co") == std::vector<std::string>{"http://test.co"});
        CHECK(urls_in("HTTPS://www.ExaMPLE.COM/index.html") ==
              std::vector<std::string>{"HTTPS://www.ExaMPLE.COM/index.html"});
        CHECK(urls_in("Lire https://exemple.fr/article?id=3&lang=fr.") ==
              std::vector<std::string>{"https://exemple.fr/article?id=3&lang=fr"});
        CHECK(urls_in("(voir https://fr.wikipedia.org/wiki/Paris_(France)).") ==
              std::vector<std::string>{"https://fr.wikipedia.org/wiki/Paris_(France)"});
        CHECK(urls_in("(voir https://exemple.fr/page)") ==
              std::vector<std::string>{"https://exemple.fr/page"});
        CHECK(urls_in("https://exemple.fr/a, https://exemple.fr/b; https://exemple.fr/c!?") ==
              std::vector<std::string>{"https://exemple.fr/a", "https://exemple.fr/b",
                                       "https://exemple.fr/c"});
        CHECK(urls_in("http://localhost:8080/x").empty());  // no TLD
        CHECK(urls_in("ftp://exemple.fr/x", BareUrls::no).empty());
        CHECK(urls_in("xhttp://exemple.fr", BareUrls::no).empty());  // glued to a word

        const std::string text = "€ https://exemple.fr/é";
        const auto spans = find_urls(text, BareUrls::no);
        REQUIRE(spans.size() == 1);
        CHECK(spans[0].begin == 4);  // byte offsets: "€" is 3 bytes
        CHECK(spans[0].end == text.size());
        CHECK(spans[0].has_scheme);
    }

    TEST_CASE("find_urls: bare domains need a known TLD") {
        CHECK(urls_in("exemple.com et boutique.shop et moi.paris") ==
              std::vector<std::string>{"exemple.com", "boutique.shop", "moi.paris"});
        CHECK(urls_in("www.lemonde.fr lemonde.fr/article t.co") ==
              std::vector<std::string>{"www.lemonde.fr", "lemonde.fr/article", "t.co"});
        // twitter-text's short-domain rule: name.<ccTLD> alone is text (readme.md, app.py).
        CHECK(urls_in("lemonde.fr readme.md app.py").empty());
        CHECK(urls_in("foo.baz foo.comm fichier.txt version 2.0").empty());
        CHECK(urls_in("Rendez-vous sur exemple.com.") == std::vector<std::string>{"exemple.com"});
        CHECK(urls_in("exemple.com", BareUrls::no).empty());
        auto bare = find_urls("exemple.com", BareUrls::yes);
        REQUIRE(bare.size() == 1);
        CHECK_FALSE(bare[0].has_scheme);
    }

    TEST_CASE("find_urls: e-mails and mentions are not URLs") {
        CHECK(urls_in("écrire à a@b.com ou contact@exemple.fr").empty());
        CHECK(urls_in("jean.dupont@gmail.com info.fr@exemple.com").empty());
        CHECK(urls_in("@user@mastodon.social").empty());
        CHECK(urls_in("#exemple.com $exemple.com").empty());
    }

    TEST_CASE("twitter_weighted_length: twitter-text conformance") {
        CHECK(twitter_weighted_length("Hi http://test.co") == 26);
        CHECK(twitter_weighted_length("http://test.co") == 23);
        CHECK(twitter_weighted_length("H🐱☺👨\u200d👩\u200d👧\u200d👦") == 7);
        CHECK(twitter_weighted_length("😷👾😡🔥💩") == 10);
        CHECK(twitter_weighted_length("🙋🏽👨\u200d🎤") == 4);
        CHECK(twitter_weighted_length(
                  "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; "
                  "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F") == 34);
        CHECK(twitter_weighted_length("Unicode 9.0 emoji: 🤠; 💃; 💃🏾") == 29);
        CHECK(twitter_weighted_length(repeat(k_family, 140)) == 280);
        CHECK(twitter_weighted_length(repeat("😷", 160)) == 320);
        CHECK(twitter_weighted_length(
                  "Test https://test.com test https://test.com test.com test") == 86);
        CHECK(twitter_weighted_length(repeat("https://www.twitter.com/aloha ", 10)) == 240);
        CHECK(twitter_weighted_length("\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069") == 31);
        CHECK(twitter_weighted_length("ABC\u202A\uFFFFABC\uFFFE") == 12);
        // A 64-letter label is not a domain: counted letter by letter.
        CHECK(twitter_weighted_length(repeat("randomurl", 7) + "s.com") == 68);
    }

    TEST_CASE("twitter_weighted_length: 160 CJK characters weigh 320") {
        const std::string poem =
            "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。"
            "朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。"
            "朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。"
            "泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。"
            "独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。";
        REQUIRE(count_graphemes(poem) == 160);
        CHECK(twitter_weighted_length(poem) == 320);
        CHECK(twitter_weighted_length("the" + poem) == 323);
    }

    TEST_CASE("twitter_weighted_length: weight ranges, NFC and text-style symbols") {
        CHECK(twitter_weighted_length("Ça coûte 3 € «TTC» !") == 21);  // € is outside the ranges
        CHECK(twitter_weighted_length("\u2013\u2019\u2026") == 4);  // – ’ weigh 1, … weighs 2
        CHECK(twitter_weighted_length("ÁB") == 2);
        CHECK(twitter_weighted_length("A\uFB2C") == 4);  // normalised into 3 characters
        CHECK(twitter_weighted_length(repeat(k_e_acute_decomposed, 10)) == 10);
        CHECK(twitter_weighted_length("©") == 1);        // text style without U+FE0F
        CHECK(twitter_weighted_length("©\uFE0F") == 2);  // emoji style
        CHECK(twitter_weighted_length("1\uFE0F\u20E3") == 2);
        CHECK(twitter_weighted_length("🇫🇷") == 2);
        CHECK(twitter_weighted_length("12") == 2);
    }

    TEST_CASE("mastodon_length") {
        CHECK(mastodon_length("") == 0);
        CHECK(mastodon_length("Bonjour 👨\u200d👩\u200d👧\u200d👦 !") == 11);
        // Scheme URLs weigh 23 whatever their length; bare domains are plain text.
        CHECK(mastodon_length("https://exemple.fr/un/très/long/chemin/vers/une/page") == 23);
        CHECK(mastodon_length("Voir https://t.co.") == 5 + 23 + 1);
        CHECK(mastodon_length("exemple.fr/page") == 15);
        CHECK(mastodon_length("https://ja.wikipedia.org/wiki/日本") == 23);  // any non-space path
        CHECK(mastodon_length("https://exemple.fr", 30) == 30);
        // @user@domain counts as @user; a local @user counts as written.
        CHECK(mastodon_length("@camille@piaille.fr") == 8);
        CHECK(mastodon_length("Merci @camille@mastodon.social et @léa !") == 6 + 8 + 4 + 4 + 2);
        CHECK(mastodon_length("@camille") == 8);
        CHECK(mastodon_length("mail@exemple.fr") == 15);  // e-mail, not a mention
        CHECK(mastodon_length("https://mastodon.social/@camille@exemple.fr") == 23);
    }

    TEST_CASE("count_hashtags") {
        CHECK(count_hashtags("") == 0);
        CHECK(count_hashtags("#été #Paris2024 #1er") == 3);
        CHECK(count_hashtags("#2024 #_ # vide") == 0);  // all digits, no letter, empty
        CHECK(count_hashtags("prix#1 a#b") == 0);       // not after a space
        CHECK(count_hashtags("#un#deux") == 0);         // glued tags
        CHECK(count_hashtags("Bonjour\n#linha\t#트위터 ＃全角") == 3);
        CHECK(count_hashtags(repeat("#tag ", 31)) == 31);
    }

}  // TEST_SUITE
