// Mastodon outcomes: how an HTTP answer or a transport failure becomes a PublishResult (publish)
// or an Error (verify, lookup), with the platform's message, a hint, and no secret in either
// (platforms.md §1.2, §1.8).
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/mastodon_adapter.hpp"

namespace cmtool::platforms::mastodon {

using net::HttpResponse;
using nlohmann::json;

std::string MastodonAdapter::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text), {m_token.value_or("")});
}

std::string MastodonAdapter::token_hint() const {
    return "check the access token (scopes write:statuses, write:media, read:accounts, "
           "read:statuses) in " +
           credential_env_name(m_ctx.account.name, "token") + " or run `cmtool auth login " +
           m_ctx.account.name + "`";
}

PublishResult MastodonAdapter::result(Outcome outcome, const std::string& message,
                                      std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

std::string MastodonAdapter::describe(const std::string& what, const HttpResponse& response) const {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    const json j = json::parse(response.body, nullptr, false);
    if (const std::string error = util::json_string(j, "error"); !error.empty()) {
        text += ": " + error;
    }
    if (const std::string more = util::json_string(j, "error_description"); !more.empty()) {
        text += " (" + more + ")";
    }
    return redact(text);
}

PublishResult MastodonAdapter::failure(const Result<HttpResponse>& response,
                                       const std::string& what, Step step) const {
    if (!response) {
        const Error& e = response.error();
        const auto v = transport_verdict(
            e, step == Step::status ? MayHavePublished::yes : MayHavePublished::no,
            "the status may exist; cmtool looks it up before any retry");
        PublishResult r = result(v.outcome, what + ": " + e.message, v.hint);
        if (v.outcome == Outcome::rate_limited) {
            r.retry_at = m_rate.reset;
        }
        return r;
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    if (res.status == 429) {
        PublishResult r = result(Outcome::rate_limited, message);
        r.retry_at = net::parse_mastodon_rate_limit(res).reset;
        if (!r.retry_at) {
            if (const auto delay = net::retry_after(res, m_ctx.clock.now())) {
                r.retry_at = std::chrono::ceil<std::chrono::seconds>(m_ctx.clock.now() + *delay);
            }
        }
        return r;
    }
    if (res.status == 401 || res.status == 403) {
        return result(Outcome::permanent_failure, message, token_hint());
    }
    if (res.status >= 500 && step == Step::status) {
        // Retried already; the server may have created the status before failing.
        return result(Outcome::unknown, message,
                      "the status may exist; cmtool looks it up before any retry");
    }
    if (res.status >= 500 || res.status == 408) {
        return result(Outcome::transient_failure, message);
    }
    return result(Outcome::permanent_failure, message);
}

Error MastodonAdapter::as_error(const Result<HttpResponse>& response,
                                const std::string& what) const {
    if (!response) {
        const Error& e = response.error();
        return Error{e.code, redact(what + ": " + e.message), redact(e.hint)};
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    if (res.status == 401 || res.status == 403) {
        return Error{ErrorCode::auth, message, token_hint()};
    }
    if (res.status == 429) {
        return Error{ErrorCode::rate_limited, message, "try again after the reset"};
    }
    if (res.status >= 500 || res.status == 408) {
        return Error{ErrorCode::network, message, {}};
    }
    return Error{ErrorCode::unavailable, message, {}};
}

}  // namespace cmtool::platforms::mastodon
