#include "cmtool/net/retry.hpp"

#include <algorithm>
#include <thread>

namespace cmtool::net {

using std::chrono::milliseconds;

Outcome classify(const Result<HttpResponse>& result) {
    if (!result) {
        return result.error().code == ErrorCode::network ? Outcome::transient : Outcome::permanent;
    }
    const long status = result->status;
    if (status < 400) {
        return Outcome::success;
    }
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
        return Outcome::transient;
    }
    return Outcome::permanent;
}

bool certainly_not_processed(const Result<HttpResponse>& result) {
    if (!result) {
        const auto failure = classify_transport_error(result.error());
        return failure && failure->delivery == Delivery::not_sent;
    }
    return result->status == 408 || result->status == 429;
}

namespace {

// The wait the server asked for: Retry-After on any response, or the rate-limit reset on a 429.
std::optional<milliseconds> server_delay(const HttpResponse& last, SysTime now) {
    if (auto delay = retry_after(last, now)) {
        return delay;
    }
    if (last.status == 429) {
        if (const auto limit = parse_any_rate_limit(last, now); limit.reset) {
            return std::max(milliseconds{0}, std::chrono::ceil<milliseconds>(*limit.reset - now));
        }
    }
    return std::nullopt;
}

// A result that may have acted on the server (outcome unknown, or a 5xx answer).
bool maybe_processed(const Result<HttpResponse>& result) {
    return classify(result) == Outcome::transient && !certainly_not_processed(result);
}

}  // namespace

std::optional<milliseconds> next_delay(const RetryPolicy& policy, int attempt,
                                       const HttpResponse* last, SysTime now,
                                       const Jitter& jitter) {
    if (attempt < 1 || attempt >= policy.max_attempts) {
        return std::nullopt;  // never wait after the last attempt
    }
    if (last != nullptr) {
        if (const auto asked = server_delay(*last, now)) {
            if (*asked > policy.max_delay) {
                return std::nullopt;
            }
            return *asked;
        }
    }
    milliseconds delay = policy.base_delay;
    for (int i = 1; i < attempt && delay < policy.max_delay; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, policy.max_delay);
    if (jitter) {
        const double r = std::clamp(jitter(), 0.0, 1.0);
        const auto half = static_cast<double>(delay.count()) / 2.0;
        delay = milliseconds{static_cast<milliseconds::rep>(half + half * r)};
    }
    return delay;
}

Result<void> ThreadSleeper::sleep_for(milliseconds duration) {
    std::this_thread::sleep_for(duration);
    return {};
}

Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request,
                                     const RetryPolicy& policy, Sleeper& sleeper,
                                     const Clock& clock, Retryable retryable,
                                     const Jitter& jitter) {
    std::optional<Result<HttpResponse>> maybe_delivered;
    for (int attempt = 1;; ++attempt) {
        Result<HttpResponse> result = transport.send(request);
        if (maybe_processed(result)) {
            maybe_delivered = result;
        }
        const bool retry_allowed = retryable == Retryable::yes || certainly_not_processed(result);
        std::optional<milliseconds> delay;
        if (classify(result) == Outcome::transient && retry_allowed) {
            delay = next_delay(policy, attempt, result ? &*result : nullptr, clock.now(), jitter);
        }
        if (!delay) {
            if (maybe_delivered && certainly_not_processed(result)) {
                return *std::move(maybe_delivered);
            }
            return result;
        }
        if (auto slept = sleeper.sleep_for(*delay); !slept) {
            return fail(std::move(slept).error());
        }
    }
}

}  // namespace cmtool::net
