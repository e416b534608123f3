// `auth login`: a new secret is tried through the account's own adapter, on a credential store
// that holds only that secret (never the environment's nor an older cached session, which would
// make a wrong secret look accepted), and saved to the file only once the platform accepted it.
// Also Mastodon's OAuth out-of-band flow.
#include <fmt/format.h>

#include <map>

#include "cmtool/net/redact.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/auth.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/candidate_credentials.hpp"

namespace cmtool::platforms {

namespace {

using nlohmann::json;

// A POST of form fields to the instance; sent once more only when it certainly did not arrive.
Result<json> post_form(AuthContext& ctx, const std::string& url, const net::FieldList& fields,
                       const std::vector<std::string>& secrets) {
    net::HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.headers.emplace_back("Accept", "application/json");
    net::set_form_body(req, fields);
    const std::string what = "POST " + net::redact_url(url);
    auto r = net::send_with_retry(ctx.http, req, net::RetryPolicy{}, ctx.sleeper, ctx.clock,
                                  net::Retryable::no);
    if (!r) {
        return fail(net::redact_error(std::move(r).error(), secrets));
    }
    const json body = json::parse(r->body, nullptr, false);
    if (r->status == 200) {
        return body;
    }
    // OAuth errors: {"error": "invalid_grant", "error_description": "..."} (§1.1).
    std::string why = fmt::format("HTTP {}", r->status);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
        why += ": " + body["error"].get<std::string>();
        if (body.contains("error_description") && body["error_description"].is_string()) {
            why += ": " + body["error_description"].get<std::string>();
        }
    }
    const ErrorCode code = r->status == 400 || r->status == 401 || r->status == 403
                               ? ErrorCode::auth
                           : r->status == 429 ? ErrorCode::rate_limited
                           : r->status >= 500 ? ErrorCode::network
                                              : ErrorCode::unavailable;
    return fail(net::redact_error(Error{code, what + ": " + why, {}}, secrets));
}

}  // namespace

Result<LoginResult> login(AuthContext& ctx, const calendar::Account& account,
                          const std::string& secret) {
    const std::string_view kind = login_secret_kind(account.platform);
    if (kind.empty()) {
        return fail(ErrorCode::unavailable,
                    fmt::format("cmtool cannot log in to {} accounts yet ({})",
                                platform_name(account.platform), account.name),
                    "docs/platforms.md lists what each network supports");
    }
    if (secret.empty()) {
        return fail(ErrorCode::usage, "no secret given for " + account.name);
    }
    CandidateCredentials candidate(std::map<std::string, std::string>{{std::string(kind), secret}});
    auto adapter =
        make_adapter(AdapterContext{ctx.ws, account, ctx.http, candidate, ctx.clock, ctx.sleeper});
    if (!adapter) {
        return fail(net::redact_error(std::move(adapter).error(), candidate.known_secrets()));
    }
    auto who = (*adapter)->verify();
    if (!who) {
        Error e = net::redact_error(std::move(who).error(), candidate.known_secrets());
        if (e.code == ErrorCode::auth) {
            e.message = fmt::format("the {} for {} was refused: {}",
                                    kind == "token"         ? "token"
                                    : kind == "webhook_url" ? "webhook URL"
                                                            : "app password",
                                    account.name, e.message);
            if (account.platform == Platform::bluesky) {
                e.hint = "check the app password and the account's `handle` (" +
                         account.get("handle") + ")";
            } else if (account.platform == Platform::mastodon) {
                e.hint = "check the token: it needs the scopes " + std::string(k_mastodon_scopes) +
                         " (or use --oauth)";
            }  // Telegram, Discord: the adapter's own hint (bot token, webhook URL) stays
        }
        return fail(std::move(e));
    }
    LoginResult out;
    out.who = std::move(*who);
    // The secret first, then the session it opened; an older session is removed.
    std::vector<std::string> kinds{std::string(kind)};
    if (account.platform == Platform::bluesky) {
        kinds.insert(kinds.end(), {"access_jwt", "refresh_jwt"});
    }
    for (const std::string& k : kinds) {
        const auto value = candidate.peek(k);
        if (auto put = ctx.file_credentials.put(account, k, value); !put) {
            return fail(net::redact_error(std::move(put).error(), candidate.known_secrets()));
        }
        if (value) {
            out.saved.push_back(k);
        }
    }
    return out;
}

Result<OAuthApp> mastodon_register_app(AuthContext& ctx, const calendar::Account& account) {
    OAuthApp app;
    app.base = api_base(account);
    if (account.platform != Platform::mastodon || app.base.empty()) {
        return fail(ErrorCode::config, account.name + " is not a Mastodon account with an instance",
                    "OAuth (--oauth) is for Mastodon accounts with `instance:` set");
    }
    auto r = post_form(ctx, app.base + "/api/v1/apps",
                       {{"client_name", "cmtool"},
                        {"redirect_uris", k_oob_redirect_uri},
                        {"scopes", k_mastodon_scopes}},
                       {});
    if (!r) {
        return fail(std::move(r).error());
    }
    app.client_id = util::json_string(*r, "client_id");
    app.client_secret = util::json_string(*r, "client_secret");
    if (app.client_id.empty() || app.client_secret.empty()) {
        return fail(ErrorCode::parse, "POST " + app.base +
                                          "/api/v1/apps: malformed answer (no client_id or "
                                          "client_secret)");
    }
    app.authorize_url =
        net::append_query(app.base + "/oauth/authorize", {{"client_id", app.client_id},
                                                          {"scope", k_mastodon_scopes},
                                                          {"redirect_uri", k_oob_redirect_uri},
                                                          {"response_type", "code"}});
    return app;
}

Result<std::string> mastodon_exchange_code(AuthContext& ctx, const OAuthApp& app,
                                           const std::string& code) {
    if (code.empty()) {
        return fail(ErrorCode::usage, "no authorization code given");
    }
    const std::vector<std::string> secrets{app.client_secret, code};
    auto r = post_form(ctx, app.base + "/oauth/token",
                       {{"grant_type", "authorization_code"},
                        {"code", code},
                        {"client_id", app.client_id},
                        {"client_secret", app.client_secret},
                        {"redirect_uri", k_oob_redirect_uri},
                        {"scope", k_mastodon_scopes}},
                       secrets);
    if (!r) {
        Error e = std::move(r).error();
        if (e.code == ErrorCode::auth) {
            e.hint = "a code works once and only for a few minutes: log in again for a new one";
        }
        return fail(std::move(e));
    }
    std::string token = util::json_string(*r, "access_token");
    if (token.empty()) {
        return fail(ErrorCode::parse, "POST " + app.base + "/oauth/token: no access_token");
    }
    return token;
}

}  // namespace cmtool::platforms
