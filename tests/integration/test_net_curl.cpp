// CurlTransport against the fake Mastodon on 127.0.0.1 (tests/fakes/fake_mastodon).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "../support/fake_mastodon_fixture.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/retry.hpp"

using namespace cmtool;
using namespace cmtool::net;
using nlohmann::json;

namespace {

using test::FakeMastodon;
using test::start_fake_mastodon;

HttpRequest post_status(const FakeMastodon& m, const std::string& text) {
    auto r = m.request("POST", "/api/v1/statuses");
    set_json_body(r, json{{"status", text}, {"visibility", "public"}}.dump());
    return r;
}

}  // namespace

TEST_CASE("curl: GET and POST JSON, form bodies, rate-limit headers") {
    auto m = start_fake_mastodon();
    auto instance = m.api.send(m.request("GET", "/api/v2/instance"));
    REQUIRE(instance);
    CHECK(instance->status == 200);
    CHECK(instance->header("content-type")->starts_with("application/json"));
    CHECK(json::parse(instance->body)["configuration"]["statuses"]["max_characters"] == 500);

    auto me = m.api.send(m.request("GET", "/api/v1/accounts/verify_credentials"));
    REQUIRE(me);
    CHECK(json::parse(me->body)["username"] == "alice");
    const auto limit = parse_mastodon_rate_limit(*me);
    CHECK(limit.limit == 300);
    CHECK(limit.remaining == 298);  // the instance GET above carried the token too
    REQUIRE(limit.reset);
    CHECK(*limit.reset > std::chrono::system_clock::now());

    auto created = m.api.send(post_status(m, "Hello from cmtool https://example.com/x"));
    REQUIRE(created);
    CHECK(created->status == 200);
    const auto id = json::parse(created->body)["id"].get<std::string>();
    auto fetched = m.api.send(m.request("GET", "/api/v1/statuses/" + id));
    REQUIRE(fetched);
    CHECK(json::parse(fetched->body)["id"] == id);

    auto form = m.request("POST", "/api/v1/statuses");
    set_form_body(form, {{"status", "form body"}, {"in_reply_to_id", id}});
    auto reply = m.api.send(form);
    REQUIRE(reply);
    CHECK(json::parse(reply->body)["in_reply_to_id"] == id);

    const auto reply_id = json::parse(reply->body)["id"].get<std::string>();
    auto deleted = m.api.send(m.request("DELETE", "/api/v1/statuses/" + reply_id));
    REQUIRE(deleted);
    CHECK(deleted->status == 200);
    CHECK(json::parse(deleted->body)["text"] == "form body");
    auto gone = m.api.send(m.request("GET", "/api/v1/statuses/" + reply_id));
    REQUIRE(gone);
    CHECK(gone->status == 404);
    CHECK(json::parse(gone->body)["error"] == "Record not found");

    auto denied =
        m.api.send(m.request("GET", "/api/v1/accounts/verify_credentials", "fake-wrong-token"));
    REQUIRE(denied);
    CHECK(denied->status == 401);
    CHECK(json::parse(denied->body)["error"] == "The access token is invalid");
}

TEST_CASE("curl: multipart media upload 202, then 206 while processing, then 200") {
    auto m = start_fake_mastodon();
    MultipartForm form;
    form.add_file("file", "slow-clip.png", "image/png", std::string(2048, 'x'))
        .add_text("description", "alt text");
    auto upload = m.request("POST", "/api/v2/media");
    set_multipart_body(upload, form);
    auto accepted = m.api.send(upload);
    REQUIRE(accepted);
    CHECK(accepted->status == 202);
    const auto media = json::parse(accepted->body);
    CHECK(media["url"].is_null());
    CHECK(media["description"] == "alt text");
    const auto media_id = media["id"].get<std::string>();

    auto early = m.request("POST", "/api/v1/statuses");
    set_json_body(early, json{{"status", "with media"}, {"media_ids", {media_id}}}.dump());
    auto not_ready = m.api.send(early);
    REQUIRE(not_ready);
    CHECK(not_ready->status == 422);

    std::vector<long> polls;
    for (int i = 0; i < 3; ++i) {
        auto poll = m.api.send(m.request("GET", "/api/v1/media/" + media_id));
        REQUIRE(poll);
        polls.push_back(poll->status);
    }
    CHECK(polls == std::vector<long>{206, 206, 200});
    auto attached = m.api.send(early);
    REQUIRE(attached);
    CHECK(attached->status == 200);
    CHECK(json::parse(attached->body)["media_attachments"].size() == 1);
}

