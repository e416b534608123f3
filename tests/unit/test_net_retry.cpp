#include <doctest/doctest.h>

#include <deque>

#include "cmtool/net/retry.hpp"

using namespace cmtool;
using namespace cmtool::net;
using std::chrono::milliseconds;

namespace {

SysTime at(int h, int m, int s, int ms = 0) {
    using namespace std::chrono;
    return sys_days{year{2026} / January / 1} + hours{h} + minutes{m} + seconds{s} +
           milliseconds{ms};
}

HttpResponse response(long status, HeaderList headers = {}) {
    return HttpResponse{status, std::move(headers), {}};
}

Result<HttpResponse> transport_error(NetFailureKind kind) {
    return fail(make_transport_error(kind, "POST", "https://mastodon.example/api/v1/statuses"));
}

// Hands out scripted results and counts the sends.
class ScriptedTransport final : public HttpTransport {
  public:
    explicit ScriptedTransport(std::vector<Result<HttpResponse>> script)
        : m_script(script.begin(), script.end()) {}
    Result<HttpResponse> send(const HttpRequest&) override {
        ++sends;
        REQUIRE_FALSE(m_script.empty());
        auto next = m_script.front();
        m_script.pop_front();
        return next;
    }
    int sends = 0;

  private:
    std::deque<Result<HttpResponse>> m_script;
};

class FakeClock final : public Clock {
  public:
    SysTime now() const override { return current; }
    SysTime current = at(12, 0, 0);
};

// Records each wait and moves the fake clock instead of sleeping.
class RecordingSleeper final : public Sleeper {
  public:
    explicit RecordingSleeper(FakeClock& clock) : m_clock(clock) {}
    Result<void> sleep_for(milliseconds d) override {
        waits.push_back(d);
        m_clock.current += d;
        if (interrupt) {
            return fail(ErrorCode::interrupted, "interrupted");
        }
        return {};
    }
    std::vector<milliseconds> waits;
    bool interrupt = false;

  private:
    FakeClock& m_clock;
};

const RetryPolicy k_policy{3, milliseconds{100}, milliseconds{1000}};

}  // namespace

TEST_CASE("classify: transient vs permanent") {
    CHECK(classify(response(200)) == Outcome::success);
    CHECK(classify(response(304)) == Outcome::success);
    CHECK(classify(response(400)) == Outcome::permanent);
    CHECK(classify(response(401)) == Outcome::permanent);
    CHECK(classify(response(422)) == Outcome::permanent);
    CHECK(classify(response(408)) == Outcome::transient);
    CHECK(classify(response(429)) == Outcome::transient);
    CHECK(classify(response(500)) == Outcome::transient);
    CHECK(classify(response(503)) == Outcome::transient);
    CHECK(classify(transport_error(NetFailureKind::timeout)) == Outcome::transient);
    CHECK(classify(transport_error(NetFailureKind::refused)) == Outcome::transient);
    CHECK(classify(Result<HttpResponse>(fail(ErrorCode::invalid, "bad url"))) ==
          Outcome::permanent);
}

TEST_CASE("certainly_not_processed only for not-sent errors, 408 and 429") {
    CHECK(certainly_not_processed(transport_error(NetFailureKind::refused)));
    CHECK(certainly_not_processed(transport_error(NetFailureKind::dns)));
    CHECK(certainly_not_processed(response(429)));
    CHECK(certainly_not_processed(response(408)));
    CHECK_FALSE(certainly_not_processed(transport_error(NetFailureKind::timeout)));
    CHECK_FALSE(certainly_not_processed(transport_error(NetFailureKind::no_response)));
    CHECK_FALSE(certainly_not_processed(response(500)));
}

TEST_CASE("next_delay: exponential backoff, capped, none after the last attempt") {
    const RetryPolicy policy{6, milliseconds{100}, milliseconds{500}};
    const auto now = at(12, 0, 0);
    CHECK(next_delay(policy, 1, nullptr, now) == milliseconds{100});
    CHECK(next_delay(policy, 2, nullptr, now) == milliseconds{200});
    CHECK(next_delay(policy, 3, nullptr, now) == milliseconds{400});
    CHECK(next_delay(policy, 4, nullptr, now) == milliseconds{500});
    CHECK(next_delay(policy, 5, nullptr, now) == milliseconds{500});
    CHECK_FALSE(next_delay(policy, 6, nullptr, now));
    CHECK_FALSE(next_delay(policy, 0, nullptr, now));
    const RetryPolicy once{1, milliseconds{100}, milliseconds{500}};
    CHECK_FALSE(next_delay(once, 1, nullptr, now));
}

