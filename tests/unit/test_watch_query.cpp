#include <doctest/doctest.h>

#include "cmtool/watch/query.hpp"

using namespace cmtool::watch;

TEST_CASE("watch query: terms, phrases, required and excluded words on word boundaries") {
    auto q = Query::parse(R"(greencart "green cart" +livraison -recrute)");
    REQUIRE(q.has_value());
    CHECK(q->matches("Livraison GreenCart nickel"));
    CHECK(q->matches("la LIVRAISON de Green  Cart, top"));
    CHECK_FALSE(q->matches("GreenCart recrute des livreurs pour la livraison"));
    CHECK_FALSE(q->matches("GreenCart nickel"));            // +livraison missing
    CHECK_FALSE(q->matches("livraison greencartography"));  // word boundary
    // Punctuation between the words of a phrase is a separator like a space.
    CHECK(q->matches("livraison green, cart"));
}

TEST_CASE("watch query: case and accent insensitive, hashtags and languages") {
    auto q = Query::parse("télévia #panne", {"fr"});
    REQUIRE(q.has_value());
    CHECK(q->matches("La fibre TELEVIA est morte", "fr"));
    CHECK(q->matches("encore une #Panne", ""));  // language unknown: kept
    CHECK_FALSE(q->matches("Televia is down", "en"));
    CHECK(q->hashtags() == std::vector<std::string>{"panne"});
    CHECK(q->search_text(" OR ") == "télévia OR #panne");
    auto about_us = Query::parse("atelier -spam");
    REQUIRE(about_us.has_value());
    CHECK(about_us->matches("@alice bravo", "", Query::AssumeTerm::yes));
    CHECK_FALSE(about_us->matches("@alice spam spam", "", Query::AssumeTerm::yes));
}

TEST_CASE("watch query: malformed terms") {
    CHECK_FALSE(Query::parse(R"(greencart "green cart)").has_value());
    CHECK_FALSE(Query::parse("-only -excluded").has_value());
    CHECK_FALSE(Query::parse("  ,, ").has_value());
    CHECK(fold_for_match("Élan, vital!") == " elan vital ");
}