TEST_CASE("curl: the same Idempotency-Key creates one status") {
    auto m = start_fake_mastodon();
    auto r = post_status(m, "exactly once");
    r.headers.emplace_back("Idempotency-Key", "cmtool-draft-1");
    auto first = m.api.send(r);
    auto second = m.api.send(r);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(json::parse(first->body)["id"] == json::parse(second->body)["id"]);
    CHECK(m.count_statuses("exactly once") == 1);
}

TEST_CASE("curl: a 429 carries Mastodon's headers and no Retry-After") {
    auto m = start_fake_mastodon();
    m.arm({{"path", "/api/v1/accounts/verify_credentials"}, {"mode", "429"}});
    auto limited = m.api.send(m.request("GET", "/api/v1/accounts/verify_credentials"));
    REQUIRE(limited);
    CHECK(limited->status == 429);
    CHECK_FALSE(limited->header("Retry-After"));
    const auto rl = parse_mastodon_rate_limit(*limited);
    CHECK(rl.remaining == 0);
    REQUIRE(rl.reset);
    const auto decision = decide(rl, std::chrono::system_clock::now(), std::chrono::seconds(1));
    CHECK(decision.action == RateDecision::Action::defer);
}

TEST_CASE("curl: a connection dropped after the request is 'outcome unknown', sent once") {
    auto m = start_fake_mastodon();
    // A GET first, so the POST could have reused a connection: libcurl re-sends a request that
    // got no answer on a reused connection, which must not happen for writes.
    REQUIRE(m.api.send(m.request("GET", "/api/v2/instance")));
    m.arm({{"path", "/api/v1/statuses"}, {"method", "POST"}, {"mode", "reset_after_request"}});
    auto dropped = m.api.send(post_status(m, "dropped answer"));
    REQUIRE_FALSE(dropped);
    const auto failure = classify_transport_error(dropped.error());
    REQUIRE(failure);
    CHECK(failure->delivery == Delivery::unknown);
    CHECK(failure->kind == NetFailureKind::no_response);
    CHECK(m.count_statuses("dropped answer") == 1);
}

TEST_CASE("curl: a hanging server gives a timeout, outcome unknown") {
    auto m = start_fake_mastodon();
    m.arm({{"path", "/api/v1/statuses"}, {"method", "POST"}, {"mode", "hang"}});
    auto r = post_status(m, "hung");
    r.timeout = std::chrono::milliseconds(300);
    const auto started = std::chrono::steady_clock::now();
    auto hung = m.api.send(r);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    REQUIRE_FALSE(hung);
    const auto failure = classify_transport_error(hung.error());
    REQUIRE(failure);
    CHECK(failure->kind == NetFailureKind::timeout);
    CHECK(failure->delivery == Delivery::unknown);
    CHECK(m.count_statuses("hung") == 1);
}

TEST_CASE("curl: refused connections are 'not sent' and redact the URL") {
    int port = 0;
    {
        auto m = start_fake_mastodon();
        port = m.server.port();
    }  // stopped: nothing listens there now
    CurlTransport api;
    HttpRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/statuses?access_token=fake-tk";
    auto refused = api.send(r);
    REQUIRE_FALSE(refused);
    const auto failure = classify_transport_error(refused.error());
    REQUIRE(failure);
    CHECK(failure->kind == NetFailureKind::refused);
    CHECK(failure->delivery == Delivery::not_sent);
    CHECK(refused.error().message.find("fake-tk") == std::string::npos);

    r.url = "ftp://127.0.0.1/file";
    auto ftp = api.send(r);
    REQUIRE_FALSE(ftp);
    CHECK(ftp.error().code == ErrorCode::invalid);
}

