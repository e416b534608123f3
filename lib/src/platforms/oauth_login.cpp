// `auth login` for OAuth 2 networks (oauth_login.hpp): plan, redirect, exchange, verify, save.
#include "cmtool/platforms/oauth_login.hpp"

#include <charconv>
#include <map>

#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "platforms/candidate_credentials.hpp"

namespace cmtool::platforms::oauth {

namespace {

std::string registration_hint(const calendar::Account& account) {
    switch (account.platform) {
        case Platform::x:
            return "in the X developer portal: your app > User authentication settings";
        case Platform::linkedin:
            return "in the LinkedIn developer portal: your app > Auth > Authorized redirect URLs";
        case Platform::threads:
            return "in the Meta app dashboard: Threads API > Settings > Redirect callback URLs";
        default:
            return "in the Meta app dashboard: Facebook Login > Settings > Valid OAuth Redirect "
                   "URIs";
    }
}

}  // namespace

Result<int> redirect_port(const calendar::Account& account, std::optional<int> flag) {
    if (flag) {
        return *flag;
    }
    const std::string text = account.get("redirect_port");
    if (text.empty()) {
        return k_default_redirect_port;
    }
    int port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port <= 0 || port > 65535) {
        return fail(ErrorCode::config,
                    fmt::format("{}: redirect_port must be a port number (1-65535), not `{}`",
                                account.name, text));
    }
    return port;
}

Result<LoginPlan> plan_login(const calendar::Account& account, int port) {
    auto provider = provider_for(account);
    if (!provider) {
        return fail(ErrorCode::unavailable,
                    fmt::format("{} ({}) does not log in with OAuth 2", account.name,
                                platform_name(account.platform)));
    }
    LoginPlan plan;
    plan.provider = std::move(*provider);
    plan.client_id = account.get("client_id");
    if (plan.client_id.empty()) {
        return fail(
            ErrorCode::config,
            fmt::format("{} has no `client_id`: cmtool logs in through your own app", account.name),
            fmt::format("create an app {}, register the redirect URI "
                        "http://127.0.0.1:{}{}, and add `client_id: <its client id>` to "
                        "the account in cmtool.yaml",
                        registration_hint(account), port, k_callback_path));
    }
    plan.redirect_uri = fmt::format("http://127.0.0.1:{}{}", port, k_callback_path);
    plan.state = random_state();
    if (plan.provider.pkce) {
        plan.pkce = make_pkce();
    }
    plan.url =
        authorize_url(plan.provider, plan.client_id, plan.redirect_uri, plan.state, plan.pkce);
    return plan;
}

Result<std::string> code_from_redirect(const LoopbackListener::Query& query,
                                       const LoginPlan& plan) {
    const auto get = [&](const char* key) {
        const auto it = query.find(key);
        return it == query.end() ? std::string() : it->second;
    };
    const std::string error = get("error");
    if (get("state") != plan.state) {
        // Checked first: an error page of another login is not ours to report either.
        return fail(ErrorCode::auth,
                    "the redirect does not belong to this login (its `state` does not match): "
                    "refused",
                    "open the address this run printed (an older login's address, or a forged "
                    "redirect, cannot complete it)");
    }
    if (error == "access_denied") {
        return fail(ErrorCode::auth, "the authorization was declined in the browser",
                    "log in again and choose to authorize the app");
    }
    if (!error.empty()) {
        const std::string description = get("error_description");
        return fail(ErrorCode::auth,
                    "the network refused the authorization: " + error +
                        (description.empty() ? std::string() : " (" + description + ")"),
                    "check the app's client id, redirect URI and permissions");
    }
    std::string code = get("code");
    if (code.empty()) {
        return fail(ErrorCode::usage, "the redirect carries no authorization code");
    }
    return code;
}

Result<std::string> code_from_pasted(const std::string& pasted, const LoginPlan& plan) {
    const auto query = parse_query(pasted);
    if (query.empty()) {
        if (pasted.find_first_of(" /?&=") != std::string::npos || pasted.empty()) {
            return fail(ErrorCode::usage, "that is neither the redirected address nor a code",
                        "paste the whole address the browser ended on (it starts with " +
                            plan.redirect_uri + ")");
        }
        return pasted;  // the bare code: no state to check
    }
    return code_from_redirect(query, plan);
}

Result<OAuthLoginResult> complete_login(AuthContext& ctx, const calendar::Account& account,
                                        const LoginPlan& plan, const std::string& code,
                                        const std::string& client_secret, SaveSecret secret) {
    std::vector<std::string> secrets{code, client_secret};
    const auto now = std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
    const auto request =
        code_request(plan.provider, plan.client_id, client_secret, code, plan.redirect_uri,
                     plan.pkce ? plan.pkce->verifier : std::string());
    auto exchanged = read_token_answer(ctx.http.send(request), now);
    if (!exchanged) {
        Error e = net::redact_error(std::move(exchanged).error(), secrets);
        if (e.code == ErrorCode::auth) {
            e.hint =
                "a code works once and for a few minutes; check the client id and secret "
                "and that the app's redirect URI is exactly " +
                plan.redirect_uri;
        }
        return fail(std::move(e));
    }
    secrets.push_back(exchanged->access_token);
    if (exchanged->refresh_token) {
        secrets.push_back(*exchanged->refresh_token);
    }
    // The new set alone, with the client secret for finish_login's exchanges.
    std::map<std::string, std::string> values;
    if (!client_secret.empty()) {
        values[std::string(k_kind_client_secret)] = client_secret;
    }
    CandidateCredentials candidate(values);
    if (auto put = save_tokens(candidate, account, *exchanged); !put) {
        return fail(net::redact_error(std::move(put).error(), secrets));
    }
    const AdapterContext actx{ctx.ws, account, ctx.http, candidate, ctx.clock, ctx.sleeper};
    auto finished = finish_login(actx, std::move(*exchanged));
    if (!finished) {
        return fail(net::redact_error(std::move(finished).error(), secrets));
    }
    const TokenSet tokens = std::move(*finished);
    secrets.push_back(tokens.access_token);
    if (auto put = save_tokens(candidate, account, tokens); !put) {
        return fail(net::redact_error(std::move(put).error(), secrets));
    }
    auto adapter = make_adapter(actx);
    if (!adapter) {
        return fail(net::redact_error(std::move(adapter).error(), secrets));
    }
    auto who = (*adapter)->verify();
    if (!who) {
        Error e = net::redact_error(std::move(who).error(), secrets);
        e.message = "the new token was refused: " + e.message;
        return fail(std::move(e));
    }
    if (auto put = save_tokens(ctx.file_credentials, account, tokens); !put) {
        return fail(net::redact_error(std::move(put).error(), secrets));
    }
    OAuthLoginResult out;
    out.saved = {std::string(k_kind_token)};
    if (tokens.refresh_token) {
        out.saved.emplace_back(k_kind_refresh);
    }
    if (secret == SaveSecret::yes && !client_secret.empty()) {
        if (auto put = ctx.file_credentials.put(account, k_kind_client_secret, client_secret);
            !put) {
            return fail(net::redact_error(std::move(put).error(), secrets));
        }
        out.saved.emplace_back(k_kind_client_secret);
    }
    out.who = std::move(*who);
    out.expires_at = tokens.expires_at;
    out.refresh_token = tokens.refresh_token.has_value();
    out.refresh_expires_at = tokens.refresh_expires_at;
    return out;
}

}  // namespace cmtool::platforms::oauth
