// lookup()'s text matching: Mastodon's HTML `content` back to plain text (in the shapes the
// real server produces, platforms.md §1.2), the shared normalisation and Link paging.
#include <doctest/doctest.h>

#include "../../lib/src/platforms/mastodon_text.hpp"

using namespace cmtool::platforms::mastodon;

TEST_SUITE("platforms.mastodon.text") {
    TEST_CASE("paragraphs, line breaks and entities") {
        CHECK(html_to_text("<p>Un &amp; deux &lt;3 &gt; &quot;x&quot; l&#39;atelier</p>") ==
              "Un & deux <3 > \"x\" l'atelier\n\n");
        CHECK(html_to_text("<p>a<br>b<br/>c<br />d</p><p>e</p>") == "a\nb\nc\nd\n\ne\n\n");
        CHECK(html_to_text("&#x1F600;&#233;&nbsp;&unknown; &amp") ==
              "\xF0\x9F\x98\x80\xC3\xA9 "
              "&unknown; &amp");
    }

    TEST_CASE("links become their href, mentions and hashtags keep their text") {
        // A long URL as Mastodon shortens it on display.
        const std::string link =
            "<a href=\"https://example.com/a/very/long/path?x=1&amp;y=2\" target=\"_blank\" "
            "rel=\"nofollow noopener noreferrer\" translate=\"no\"><span "
            "class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/a/very/"
            "lon</span><span class=\"invisible\">g/path?x=1&amp;y=2</span></a>";
        CHECK(html_to_text("<p>Voir " + link + " !</p>") ==
              "Voir https://example.com/a/very/long/path?x=1&y=2 !\n\n");
        CHECK(html_to_text("<p><span class=\"h-card\" translate=\"no\"><a "
                           "href=\"https://other.example/@carol\" class=\"u-url mention\">@<span>"
                           "carol</span></a></span> <a href=\"https://m.example/tags/laiton\" "
                           "class=\"mention hashtag\" rel=\"tag\">#<span>Laiton</span></a></p>") ==
              "@carol #Laiton\n\n");
        CHECK(html_to_text("<p>cut <a href=\"x\"") == "cut ");
    }

    TEST_CASE("normalisation: whitespace runs, mention domains") {
        CHECK(normalise_for_match("  a \n\n b\t c  ") == "a b c");
        CHECK(normalise_for_match("Merci @carol@other.example, et @bob.") ==
              "Merci @carol, et @bob.");
        CHECK(normalise_for_match("mail@example.com @a@b.c.") == "mail@example.com @a.");
        CHECK(normalise_for_match("@user@") == "@user@");
        const std::string html =
            "<p>Soldes &amp; <span class=\"h-card\"><a href=\"https://o.ex/@c\" "
            "class=\"u-url mention\">@<span>c</span></a></span></p><p>fin</p>";
        CHECK(normalise_for_match(html_to_text(html)) ==
              normalise_for_match("Soldes & @c@o.ex\n\nfin"));
    }

    TEST_CASE("next page: the query of rel=next only") {
        CHECK(next_page_query("<https://m.example/api/v1/accounts/1/statuses?limit=40&max_id=7>; "
                              "rel=\"next\", <https://m.example/api/v1/accounts/1/statuses?"
                              "limit=40&min_id=9>; rel=\"prev\"") == "limit=40&max_id=7");
        CHECK(next_page_query("<https://m.example/x?min_id=9>; rel=\"prev\"") == std::nullopt);
        CHECK(next_page_query("") == std::nullopt);
    }
}