TEST_CASE("curl: malformed JSON comes back as a body") {
    auto m = start_fake_mastodon();
    m.arm({{"path", "/api/v2/instance"}, {"mode", "malformed_json"}});
    auto r = m.api.send(m.request("GET", "/api/v2/instance"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body, nullptr, false).is_discarded());
}

TEST_CASE("curl: send_all with concurrency 8 reuses connections") {
    auto m = start_fake_mastodon();
    std::vector<HttpRequest> requests;
    for (int i = 0; i < 64; ++i) {
        requests.push_back(m.request(
            "GET", i % 2 == 0 ? "/api/v2/instance" : "/api/v1/accounts/verify_credentials"));
    }
    const auto results = m.api.send_all(requests, 8);
    REQUIRE(results.size() == requests.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        REQUIRE(results[i]);
        CHECK(results[i]->status == 200);
        CHECK(json::parse(results[i]->body).contains(i % 2 == 0 ? "configuration" : "username"));
    }
    const auto stats = m.admin("GET", "/__admin/stats");
    CHECK(stats["requests"] == 64);
    CHECK(stats["connections"].get<int>() <= 8);
}

TEST_CASE("curl: send_with_retry rides out injected 503s") {
    auto m = start_fake_mastodon();
    m.arm({{"path", "/api/v2/instance"}, {"mode", "503"}, {"count", 2}, {"retry_after", 0}});
    SystemClock clock;
    ThreadSleeper sleeper;
    const RetryPolicy policy{3, std::chrono::milliseconds(1), std::chrono::milliseconds(50)};
    auto r = send_with_retry(m.api, m.request("GET", "/api/v2/instance"), policy, sleeper, clock,
                             Retryable::yes);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(m.admin("GET", "/__admin/stats")["requests"] == 3);
}

namespace {

// Three chains of four requests each: every answer adds the chain's next request (as a page's
// answer adds the next page); records how many were in flight at most.
class ChainStream final : public RequestStream {
  public:
    explicit ChainStream(const FakeMastodon& m) : m_fake(m) {
        for (std::size_t c = 0; c < 3; ++c) {
            m_ready.push_back(c);
        }
    }
    std::optional<TaggedRequest> next() override {
        if (m_ready.empty()) {
            return std::nullopt;
        }
        const std::size_t chain = m_ready.back();
        m_ready.pop_back();
        ++m_in_flight;
        m_max_in_flight = std::max(m_max_in_flight, m_in_flight);
        return TaggedRequest{chain, m_fake.request("GET", "/api/v2/instance")};
    }
    void done(std::size_t tag, Result<HttpResponse> response) override {
        --m_in_flight;
        if (response && response->status == 200) {
            ++m_ok;
        }
        if (++m_steps[tag] < 4) {
            m_ready.push_back(tag);
        }
    }
    std::size_t m_ok = 0;
    std::size_t m_in_flight = 0;
    std::size_t m_max_in_flight = 0;
    std::array<int, 3> m_steps{};

  private:
    const FakeMastodon& m_fake;
    std::vector<std::size_t> m_ready;
};

}  // namespace

TEST_CASE("curl: stream starts requests that answers produce, within the concurrency") {
    auto m = start_fake_mastodon();
    ChainStream chains(m);
    m.api.stream(chains, 2);
    CHECK(chains.m_ok == 12);
    CHECK(chains.m_max_in_flight == 2);
    CHECK(chains.m_steps == std::array<int, 3>{4, 4, 4});
    CHECK(m.admin("GET", "/__admin/stats")["requests"] == 12);
}
