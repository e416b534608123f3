#pragma once
// Rate-limit headers of each platform (platforms.md §1.8, §2.9, §4.8, §6.2, §9) read into one
// shape, and the "wait now or defer to the next run" decision.
#include <chrono>
#include <optional>
#include <string_view>

#include "cmtool/net/http.hpp"

namespace cmtool::net {

using SysTime = std::chrono::system_clock::time_point;

struct RateLimit {
    std::optional<long> limit;
    std::optional<long> remaining;
    std::optional<std::chrono::sys_seconds> reset;  // when the budget refills, rounded up

    bool empty() const { return !limit && !remaining && !reset; }
};

// "2026-01-01T12:05:00.000000Z" or with a "+hh:mm" offset, fractions rounded up to the next
// second; nullopt when malformed.
std::optional<std::chrono::sys_seconds> parse_iso8601(std::string_view text);
// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7); nullopt when malformed.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);
// A Retry-After value (delay-seconds or HTTP-date) as a delay from `now`, never negative;
// nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, SysTime now);
// The response's Retry-After header as a delay from `now`, or nullopt when absent/malformed.
std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response, SysTime now);

// Mastodon: X-RateLimit-Limit/Remaining and an ISO 8601 X-RateLimit-Reset (§1.8).
RateLimit parse_mastodon_rate_limit(const HttpResponse& response);
// Bluesky: RateLimit-Limit/Remaining, epoch-seconds RateLimit-Reset, else Retry-After (§2.9).
RateLimit parse_bluesky_rate_limit(const HttpResponse& response, SysTime now);
// X: x-rate-limit-limit/remaining and epoch-seconds x-rate-limit-reset (§4.8).
RateLimit parse_x_rate_limit(const HttpResponse& response);
// Discord: X-RateLimit-* with X-RateLimit-Reset-After (decimal seconds) preferred over the
// epoch X-RateLimit-Reset (§6.2).
RateLimit parse_discord_rate_limit(const HttpResponse& response, SysTime now);
// Telegram: no headers; a 429 body {"ok":false,...,"parameters":{"retry_after":N}} gives
// remaining 0 and reset now + N seconds, else a Retry-After header (§6.1, §9). Empty otherwise.
RateLimit parse_telegram_rate_limit(const HttpResponse& response, SysTime now);
// Discord's 429 body {"retry_after": 64.57, "global": false} (§6.2) as a delay, else the
// Retry-After header; nullopt when neither is readable.
std::optional<std::chrono::milliseconds> parse_discord_retry_after(const HttpResponse& response,
                                                                   SysTime now);
// LinkedIn: no rate-limit headers are documented and daily budgets reset at 00:00 UTC (§3.8):
// on a 429, remaining 0 and reset = Retry-After when one is sent, else the next midnight UTC;
// an empty RateLimit for other answers.
RateLimit parse_linkedin_rate_limit(const HttpResponse& response, SysTime now);
// Meta (Facebook, Instagram, Threads): X-App-Usage and X-Business-Use-Case-Usage, JSON
// percentages of the budget used (call_count, total_cputime, total_time); limit 100, remaining
// 100 minus the highest percentage; reset `now` + estimated_time_to_regain_access minutes when
// an entry says so (§5.0, §9). Empty when neither header is there or parses.
RateLimit parse_meta_rate_limit(const HttpResponse& response, SysTime now);
// Whichever of the families above the response carries (empty RateLimit when none); a
// Retry-After alone yields remaining 0 and the matching reset.
RateLimit parse_any_rate_limit(const HttpResponse& response, SysTime now);

struct RateDecision {
    enum class Action { proceed, wait, defer };
    Action action = Action::proceed;
    std::chrono::milliseconds wait{0};              // how long to wait when action == wait
    std::optional<std::chrono::sys_seconds> until;  // the reset, when known
};

// proceed when budget remains (or nothing is known) or the reset has passed; wait when the
// budget is spent and the reset is at most `max_wait` away; defer to a later run when the reset
// is further away or unknown.
RateDecision decide(const RateLimit& limit, SysTime now, std::chrono::milliseconds max_wait);

}  // namespace cmtool::net
