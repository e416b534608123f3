// fake_bluesky itself, on the wire (platforms.md §2.11): the session rules, the AppView reads
// other modules rely on (getPosts, getProfile, getAuthorFeed, listNotifications, searchPosts),
// paging cursors and RateLimit-* headers.
#include <doctest/doctest.h>

#include "../support/fake_bluesky_fixture.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

struct Client {
    test::FakeBluesky& fake;
    net::CurlTransport http;

    net::HttpResponse call(const std::string& method, const std::string& nsid,
                           const net::FieldList& query = {}, const std::string& token = {},
                           const json& body = nullptr) {
        net::HttpRequest r;
        r.method = method;
        r.url = net::append_query(fake.url("/xrpc/" + nsid), query);
        if (!token.empty()) {
            r.headers.emplace_back("Authorization", "Bearer " + token);
        }
        if (!body.is_null()) {
            net::set_json_body(r, body.dump());
        }
        auto res = http.send(r);
        REQUIRE(res.has_value());
        return *res;
    }

    json session(const std::string& handle, const std::string& password) {
        const auto res = call("POST", "com.atproto.server.createSession", {}, {},
                              {{"identifier", handle}, {"password", password}});
        REQUIRE_MESSAGE(res.status == 200, res.body);
        return json::parse(res.body);
    }

    json post(const json& s, const json& record) {
        json full = record;
        full["$type"] = "app.bsky.feed.post";
        full["createdAt"] = "2026-12-01T09:00:00.000Z";
        const auto res =
            call("POST", "com.atproto.repo.createRecord", {}, s["accessJwt"],
                 {{"repo", s["did"]}, {"collection", "app.bsky.feed.post"}, {"record", full}});
        REQUIRE_MESSAGE(res.status == 200, res.body);
        return json::parse(res.body);
    }
};

json body_of(const net::HttpResponse& r) {
    return json::parse(r.body, nullptr, false);
}

}  // namespace

