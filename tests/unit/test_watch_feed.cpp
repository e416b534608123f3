#include <doctest/doctest.h>

#include <random>
#include <string>

#include "cmtool/watch/feed.hpp"

using namespace cmtool;
using namespace cmtool::watch;

namespace {

constexpr const char* k_rss = R"(<?xml version="1.0"?>
<!DOCTYPE rss>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>News &amp; views</title>
    <!-- a comment -->
    <item>
      <title>GreenCart l&#232;ve &#x31;0 M&#8364;</title>
      <link>https://news.example/a</link>
      <guid isPermaLink="true">https://news.example/a</guid>
      <pubDate>Sat, 21 Nov 2026 10:00:00 +0100</pubDate>
      <description><![CDATA[<p>Une <b>bonne</b> nouvelle</p>]]></description>
      <dc:creator>Jeanne</dc:creator>
    </item>
    <item><title>Sans guid</title><link>https://news.example/b</link></item>
  </channel>
</rss>)";

constexpr const char* k_atom = R"(<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <entry xml:lang="en">
    <title type="html">GreenCart &lt;b&gt;rocks&lt;/b&gt;</title>
    <link rel="alternate" href="https://blog.example/1"/>
    <link rel="self" href="https://blog.example/1.atom"/>
    <id>tag:blog.example,2026:1</id>
    <published>2026-11-21T08:30:00Z</published>
    <author><name>Sam</name><uri>https://blog.example/sam</uri></author>
    <summary>Short</summary>
  </entry>
</feed>)";

}  // namespace

TEST_CASE("watch feed: RSS 2.0 items with entities, CDATA and RFC 822 dates") {
    auto items = parse_feed(k_rss, "test");
    REQUIRE_MESSAGE(items.has_value(), (items ? "" : items.error().message));
    REQUIRE(items->size() == 2);
    const Item& a = (*items)[0];
    CHECK(a.remote_uri == "https://news.example/a");
    CHECK(a.url == "https://news.example/a");
    CHECK(a.author == "Jeanne");
    CHECK(a.text == "GreenCart lève 10 M€ — Une bonne nouvelle");
    CHECK(a.published_at.time_since_epoch().count() == 1795251600);  // 09:00 UTC
    CHECK((*items)[1].remote_uri == "https://news.example/b");       // the link stands for the guid
}

TEST_CASE("watch feed: Atom entries") {
    auto items = parse_feed(k_atom, "test");
    REQUIRE(items.has_value());
    REQUIRE(items->size() == 1);
    const Item& e = (*items)[0];
    CHECK(e.url == "https://blog.example/1");
    CHECK(e.remote_uri == "tag:blog.example,2026:1");
    CHECK(e.author == "Sam");
    CHECK(e.lang == "en");
    CHECK(e.text == "GreenCart rocks — Short");
    CHECK(parse_feed_time("2026-11-21T08:30:00Z") == e.published_at);
}

TEST_CASE("watch feed: malformed feeds give a located error") {
    auto unclosed = parse_feed("<rss>\n<channel>\n  <item>\n    <title>x</title>\n</channel></rss>",
                               "https://news.example/feed");
    REQUIRE_FALSE(unclosed.has_value());
    CHECK(unclosed.error().code == ErrorCode::parse);
    CHECK(unclosed.error().message ==
          "feed https://news.example/feed: line 5, column 1: </channel> closes <item> (opened on "
          "line 3)");
    auto truncated = parse_feed("<rss><channel><item><title>x", "f");
    REQUIRE_FALSE(truncated.has_value());
    CHECK(truncated.error().message.find("unclosed") != std::string::npos);
    auto entity = parse_feed("<rss>&nbsp;</rss>", "f");
    REQUIRE_FALSE(entity.has_value());
    CHECK(entity.error().message.find("unknown entity &nbsp;") != std::string::npos);
    auto html = parse_feed("<html><body>Not a feed</body></html>", "f");
    REQUIRE_FALSE(html.has_value());
    CHECK(html.error().message.find("neither an RSS") != std::string::npos);
    CHECK_FALSE(parse_feed("", "f").has_value());
    CHECK_FALSE(parse_feed("<!DOCTYPE x [<!ENTITY a \"b\">]><rss/>", "f").has_value());
    std::string deep;
    for (int i = 0; i < 100; ++i) {
        deep += "<a>";
    }
    auto too_deep = parse_feed(deep, "f");
    REQUIRE_FALSE(too_deep.has_value());
    CHECK(too_deep.error().message.find("deeper than 64") != std::string::npos);
}

TEST_CASE("watch feed: every truncation and random damage fails cleanly, never crashes") {
    const std::string docs[] = {k_rss, k_atom};
    for (const auto& doc : docs) {
        for (std::size_t n = 0; n < doc.size(); ++n) {
            auto r = parse_feed(std::string_view(doc).substr(0, n), "t");
            if (!r) {
                CHECK(r.error().message.find("line ") != std::string::npos);
            }
        }
    }
    std::mt19937 rng(7);
    int failures = 0;
    for (int round = 0; round < 2000; ++round) {
        std::string doc = docs[round % 2];
        for (int k = 0; k < 3; ++k) {
            const auto at = std::uniform_int_distribution<std::size_t>(0, doc.size() - 1)(rng);
            doc[at] = "<>&;\"'/!?[]x\xC3"[std::uniform_int_distribution<int>(0, 14)(rng)];
        }
        auto r = parse_feed(doc, "fuzz");
        if (!r) {
            ++failures;
            CHECK(r.error().message.starts_with("feed fuzz: "));
        }
    }
    CHECK(failures > 100);  // damage is noticed, not silently accepted
}
