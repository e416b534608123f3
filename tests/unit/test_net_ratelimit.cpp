#include <doctest/doctest.h>

#include "cmtool/net/ratelimit.hpp"

using namespace cmtool::net;
using namespace std::chrono;

namespace {

sys_seconds utc(int h, int m, int s) {
    return sys_days{year{2026} / January / 1} + hours{h} + minutes{m} + seconds{s};
}

HttpResponse with(HeaderList headers, long status = 200) {
    return HttpResponse{status, std::move(headers), {}};
}

}  // namespace

TEST_CASE("parse_iso8601 reads Mastodon's microsecond resets") {
    CHECK(parse_iso8601("2026-01-01T12:05:00.000000Z") == utc(12, 5, 0));
    CHECK(parse_iso8601("2026-01-01T12:05:00Z") == utc(12, 5, 0));
    CHECK(parse_iso8601("2026-01-01T12:05:00.000001Z") == utc(12, 5, 1));  // rounded up
    CHECK(parse_iso8601("2026-01-01T14:05:00.5+02:00") == utc(12, 5, 1));
    CHECK(parse_iso8601("2026-01-01T10:05:00-0200") == utc(12, 5, 0));
    CHECK_FALSE(parse_iso8601("2026-01-01T12:05:00"));  // no zone
    CHECK_FALSE(parse_iso8601("2026-02-30T12:05:00Z"));
    CHECK_FALSE(parse_iso8601("1767269100"));
    CHECK_FALSE(parse_iso8601(""));
}

TEST_CASE("parse_http_date reads IMF-fixdate only") {
    CHECK(parse_http_date("Thu, 01 Jan 2026 12:05:00 GMT") == utc(12, 5, 0));
    CHECK_FALSE(parse_http_date("Thu, 01 Jan 2026 12:05:00 UTC"));
    CHECK_FALSE(parse_http_date("Thursday, 01-Jan-26 12:05:00 GMT"));
    CHECK_FALSE(parse_http_date("Thu, 01 Foo 2026 12:05:00 GMT"));
}

TEST_CASE("parse_retry_after: seconds or an HTTP-date, never negative") {
    const SysTime now = utc(12, 0, 0);
    CHECK(parse_retry_after("120", now) == milliseconds{120000});
    CHECK(parse_retry_after(" 0 ", now) == milliseconds{0});
    CHECK(parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == milliseconds{30000});
    CHECK(parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == milliseconds{0});
    CHECK_FALSE(parse_retry_after("-5", now));
    CHECK_FALSE(parse_retry_after("soon", now));
    CHECK_FALSE(parse_retry_after("1.5", now));
}

TEST_CASE("Mastodon headers") {
    const auto r =
        parse_mastodon_rate_limit(with({{"x-ratelimit-limit", "300"},
                                        {"X-RateLimit-Remaining", "0"},
                                        {"X-RateLimit-Reset", "2026-01-01T12:05:00.000000Z"}},
                                       429));
    CHECK(r.limit == 300);
    CHECK(r.remaining == 0);
    CHECK(r.reset == utc(12, 5, 0));
    CHECK(parse_mastodon_rate_limit(with({})).empty());
}

TEST_CASE("Bluesky headers: epoch reset, else Retry-After") {
    const SysTime now = utc(12, 0, 0);
    const auto epoch = std::to_string(utc(12, 5, 0).time_since_epoch().count());
    const auto r = parse_bluesky_rate_limit(with({{"RateLimit-Limit", "5"},
                                                  {"RateLimit-Remaining", "4"},
                                                  {"RateLimit-Reset", epoch},
                                                  {"RateLimit-Policy", "5;w=300"}}),
                                            now);
    CHECK(r.limit == 5);
    CHECK(r.remaining == 4);
    CHECK(r.reset == utc(12, 5, 0));
    const auto only_retry = parse_bluesky_rate_limit(with({{"Retry-After", "61"}}, 429), now);
    CHECK(only_retry.reset == utc(12, 1, 1));
}

TEST_CASE("X headers are lowercase epoch seconds") {
    const auto epoch = std::to_string(utc(12, 15, 0).time_since_epoch().count());
    const auto r = parse_x_rate_limit(with({{"x-rate-limit-limit", "100"},
                                            {"x-rate-limit-remaining", "99"},
                                            {"x-rate-limit-reset", epoch}}));
    CHECK(r.limit == 100);
    CHECK(r.remaining == 99);
    CHECK(r.reset == utc(12, 15, 0));
}