TEST_CASE("next_delay: jitter scales the backoff to between half and all of it") {
    const auto now = at(12, 0, 0);
    CHECK(next_delay(k_policy, 2, nullptr, now, [] { return 0.0; }) == milliseconds{100});
    CHECK(next_delay(k_policy, 2, nullptr, now, [] { return 0.5; }) == milliseconds{150});
    CHECK(next_delay(k_policy, 1, nullptr, now, [] { return 0.99; }) == milliseconds{99});
}

TEST_CASE("next_delay honours Retry-After in seconds and as an HTTP-date, without jitter") {
    const auto now = at(12, 0, 0);
    const auto seconds = response(503, {{"retry-after", "1"}});
    CHECK(next_delay(k_policy, 1, &seconds, now, [] { return 0.0; }) == milliseconds{1000});
    const auto date = response(503, {{"Retry-After", "Thu, 01 Jan 2026 12:00:00 GMT"}});
    CHECK(next_delay(k_policy, 1, &date, at(11, 59, 59, 500)) == milliseconds{500});
    const auto past = response(503, {{"Retry-After", "Thu, 01 Jan 2026 11:00:00 GMT"}});
    CHECK(next_delay(k_policy, 1, &past, now) == milliseconds{0});
}

TEST_CASE("next_delay waits for Mastodon's ISO reset on a 429 without Retry-After") {
    const auto limited = response(429, {{"X-RateLimit-Limit", "300"},
                                        {"X-RateLimit-Remaining", "0"},
                                        {"X-RateLimit-Reset", "2026-01-01T12:00:01.000000Z"}});
    CHECK(next_delay(k_policy, 1, &limited, at(12, 0, 0, 250)) == milliseconds{750});
}

TEST_CASE("next_delay gives up when the server asks for longer than max_delay") {
    const auto later = response(429, {{"Retry-After", "3600"}});
    CHECK_FALSE(next_delay(k_policy, 1, &later, at(12, 0, 0)));
    const auto last = response(503, {{"Retry-After", "1"}});
    CHECK_FALSE(next_delay(k_policy, 3, &last, at(12, 0, 0)));
}

TEST_CASE("send_with_retry sleeps the exact delays and never after the last attempt") {
    FakeClock clock;
    RecordingSleeper sleeper(clock);
    SUBCASE("succeeds on the third attempt") {
        ScriptedTransport t({response(503), response(502), response(200)});
        const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::yes);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(t.sends == 3);
        CHECK(sleeper.waits == std::vector<milliseconds>{milliseconds{100}, milliseconds{200}});
    }
    SUBCASE("runs out of attempts") {
        ScriptedTransport t({response(500), response(500), response(500)});
        const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::yes);
        REQUIRE(r);
        CHECK(r->status == 500);
        CHECK(t.sends == 3);
        CHECK(sleeper.waits.size() == 2);
    }
    SUBCASE("a permanent answer is not repeated") {
        ScriptedTransport t({response(422)});
        const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::yes);
        CHECK(r->status == 422);
        CHECK(sleeper.waits.empty());
    }
    SUBCASE("an interrupted wait stops with the sleeper's error") {
        sleeper.interrupt = true;
        ScriptedTransport t({response(503), response(200)});
        const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::yes);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::interrupted);
        CHECK(t.sends == 1);
    }
}

TEST_CASE("send_with_retry never repeats a non-idempotent write whose outcome is unknown") {
    FakeClock clock;
    RecordingSleeper sleeper(clock);
    SUBCASE("timeout after sending") {
        ScriptedTransport t({transport_error(NetFailureKind::timeout), response(200)});
        const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::no);
        REQUIRE_FALSE(r);
        CHECK(classify_transport_error(r.error())->delivery == Delivery::unknown);
        CHECK(t.sends == 1);
    }
    SUBCASE("a 500 may have created it") {
        ScriptedTransport t({response(500), response(200)});
        CHECK(send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::no)->status == 500);
        CHECK(t.sends == 1);
    }
    SUBCASE("connection refused is repeated") {
        ScriptedTransport t({transport_error(NetFailureKind::refused), response(200)});
        CHECK(send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::no)->status == 200);
        CHECK(t.sends == 2);
    }
    SUBCASE("429 is repeated") {
        ScriptedTransport t({response(429, {{"Retry-After", "0"}}), response(200)});
        CHECK(send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::no)->status == 200);
        CHECK(sleeper.waits == std::vector<milliseconds>{milliseconds{0}});
    }
}

TEST_CASE("send_with_retry does not hide an earlier possible delivery") {
    FakeClock clock;
    RecordingSleeper sleeper(clock);
    ScriptedTransport t({transport_error(NetFailureKind::no_response),
                         transport_error(NetFailureKind::refused),
                         transport_error(NetFailureKind::refused)});
    const auto r = send_with_retry(t, {}, k_policy, sleeper, clock, Retryable::yes);
    REQUIRE_FALSE(r);
    CHECK(t.sends == 3);
    CHECK(classify_transport_error(r.error())->kind == NetFailureKind::no_response);
}
