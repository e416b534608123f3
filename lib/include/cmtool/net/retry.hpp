#pragma once
// Retry as data plus pure functions: classify an attempt, compute the next delay, and a loop
// that takes its clock and sleeper as parameters so tests check exact delays without sleeping.
#include <chrono>
#include <functional>
#include <optional>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::net {

struct RetryPolicy {
    int max_attempts = 3;                        // including the first
    std::chrono::milliseconds base_delay{500};   // backoff before attempt 2; doubles after
    std::chrono::milliseconds max_delay{30000};  // backoff cap and longest server-asked wait
};

// Whether the request may be repeated when its outcome is unknown: `yes` for reads and for
// writes the server de-duplicates (e.g. Mastodon's Idempotency-Key), `no` for other writes.
enum class Retryable { no, yes };

enum class Outcome { success, transient, permanent };

// success: a status below 400. transient: transport errors, 408, 429 and 5xx. permanent: other
// statuses and non-network errors (a malformed URL does not improve by waiting).
Outcome classify(const Result<HttpResponse>& result);

// True when the attempt certainly did not act on the server: a not_sent transport error, or a
// 408/429 answer. Only such attempts are repeated for Retryable::no.
bool certainly_not_processed(const Result<HttpResponse>& result);

// A random source returning values uniform in [0, 1); empty means no jitter.
using Jitter = std::function<double()>;

// The wait before attempt `attempt + 1`, after `attempt` attempts (1-based), or nullopt when no
// attempt is left or the server asks for longer than policy.max_delay (the caller should then
// defer). A Retry-After header, or on 429 a rate-limit reset, is honoured exactly; otherwise
// base_delay * 2^(attempt-1) capped at max_delay, scaled into [1/2, 1) of itself by `jitter`.
std::optional<std::chrono::milliseconds> next_delay(const RetryPolicy& policy, int attempt,
                                                    const HttpResponse* last, SysTime now,
                                                    const Jitter& jitter = {});

class Clock {
  public:
    virtual ~Clock() = default;
    virtual SysTime now() const = 0;
};

class Sleeper {
  public:
    virtual ~Sleeper() = default;
    // Waits `duration`; fails with ErrorCode::interrupted when the wait was cut short.
    virtual Result<void> sleep_for(std::chrono::milliseconds duration) = 0;
};

class SystemClock final : public Clock {
  public:
    SysTime now() const override { return std::chrono::system_clock::now(); }
};

class ThreadSleeper final : public Sleeper {
  public:
    Result<void> sleep_for(std::chrono::milliseconds duration) override;
};

// Sends `request` until it succeeds, fails permanently, runs out of attempts, or (for
// Retryable::no) fails in a way that may have reached the server. Returns the last result,
// except that when the last attempt certainly did not reach the server but an earlier one may
// have, that earlier result is returned so a possible delivery is never hidden. Fails with the
// sleeper's error when a wait is interrupted.
Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request,
                                     const RetryPolicy& policy, Sleeper& sleeper,
                                     const Clock& clock, Retryable retryable,
                                     const Jitter& jitter = {});

}  // namespace cmtool::net