TEST_CASE("Discord prefers Reset-After (decimal seconds) and rounds up") {
    const SysTime now = utc(12, 0, 0);
    const auto r = parse_discord_rate_limit(with({{"X-RateLimit-Limit", "5"},
                                                  {"X-RateLimit-Remaining", "0"},
                                                  {"X-RateLimit-Reset", "1767268800.5"},
                                                  {"X-RateLimit-Reset-After", "1.25"}}),
                                            now);
    CHECK(r.remaining == 0);
    CHECK(r.reset == utc(12, 0, 2));
    const auto epoch_only = parse_discord_rate_limit(
        with({{"X-RateLimit-Reset",
               std::to_string(utc(12, 0, 9).time_since_epoch().count()) + ".2"}}),
        now);
    CHECK(epoch_only.reset == utc(12, 0, 10));
}

TEST_CASE("parse_any_rate_limit recognises each family") {
    const SysTime now = utc(12, 0, 0);
    CHECK(parse_any_rate_limit(with({{"X-RateLimit-Reset", "2026-01-01T12:05:00.000000Z"}}), now)
              .reset == utc(12, 5, 0));
    CHECK(parse_any_rate_limit(with({{"x-rate-limit-remaining", "7"}}), now).remaining == 7);
    CHECK(parse_any_rate_limit(with({{"RateLimit-Remaining", "3"}}), now).remaining == 3);
    CHECK(parse_any_rate_limit(with({{"X-RateLimit-Reset-After", "2"}}), now).reset ==
          utc(12, 0, 2));
    const auto retry = parse_any_rate_limit(with({{"Retry-After", "30"}}, 429), now);
    CHECK(retry.remaining == 0);
    CHECK(retry.reset == utc(12, 0, 30));
    CHECK(parse_any_rate_limit(with({{"Content-Type", "application/json"}}), now).empty());
}

TEST_CASE("decide: proceed, wait for a near reset, defer a far one") {
    const SysTime now = utc(12, 0, 0);
    const milliseconds max_wait{60000};
    using Action = RateDecision::Action;
    CHECK(decide(RateLimit{}, now, max_wait).action == Action::proceed);
    CHECK(decide(RateLimit{300, 12, utc(12, 5, 0)}, now, max_wait).action == Action::proceed);
    const auto wait = decide(RateLimit{300, 0, utc(12, 0, 45)}, now, max_wait);
    CHECK(wait.action == Action::wait);
    CHECK(wait.wait == milliseconds{45000});
    const auto defer = decide(RateLimit{300, 0, utc(12, 5, 0)}, now, max_wait);
    CHECK(defer.action == Action::defer);
    CHECK(defer.until == utc(12, 5, 0));
    CHECK(decide(RateLimit{300, 0, std::nullopt}, now, max_wait).action == Action::defer);
    CHECK(decide(RateLimit{300, 0, utc(11, 59, 0)}, now, max_wait).action == Action::proceed);
}

TEST_CASE("parse_meta_rate_limit: usage percentages and estimated_time_to_regain_access") {
    const SysTime now = utc(12, 0, 0);
    CHECK(parse_meta_rate_limit(with({}), now).empty());
    CHECK(parse_meta_rate_limit(with({{"X-App-Usage", "not json"}}), now).empty());
    const auto app = parse_meta_rate_limit(
        with({{"x-app-usage", R"({"call_count":28,"total_cputime":45,"total_time":12})"}}), now);
    CHECK(app.limit == 100);
    CHECK(app.remaining == 55);  // the highest percentage counts
    CHECK_FALSE(app.reset);
    const auto buc = parse_meta_rate_limit(
        with({{"X-App-Usage", R"({"call_count":10,"total_cputime":1,"total_time":1})"},
              {"X-Business-Use-Case-Usage",
               R"({"1001":[{"type":"pages","call_count":"100","total_cputime":20,)"
               R"("total_time":20,"estimated_time_to_regain_access":7}]})"}}),
        now);
    CHECK(buc.remaining == 0);
    CHECK(buc.reset == utc(12, 7, 0));
    const auto full = parse_meta_rate_limit(
        with({{"X-App-Usage", R"({"call_count":100,"total_cputime":3,"total_time":3})"}}), now);
    CHECK(full.remaining == 0);
    CHECK_FALSE(full.reset);  // spent with no time given: decide() defers
}
