// The Bluesky adapter when things go wrong: sessions expiring and refreshing, duplicates refused
// by the PDS, lost answers, 5xx, 429, bad passwords, unreachable servers.
#include <doctest/doctest.h>

#include "../support/bluesky_harness.hpp"
#include "../support/fake_bluesky_fixture.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using nlohmann::json;

namespace {

constexpr const char* k_create = "/xrpc/com.atproto.repo.createRecord";

}  // namespace

TEST_SUITE("platforms.bluesky") {
    TEST_CASE("an expired access token is refreshed once and the rotated refresh JWT is kept") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        REQUIRE(h.adapter()->publish(test::bluesky_request("k/1", "Premier")).outcome ==
                Outcome::sent);
        const auto first_refresh = h.credentials.peek(h.account.name, "refresh_jwt");
        REQUIRE(first_refresh.has_value());

        // A later run reuses the cached session: no second createSession.
        REQUIRE(h.adapter()->publish(test::bluesky_request("k/2", "Deuxième")).outcome ==
                Outcome::sent);
        CHECK(fake.account("alice.test")["sessions_created"] == 1);

        fake.admin("POST", "/__admin/expire_tokens");  // access tokens only
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/3", "Troisième"));
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        CHECK(fake.account("alice.test")["refreshes"] == 1);
        CHECK(fake.account("alice.test")["sessions_created"] == 1);
        const auto rotated = h.credentials.peek(h.account.name, "refresh_jwt");
        REQUIRE(rotated.has_value());
        CHECK(*rotated != *first_refresh);
        CHECK(fake.records_with_text("Troisième").size() == 1);
    }

    TEST_CASE("a refused refresh token leads to a new session") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        REQUIRE(h.adapter()->verify().has_value());
        fake.admin("POST", "/__admin/expire_tokens", {{"refresh", true}});
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Après"));
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        CHECK(fake.account("alice.test")["sessions_created"] == 2);
    }

    TEST_CASE("publishing the same key twice makes one record and reports sent both times") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        const auto request = test::bluesky_request("ws/shop-bsky/once/0", "Une seule fois");
        const PublishResult first = adapter->publish(request);
        REQUIRE(first.outcome == Outcome::sent);
        const PublishResult again = h.adapter()->publish(request);
        REQUIRE_MESSAGE(again.outcome == Outcome::sent, again.message);
        CHECK(again.ref.uri == first.ref.uri);
        CHECK(again.ref.cid == first.ref.cid);
        CHECK(again.message.find("already published") != std::string::npos);
        CHECK(fake.records_with_text("Une seule fois").size() == 1);
    }

    TEST_CASE("the same record key holding another post is a permanent failure, not sent") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        REQUIRE(h.adapter()->publish(test::bluesky_request("k/1", "Texte A")).outcome ==
                Outcome::sent);
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Texte B"));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("different post") != std::string::npos);
        CHECK(fake.records_with_text("Texte B").empty());
    }

    TEST_CASE("a connection dropped after createRecord: unknown, then lookup finds the post") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        const auto request = test::bluesky_request("ws/shop-bsky/lost/0", "Réponse perdue");
        REQUIRE(adapter->verify().has_value());
        fake.arm({{"path", k_create},
                  {"method", "POST"},
                  {"mode", "reset_after_request"},
                  {"count", 3}});  // every attempt of send_with_retry loses its answer
        const PublishResult r = adapter->publish(request);
        CHECK(r.outcome == Outcome::unknown);
        CHECK(h.sleeper.waits.size() == 2);
        CHECK(fake.records_with_text("Réponse perdue").size() == 1);

        const auto found = adapter->lookup(request, request.scheduled_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::yes);
        CHECK(found->ref.uri.ends_with("/" + test::bluesky_rkey(request)));
        CHECK(found->ref.url ==
              "https://bsky.app/profile/alice.test/post/" + test::bluesky_rkey(request));
        // Publishing again is harmless: refused as a duplicate and reconciled.
        CHECK(adapter->publish(request).outcome == Outcome::sent);
        CHECK(fake.records_with_text("Réponse perdue").size() == 1);
    }

    TEST_CASE("one lost answer is retried under the same key and ends as sent, once") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        fake.arm({{"path", k_create}, {"mode", "reset_after_request"}});
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Une fois"));
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        CHECK(fake.records_with_text("Une fois").size() == 1);
    }

    TEST_CASE("a 5xx that created nothing: unknown, and lookup says no") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        const auto request = test::bluesky_request("k/1", "Panne");
        fake.arm({{"path", k_create}, {"mode", "503"}, {"count", 3}});
        const PublishResult r = adapter->publish(request);
        CHECK(r.outcome == Outcome::unknown);
        CHECK(r.message.find("503") != std::string::npos);
        const auto found = adapter->lookup(request, request.scheduled_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::no);
    }

    TEST_CASE("malformed JSON in a 200: unknown, and lookup finds it") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        const auto request = test::bluesky_request("k/1", "JSON cassé");
        REQUIRE(adapter->verify().has_value());
        fake.arm({{"path", k_create}, {"mode", "malformed_json"}});
        CHECK(adapter->publish(request).outcome == Outcome::unknown);
        CHECK(adapter->lookup(request, request.scheduled_at)->found == Found::yes);
    }

    TEST_CASE("429 with a long Retry-After: rate_limited at RateLimit-Reset, nothing sent") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        fake.arm({{"path", k_create}, {"mode", "429"}, {"retry_after", 120}});
        const auto before = std::chrono::system_clock::now();
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Trop vite"));
        CHECK(r.outcome == Outcome::rate_limited);
        REQUIRE(r.retry_at.has_value());
        CHECK(*r.retry_at > before);
        CHECK(*r.retry_at <= before + std::chrono::minutes(6));
        CHECK(h.sleeper.waits.empty());
        CHECK(fake.records_with_text("Trop vite").empty());
    }

    TEST_CASE("429 with a short Retry-After is waited out exactly, then sent") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        fake.arm({{"path", k_create}, {"mode", "429"}, {"retry_after", 2}});
        CHECK(h.adapter()->publish(test::bluesky_request("k/1", "Patience")).outcome ==
              Outcome::sent);
        REQUIRE(h.sleeper.waits.size() == 1);
        CHECK(h.sleeper.waits[0] == std::chrono::seconds(2));
    }

    TEST_CASE("the PDS's validation error is a permanent failure with its message") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        std::string text;
        for (int i = 0; i < 301; ++i) {
            text += "é";
        }
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", text));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("InvalidRequest") != std::string::npos);
        CHECK(r.message.find("grapheme too big") != std::string::npos);
    }

    TEST_CASE("a wrong app password: permanent failure with the login hint, never echoed") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", "wrong-app-password-123");
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Refusé"));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("AuthenticationRequired") != std::string::npos);
        CHECK(r.hint == "run `cmtool auth login shop-bsky`");
        CHECK(r.message.find("wrong-app-password-123") == std::string::npos);
        const auto info = h.adapter()->verify();
        REQUIRE_FALSE(info.has_value());
        CHECK(info.error().code == ErrorCode::auth);
    }

    TEST_CASE("no app password and no session: make_adapter names the variable to set") {
        test::BlueskyHarness h("http://127.0.0.1:9", "alice.test", "");
        const auto made = make_adapter(h.ctx);
        REQUIRE_FALSE(made.has_value());
        CHECK(made.error().code == ErrorCode::config);
        CHECK(made.error().hint.find("CMTOOL_SHOP_BSKY_APP_PASSWORD") != std::string::npos);
    }

    TEST_CASE("an unreachable PDS: transient failure, nothing may have been sent") {
        // Port 9 (discard) on loopback is closed in the test environment: connection refused.
        test::BlueskyHarness h("http://127.0.0.1:9", "alice.test", test::k_alice_app_password);
        const PublishResult r = h.adapter()->publish(test::bluesky_request("k/1", "Hors ligne"));
        CHECK(r.outcome == Outcome::transient_failure);
        CHECK(r.message.find(test::k_alice_app_password) == std::string::npos);
    }
}
