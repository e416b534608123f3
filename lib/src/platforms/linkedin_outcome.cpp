// LinkedIn outcomes: an HTTP answer or a transport failure as a PublishResult (publish) or an
// Error (verify, lookup), with the platform's message, a hint, and no secret (platforms.md
// §3.1, §3.8): 401 re-consent, 403 permissions, 422 refused, 426/400 sunset version, 429 until
// 00:00 UTC, 5xx or no answer at POST /rest/posts unknown.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "platforms/adapters.hpp"
#include "platforms/linkedin_adapter.hpp"

namespace cmtool::platforms::linkedin {

using net::HttpResponse;

namespace {

constexpr const char* k_maybe_exists = "the post may exist; cmtool looks it up before any retry";

}  // namespace

std::string LinkedInAdapter::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text), {m_tokens.current().value_or("")});
}

std::string LinkedInAdapter::permission_hint() const {
    return is_organization(m_author)
               ? "the token needs w_organization_social (and the member a page role such as "
                 "ADMINISTRATOR or CONTENT_ADMIN on " +
                     m_author + "): run `cmtool auth login " + m_ctx.account.name + "`"
               : "the token needs w_member_social: run `cmtool auth login " + m_ctx.account.name +
                     "`";
}

std::optional<std::chrono::sys_seconds> LinkedInAdapter::reset_after_429(
    const HttpResponse& r) const {
    return net::parse_linkedin_rate_limit(r, m_ctx.clock.now()).reset;
}

PublishResult LinkedInAdapter::result(Outcome outcome, const std::string& message,
                                      std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

PublishResult LinkedInAdapter::failure(const Result<HttpResponse>& response,
                                       const std::string& what, Step step) const {
    if (!response) {
        const Error& e = response.error();
        const auto v = transport_verdict(
            e, step == Step::post ? MayHavePublished::yes : MayHavePublished::no, k_maybe_exists);
        PublishResult r = result(v.outcome, what + ": " + e.message, v.hint);
        if (v.outcome == Outcome::rate_limited) {
            r.retry_at = m_blocked_until;
        }
        return r;
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    if (version_refused(res)) {
        return result(Outcome::permanent_failure, message, version_hint(m_ctx.account, m_version));
    }
    if (res.status == 429) {
        PublishResult r =
            result(Outcome::rate_limited, message, "LinkedIn's daily budgets reset at 00:00 UTC");
        r.retry_at = reset_after_429(res);
        return r;
    }
    if (res.status == 401) {
        return result(Outcome::permanent_failure, message, reconsent_hint(m_ctx.account));
    }
    if (res.status == 403) {
        return result(Outcome::permanent_failure, message, permission_hint());
    }
    if (res.status == 422) {
        const bool duplicate = res.body.find("DUPLICATE") != std::string::npos;
        return result(Outcome::permanent_failure, message,
                      duplicate ? "LinkedIn refuses the same commentary twice in a short time"
                                : std::string());
    }
    if (res.status >= 500 && step == Step::post) {
        return result(Outcome::unknown, message, k_maybe_exists);
    }
    if (res.status >= 500 || res.status == 408) {
        return result(Outcome::transient_failure, message);
    }
    return result(Outcome::permanent_failure, message);
}

Error LinkedInAdapter::as_error(const Result<HttpResponse>& response,
                                const std::string& what) const {
    if (!response) {
        const Error& e = response.error();
        return Error{e.code, redact(what + ": " + e.message), redact(e.hint)};
    }
    const HttpResponse& res = *response;
    const std::string message = redact(describe(what, res));
    if (version_refused(res)) {
        return Error{ErrorCode::config, message, version_hint(m_ctx.account, m_version)};
    }
    if (res.status == 401) {
        return Error{ErrorCode::auth, message, reconsent_hint(m_ctx.account)};
    }
    if (res.status == 403) {
        return Error{ErrorCode::auth, message, permission_hint()};
    }
    if (res.status == 429) {
        return Error{
            ErrorCode::rate_limited, message,
            fmt::format("LinkedIn's daily budgets reset at 00:00 UTC ({:%FT%TZ})",
                        reset_after_429(res).value_or(next_utc_midnight(m_ctx.clock.now())))};
    }
    if (res.status >= 500 || res.status == 408) {
        return Error{ErrorCode::network, message, {}};
    }
    return Error{ErrorCode::unavailable, message, {}};
}

}  // namespace cmtool::platforms::linkedin
