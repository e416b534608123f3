// X outcomes (platforms.md §4.8): how an answer or a transport failure becomes a PublishResult
// (publish) or an Error (verify, lookup), with X's problem details, a hint, and no secret.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/x_adapter.hpp"

namespace cmtool::platforms::x {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr const char* k_maybe_exists = "the post may exist; cmtool looks it up before any retry";

}  // namespace

std::string problem_text(const json& body) {
    if (!body.is_object()) {
        return {};
    }
    std::string text = util::json_string(body, "title");
    const std::string detail = util::json_string(body, "detail");
    if (!detail.empty() && detail != text) {
        text += text.empty() ? detail : ": " + detail;
    }
    // OAuth-style errors from the token endpoint, and the v1.1 {"errors":[{"message"}]} shape.
    if (text.empty()) {
        text = util::json_string(body, "error");
    }
    if (text.empty() && body.contains("errors") && body["errors"].is_array() &&
        !body["errors"].empty()) {
        const json& e = body["errors"].front();
        text = util::json_string(e, "detail");
        if (text.empty()) {
            text = util::json_string(e, "message");
        }
    }
    return text;
}

bool is_duplicate_refusal(const json& body) {
    // "You are not allowed to create a Tweet with duplicate content." [U: §11.2]: matched on
    // the word, so a reworded "duplicate post" still counts.
    const std::string detail = problem_text(body);
    return detail.find("duplicate") != std::string::npos;
}

std::string XAdapter::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text), {m_token.value_or("")});
}

std::string XAdapter::token_hint() const {
    return "the token may have expired or been revoked (scopes tweet.read tweet.write "
           "users.read media.write offline.access): run `cmtool auth login " +
           m_ctx.account.name + "`, or set " + credential_env_name(m_ctx.account.name, "token");
}

PublishResult XAdapter::result(Outcome outcome, const std::string& message,
                               std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

std::string XAdapter::describe(const std::string& what, const HttpResponse& response) const {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    const std::string problem = problem_text(json::parse(response.body, nullptr, false));
    if (!problem.empty()) {
        text += ": " + problem;
    }
    return redact(text);
}

// When the budget of the answered endpoint comes back: x-rate-limit-reset, or the 24-hour
// user cap's reset when that one is spent ([C] §4.8).
std::optional<std::chrono::sys_seconds> XAdapter::reset_of(const HttpResponse& response) const {
    std::optional<std::chrono::sys_seconds> reset = net::parse_x_rate_limit(response).reset;
    const auto day_left = response.header("x-user-limit-24hour-remaining");
    const auto day_reset = response.header("x-user-limit-24hour-reset");
    if (day_left && day_reset && day_left->find_first_not_of('0') == std::string::npos) {
        try {
            const std::chrono::sys_seconds t{std::chrono::seconds(std::stoll(*day_reset))};
            if (!reset || t > *reset) {
                reset = t;
            }
        } catch (const std::exception&) {
            // a malformed header is ignored: the 15-minute reset stands
        }
    }
    if (!reset) {
        if (const auto delay = net::retry_after(response, m_ctx.clock.now())) {
            reset = std::chrono::ceil<std::chrono::seconds>(m_ctx.clock.now() + *delay);
        }
    }
    return reset;
}

PublishResult XAdapter::failure(const Result<HttpResponse>& response, const std::string& what,
                                Step step) const {
    if (!response) {
        const Error& e = response.error();
        const auto v = transport_verdict(
            e, step == Step::post ? MayHavePublished::yes : MayHavePublished::no, k_maybe_exists);
        PublishResult r = result(v.outcome, what + ": " + e.message, v.hint);
        if (v.outcome == Outcome::rate_limited) {
            for (const auto& [path, rate] : m_rates) {  // the latest reset of a spent bucket
                if (rate.remaining && *rate.remaining <= 0 && rate.reset &&
                    (!r.retry_at || *rate.reset > *r.retry_at)) {
                    r.retry_at = rate.reset;
                }
            }
        }
        return r;
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    if (res.status == 429) {
        // Rate limit or usage cap (§4.8): certainly not processed; retry after the reset.
        PublishResult r = result(Outcome::rate_limited, message, "cmtool retries after the reset");
        r.retry_at = reset_of(res);
        return r;
    }
    if (res.status == 401) {
        return result(Outcome::permanent_failure, message, token_hint());
    }
    if (res.status == 403) {
        return result(Outcome::permanent_failure, message,
                      "X refused it: check the app's permissions (Read and write) and the "
                      "token's scopes, or the post's content");
    }
    if (res.status >= 500 && step == Step::post) {
        return result(Outcome::unknown, message, k_maybe_exists);
    }
    if (res.status >= 500 || res.status == 408) {
        return result(Outcome::transient_failure, message);
    }
    return result(Outcome::permanent_failure, message);
}

Error XAdapter::as_error(const Result<HttpResponse>& response, const std::string& what) const {
    if (!response) {
        const Error& e = response.error();
        return Error{e.code, redact(what + ": " + e.message), redact(e.hint)};
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    if (res.status == 401) {
        return Error{ErrorCode::auth, message, token_hint()};
    }
    if (res.status == 403) {
        return Error{ErrorCode::auth, message,
                     "the app or the token lacks access to this endpoint (plan or scopes)"};
    }
    if (res.status == 429) {
        const auto reset = reset_of(res);
        return Error{ErrorCode::rate_limited, message,
                     reset ? fmt::format("the budget comes back at {:%FT%TZ}", *reset)
                           : std::string("try again later")};
    }
    if (res.status >= 500 || res.status == 408) {
        return Error{ErrorCode::network, message, {}};
    }
    return Error{ErrorCode::unavailable, message, {}};
}

}  // namespace cmtool::platforms::x
