// The Mastodon adapter when things go wrong (fake_mastodon's /__admin/faults): lost answers,
// hangs, 5xx, 429 and malformed JSON map to the right Outcome, lookup() reconciles an unknown
// outcome by text, and the Idempotency-Key keeps every repeat to one status.
#include <doctest/doctest.h>

#include "../support/fake_mastodon_fixture.hpp"
#include "../support/mastodon_harness.hpp"
#include "cmtool/net/ratelimit.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

// Every attempt send_with_retry makes (RetryPolicy's default max_attempts).
constexpr int k_attempts = 3;

json status_fault(const std::string& mode, int count) {
    return {{"path", "/api/v1/statuses"}, {"method", "POST"}, {"mode", mode}, {"count", count}};
}

}  // namespace

TEST_SUITE("platforms.mastodon.faults") {
    TEST_CASE("answer lost on every attempt: unknown, lookup finds it, a repeat stays one") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        const auto req = test::mastodon_request("ws/shop-masto/perdu/0", "Réponse perdue");
        const auto intent_at = test::intent_now();
        m.arm(status_fault("reset_after_request", k_attempts));
        const PublishResult lost = h.adapter()->publish(req);
        CHECK(lost.outcome == Outcome::unknown);
        CHECK(h.sleeper.waits == std::vector<milliseconds>{milliseconds(500), milliseconds(1000)});
        REQUIRE(m.count_statuses("Réponse perdue") == 1);  // the key held on the repeats

        auto next_run = h.adapter();
        const auto found = next_run->lookup(req, intent_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::yes);
        const std::string id = m.admin("GET", "/__admin/statuses")[0]["id"];
        CHECK(found->ref.id == id);
        CHECK(found->ref.url == m.url("/@alice/" + id));
        CHECK(found->how.find("/statuses") != std::string::npos);

        const PublishResult again = next_run->publish(req);
        REQUIRE(again.outcome == Outcome::sent);
        CHECK(again.ref.id == id);
        CHECK(m.count_statuses("Réponse perdue") == 1);
    }

    TEST_CASE("answer lost once: the retry with the same key returns the status") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        m.arm(status_fault("reset_after_request", 1));
        const PublishResult r =
            h.adapter()->publish(test::mastodon_request("ws/shop-masto/once/0", "Une fois"));
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        CHECK(m.count_statuses("Une fois") == 1);
        CHECK(h.sleeper.waits == std::vector<milliseconds>{milliseconds(500)});
    }

    TEST_CASE("a hang past the account's timeout_ms: unknown") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token, {{"timeout_ms", "300"}});
        m.arm(status_fault("hang", k_attempts));
        const auto started = std::chrono::steady_clock::now();
        const PublishResult r =
            h.adapter()->publish(test::mastodon_request("ws/shop-masto/hang/0", "Suspendu"));
        CHECK(r.outcome == Outcome::unknown);
        CHECK(r.message.find("POST /api/v1/statuses") != std::string::npos);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
        CHECK(m.count_statuses("Suspendu") == 1);
    }

    TEST_CASE("a bad timeout_ms setting is a configuration error") {
        test::MastodonHarness h("https://mastodon.example", "t", {{"timeout_ms", "soon"}});
        const auto made = make_mastodon_adapter(h.ctx);
        REQUIRE_FALSE(made.has_value());
        CHECK(made.error().code == ErrorCode::config);
        CHECK(made.error().message.find("timeout_ms") != std::string::npos);
    }

    TEST_CASE("5xx: retried, after the last attempt unknown, and lookup says no") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        m.arm(status_fault("503", 1));
        const PublishResult retried =
            h.adapter()->publish(test::mastodon_request("ws/shop-masto/a/0", "Après un 503"));
        CHECK(retried.outcome == Outcome::sent);

        const auto req = test::mastodon_request("ws/shop-masto/b/0", "Trois 500");
        const auto intent_at = test::intent_now();
        m.arm(status_fault("500", k_attempts));
        const PublishResult r = h.adapter()->publish(req);
        CHECK(r.outcome == Outcome::unknown);
        CHECK(r.message == "POST /api/v1/statuses: HTTP 500: Injected server error");
        const auto found = h.adapter()->lookup(req, intent_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::no);
    }

    TEST_CASE("a media upload failing: transient failure, nothing posted") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        m.arm({{"path", "/api/v2/media"}, {"mode", "reset_after_request"}, {"count", k_attempts}});
        auto req = test::mastodon_request("ws/shop-masto/img/0", "Avec image");
        MediaFile lamp;
        lamp.path = std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg";
        lamp.file = "media/lampe-laiton.jpg";
        req.part.media.push_back(lamp);  // no MIME: the adapter reads it from the file
        const PublishResult r = h.adapter()->publish(req);
        CHECK(r.outcome == Outcome::transient_failure);
        CHECK(m.admin("GET", "/__admin/statuses").empty());
        const PublishResult later = h.adapter()->publish(req);
        REQUIRE_MESSAGE(later.outcome == Outcome::sent, later.message);
    }

    TEST_CASE("429: rate limited until the fake's reset, and no request while it lasts") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto probe = m.api.send(m.request("GET", "/api/v1/accounts/verify_credentials"));
        REQUIRE(probe);
        const auto reset = net::parse_mastodon_rate_limit(*probe).reset;
        REQUIRE(reset);
        m.arm(status_fault("429", 1));
        auto adapter = h.adapter();
        const auto req = test::mastodon_request("ws/shop-masto/vite/0", "Trop vite");
        const PublishResult r = adapter->publish(req);
        CHECK(r.outcome == Outcome::rate_limited);
        CHECK(r.retry_at == reset);
        CHECK(r.message.find("Too many requests") != std::string::npos);
        CHECK(h.sleeper.waits.empty());  // a reset minutes away is not waited for

        const long before = m.admin("GET", "/__admin/stats")["requests"];
        const PublishResult blocked = adapter->publish(req);
        CHECK(blocked.outcome == Outcome::rate_limited);
        CHECK(blocked.retry_at == reset);
        CHECK(m.admin("GET", "/__admin/stats")["requests"] == before);
        CHECK(m.count_statuses("Trop vite") == 0);
    }

    TEST_CASE("malformed JSON on a 200: unknown, then found by lookup") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto req = test::mastodon_request(
            "ws/shop-masto/coupe/0",
            "Soldes & nouveautés <3 chez @bob et @carol@other.example :\n\nhttps://example.com/"
            "a-very/long/path/that-mastodon-shortens?utm_source=mastodon&x=1 #Laiton");
        const auto intent_at = test::intent_now();
        m.arm(status_fault("malformed_json", 1));
        const PublishResult r = h.adapter()->publish(req);
        CHECK(r.outcome == Outcome::unknown);
        CHECK(r.message.find("malformed JSON") != std::string::npos);
        const auto found = h.adapter()->lookup(req, intent_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::yes);
        CHECK(found->ref.id == m.admin("GET", "/__admin/statuses")[0]["id"]);
    }

    TEST_CASE("lookup: a never-sent key is not found, replies and older pages are matched") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto adapter = h.adapter();
        const auto intent_at = test::intent_now();
        const PublishResult root =
            adapter->publish(test::mastodon_request("ws/shop-masto/t/0", "Racine"));
        REQUIRE(root.outcome == Outcome::sent);
        auto reply = test::mastodon_request("ws/shop-masto/t/1", "Même texte", 1);
        reply.parent = root.ref;
        const PublishResult sent_reply = adapter->publish(reply);
        REQUIRE(sent_reply.outcome == Outcome::sent);
        for (int i = 0; i < 45; ++i) {  // push both past the first page of 40
            auto post = m.request("POST", "/api/v1/statuses");
            net::set_json_body(post, json{{"status", "Bruit " + std::to_string(i)}}.dump());
            REQUIRE(m.api.send(post)->status == 200);
        }
        const auto never =
            adapter->lookup(test::mastodon_request("ws/shop-masto/n/0", "Jamais"), intent_at);
        REQUIRE(never.has_value());
        CHECK(never->found == Found::no);

        const auto found = adapter->lookup(reply, intent_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::yes);
        CHECK(found->ref.id == sent_reply.ref.id);
        CHECK(found->how.find("2 page(s)") != std::string::npos);

        // The same text as a first part (no parent) is another status: not found.
        const auto as_root =
            adapter->lookup(test::mastodon_request("ws/shop-masto/u/0", "Même texte"), intent_at);
        REQUIRE(as_root.has_value());
        CHECK(as_root->found == Found::no);
    }
}