TEST_SUITE("fakes.bluesky") {
    TEST_CASE("fake bluesky: sessions, token kinds, expiry and refresh rotation") {
        auto fake = test::start_fake_bluesky();
        Client c{fake, net::CurlTransport{}};
        const json s = c.session("alice.test", test::k_alice_app_password);
        CHECK(s["handle"] == "alice.test");
        const auto bad = c.call("POST", "com.atproto.server.createSession", {}, {},
                                {{"identifier", "alice.test"}, {"password", "nope"}});
        CHECK(bad.status == 401);
        CHECK(body_of(bad)["error"] == "AuthenticationRequired");
        CHECK(body_of(c.call("GET", "com.atproto.server.getSession"))["error"] == "AuthMissing");
        const auto wrong_kind = c.call("GET", "com.atproto.server.getSession", {}, s["refreshJwt"]);
        CHECK(wrong_kind.status == 400);
        CHECK(body_of(wrong_kind)["error"] == "InvalidToken");

        fake.admin("POST", "/__admin/expire_tokens");
        const auto expired = c.call("GET", "com.atproto.server.getSession", {}, s["accessJwt"]);
        CHECK(expired.status == 400);
        CHECK(body_of(expired)["error"] == "ExpiredToken");
        const auto rotated =
            c.call("POST", "com.atproto.server.refreshSession", {}, s["refreshJwt"]);
        REQUIRE(rotated.status == 200);
        CHECK(body_of(rotated)["refreshJwt"] != s["refreshJwt"]);
        const auto reused =
            c.call("POST", "com.atproto.server.refreshSession", {}, s["refreshJwt"]);
        CHECK(reused.status == 400);
        CHECK(body_of(reused)["error"] == "ExpiredToken");
        CHECK(reused.header("RateLimit-Limit") == "3000");
        CHECK(reused.header("RateLimit-Policy") == "3000;w=300");
    }

    TEST_CASE("fake bluesky: mentions and replies notify, getPosts and engagement counters") {
        auto fake = test::start_fake_bluesky();
        Client c{fake, net::CurlTransport{}};
        const json alice = c.session("alice.test", test::k_alice_app_password);
        const json bob = c.session("bob.test", test::k_bob_app_password);
        const json top = c.post(alice, {{"text", "Bonjour"}});
        c.post(bob, {{"text", "Réponse"}, {"reply", {{"root", top}, {"parent", top}}}});
        for (int i = 0; i < 3; ++i) {
            c.post(bob, {{"text", "@alice.test " + std::to_string(i)},
                         {"facets",
                          json::array({{{"index", {{"byteStart", 0}, {"byteEnd", 11}}},
                                        {"features",
                                         json::array({{{"$type", "app.bsky.richtext.facet#mention"},
                                                       {"did", alice["did"]}}})}}})}});
        }
        const auto page1 = body_of(c.call(
            "GET", "app.bsky.notification.listNotifications",
            {{"reasons", "mention"}, {"reasons", "reply"}, {"limit", "3"}}, alice["accessJwt"]));
        REQUIRE(page1["notifications"].size() == 3);
        CHECK(page1["notifications"][0]["reason"] == "mention");
        REQUIRE(page1.contains("cursor"));
        const auto page2 =
            body_of(c.call("GET", "app.bsky.notification.listNotifications",
                           {{"limit", "3"}, {"cursor", page1["cursor"]}}, alice["accessJwt"]));
        REQUIRE(page2["notifications"].size() == 1);
        CHECK(page2["notifications"][0]["reason"] == "reply");
        CHECK(page2["notifications"][0]["reasonSubject"] == top["uri"]);
        CHECK_FALSE(page2.contains("cursor"));

        fake.admin("POST", "/__admin/engagement",
                   {{"uri", top["uri"]}, {"likes", 7}, {"reposts", 2}});
        const auto posts = body_of(
            c.call("GET", "app.bsky.feed.getPosts",
                   {{"uris", top["uri"]}, {"uris", "at://did:plc:none/app.bsky.feed.post/x"}}));
        REQUIRE(posts["posts"].size() == 1);
        CHECK(posts["posts"][0]["likeCount"] == 7);
        CHECK(posts["posts"][0]["repostCount"] == 2);
        CHECK(posts["posts"][0]["replyCount"] == 1);
        CHECK(posts["posts"][0]["author"]["handle"] == "alice.test");
    }

    TEST_CASE("fake bluesky: profile counts, author feed filters, search and its HTML 403") {
        auto fake = test::start_fake_bluesky();
        Client c{fake, net::CurlTransport{}};
        const json alice = c.session("alice.test", test::k_alice_app_password);
        const json top = c.post(
            alice,
            {{"text", "Lampe en laiton #Lampes"},
             {"facets",
              json::array({{{"index", {{"byteStart", 16}, {"byteEnd", 23}}},
                            {"features", json::array({{{"$type", "app.bsky.richtext.facet#tag"},
                                                       {"tag", "Lampes"}}})}}})}});
        c.post(alice, {{"text", "Suite laiton"}, {"reply", {{"root", top}, {"parent", top}}}});
        fake.admin("POST", "/__admin/profile", {{"actor", "alice.test"}, {"followers", 42}});
        const auto profile =
            body_of(c.call("GET", "app.bsky.actor.getProfile", {{"actor", "alice.test"}}));
        CHECK(profile["followersCount"] == 42);
        CHECK(profile["postsCount"] == 2);
        const auto all =
            body_of(c.call("GET", "app.bsky.feed.getAuthorFeed", {{"actor", alice["did"]}}));
        CHECK(all["feed"].size() == 2);
        CHECK(all["feed"][0]["reply"]["parent"]["uri"] == top["uri"]);
        const auto roots =
            body_of(c.call("GET", "app.bsky.feed.getAuthorFeed",
                           {{"actor", "alice.test"}, {"filter", "posts_no_replies"}}));
        CHECK(roots["feed"].size() == 1);
        CHECK(c.call("GET", "app.bsky.feed.getAuthorFeed",
                     {{"actor", "alice.test"}, {"limit", "101"}})
                  .status == 400);

        const auto found =
            body_of(c.call("GET", "app.bsky.feed.searchPosts", {{"q", "laiton"}, {"limit", "1"}}));
        CHECK(found["hitsTotal"] == 2);
        CHECK(found["posts"].size() == 1);
        CHECK(found.contains("cursor"));
        const auto tagged = body_of(
            c.call("GET", "app.bsky.feed.searchPosts", {{"q", "laiton"}, {"tag", "lampes"}}));
        CHECK(tagged["posts"].size() == 1);
        fake.admin("POST", "/__admin/search_auth", {{"required", true}});
        const auto closed = c.call("GET", "app.bsky.feed.searchPosts", {{"q", "laiton"}});
        CHECK(closed.status == 403);
        CHECK(closed.body.starts_with("<html>"));
        CHECK(c.call("GET", "app.bsky.feed.searchPosts", {{"q", "laiton"}}, alice["accessJwt"])
                  .status == 200);
    }
}
