// OAuth 2 token sets (oauth.hpp): token answers, renewal timing, storage and renewal; the
// providers and the requests they take are in oauth_requests.cpp.
#include "cmtool/platforms/oauth.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::oauth {

namespace {

using nlohmann::json;
using std::chrono::seconds;
using std::chrono::sys_seconds;

std::optional<sys_seconds> epoch(const std::optional<std::string>& text) {
    if (!text || text->empty()) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const long long v = std::stoll(*text, &used);
        if (used != text->size()) {
            return std::nullopt;
        }
        return sys_seconds(seconds(v));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> epoch_text(const std::optional<sys_seconds>& t) {
    if (!t) {
        return std::nullopt;
    }
    return std::to_string(t->time_since_epoch().count());
}

// A JSON number or numeric string as seconds (Meta and X send numbers, some proxies strings).
std::optional<long long> seconds_field(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) {
        return std::nullopt;
    }
    if (it->is_number_integer()) {
        return it->get<long long>();
    }
    if (it->is_number_float()) {
        return static_cast<long long>(it->get<double>());
    }
    if (it->is_string()) {
        const auto v = epoch(it->get<std::string>());
        return v ? std::optional<long long>(v->time_since_epoch().count()) : std::nullopt;
    }
    return std::nullopt;
}

std::string login_hint(const calendar::Account& account) {
    return fmt::format("run `cmtool auth login {}` to authorize cmtool again", account.name);
}

std::string when(sys_seconds t) {
    return fmt::format("{:%Y-%m-%d %H:%M} UTC", t);
}

}  // namespace

Result<TokenSet> read_token_answer(const Result<net::HttpResponse>& answer, sys_seconds now) {
    if (!answer) {
        return fail(ErrorCode::network,
                    "the token endpoint could not be reached: " + answer.error().message);
    }
    const auto& r = *answer;
    json body = json::parse(r.body, nullptr, false);
    if (r.status == 200 && body.is_object()) {
        TokenSet t;
        t.access_token = util::json_string(body, "access_token");
        if (t.access_token.empty()) {
            return fail(ErrorCode::parse, "the token endpoint answered without an access_token");
        }
        const std::string refresh = util::json_string(body, "refresh_token");
        if (!refresh.empty()) {
            t.refresh_token = refresh;
        }
        t.issued_at = now;
        if (const auto in = seconds_field(body, "expires_in"); in && *in > 0) {
            t.expires_at = now + seconds(*in);
        }
        if (const auto in = seconds_field(body, "refresh_token_expires_in"); in && *in > 0) {
            t.refresh_expires_at = now + seconds(*in);
        }
        t.scope = util::json_string(body, "scope");
        return t;
    }
    if (r.status >= 500) {
        return fail(ErrorCode::network,
                    fmt::format("the token endpoint failed: HTTP {}", r.status));
    }
    // RFC 6749 §5.2 {"error": "invalid_grant", "error_description": ...} or Meta's
    // {"error": {"message", "code"}}.
    std::string message;
    std::optional<std::int64_t> meta_code;
    if (body.is_object()) {
        const auto e = body.find("error");
        if (e != body.end() && e->is_object()) {
            message = util::json_string(*e, "message");
            meta_code = util::json_int(*e, "code");
        } else if (e != body.end() && e->is_string()) {
            message = e->get<std::string>();
            const std::string description = util::json_string(body, "error_description");
            if (!description.empty()) {
                message += ": " + description;
            }
        }
    }
    if (message.empty()) {
        message = fmt::format("HTTP {}", r.status);
    }
    const bool throttled =
        r.status == 429 || (meta_code && (*meta_code == 4 || *meta_code == 17 || *meta_code == 32 ||
                                          *meta_code == 613));
    if (throttled) {
        return fail(ErrorCode::rate_limited, "the token endpoint is rate limited: " + message);
    }
    if (r.status == 400 || r.status == 401 || r.status == 403 || (meta_code && *meta_code == 190)) {
        return fail(ErrorCode::auth, "the authorization was refused: " + message);
    }
    return fail(
        ErrorCode::parse,
        fmt::format("unexpected answer from the token endpoint (HTTP {}): {}", r.status, message));
}

bool expired(const TokenSet& tokens, sys_seconds now) {
    return tokens.expires_at && now >= *tokens.expires_at;
}

bool due_for_renewal(const TokenSet& tokens, sys_seconds now, seconds min_age) {
    if (!tokens.expires_at) {
        return false;
    }
    if (tokens.issued_at && now - *tokens.issued_at < min_age && !expired(tokens, now)) {
        return false;
    }
    if (tokens.issued_at && *tokens.issued_at < *tokens.expires_at) {
        const auto life = *tokens.expires_at - *tokens.issued_at;
        return now >= *tokens.issued_at + life * 4 / 5;
    }
    return now >= *tokens.expires_at - std::chrono::minutes(5);
}

Result<std::optional<TokenSet>> load_tokens(CredentialStore& store,
                                            const calendar::Account& account) {
    auto access = store.get(account, k_kind_token);
    if (!access) {
        return fail(std::move(access).error());
    }
    if (!*access || (*access)->empty()) {
        return std::optional<TokenSet>();
    }
    TokenSet t;
    t.access_token = **access;
    if (store.from_environment(account, k_kind_token)) {
        return std::optional<TokenSet>(std::move(t));  // no expiry known, never renewed
    }
    for (const auto kind :
         {k_kind_refresh, k_kind_expires, k_kind_issued, k_kind_refresh_expires}) {
        auto v = store.get(account, kind);
        if (!v) {
            return fail(std::move(v).error());
        }
        if (kind == k_kind_refresh) {
            t.refresh_token = *v;
        } else if (kind == k_kind_expires) {
            t.expires_at = epoch(*v);
        } else if (kind == k_kind_issued) {
            t.issued_at = epoch(*v);
        } else {
            t.refresh_expires_at = epoch(*v);
        }
    }
    return std::optional<TokenSet>(std::move(t));
}

Result<void> save_tokens(CredentialStore& store, const calendar::Account& account,
                         const TokenSet& tokens) {
    const std::pair<std::string_view, std::optional<std::string>> parts[] = {
        {k_kind_refresh, tokens.refresh_token},
        {k_kind_expires, epoch_text(tokens.expires_at)},
        {k_kind_issued, epoch_text(tokens.issued_at)},
        {k_kind_refresh_expires, epoch_text(tokens.refresh_expires_at)},
        {k_kind_token, tokens.access_token},
    };
    for (const auto& [kind, value] : parts) {
        if (auto r = store.put(account, kind, value); !r) {
            return r;
        }
    }
    return {};
}

Result<TokenSet> renew(const AdapterContext& ctx, std::string_view stale) {
    const auto& account = ctx.account;
    const auto provider = provider_for(account);
    if (!provider) {
        return fail(ErrorCode::config, fmt::format("{} ({}) has no OAuth tokens to renew",
                                                   account.name, platform_name(account.platform)));
    }
    std::optional<store::FileLock> lock;
    if (const auto path = ctx.credentials.renewal_lock(); !path.empty()) {
        auto l = store::FileLock::acquire(path, std::chrono::seconds(30), "token renewal");
        if (!l) {
            return fail(std::move(l).error());
        }
        lock.emplace(std::move(*l));
    }
    const auto now = std::chrono::floor<seconds>(ctx.clock.now());
    auto stored = load_tokens(ctx.credentials, account);
    if (!stored) {
        return fail(std::move(stored).error());
    }
    if (!*stored) {
        return fail(ErrorCode::config, fmt::format("no access token for {}", account.name),
                    fmt::format("run `cmtool auth login {}`", account.name));
    }
    const TokenSet current = std::move(**stored);
    if (current.access_token != stale) {
        return current;  // renewed by another run while we waited for the lock
    }
    if (ctx.credentials.from_environment(account, k_kind_token)) {
        return fail(ErrorCode::auth,
                    fmt::format("the access token of {} comes from {} and cannot be renewed by "
                                "cmtool",
                                account.name, credential_env_name(account.name, k_kind_token)),
                    "set a fresh token in the variable, or unset it and run `cmtool auth login " +
                        account.name + "`");
    }
    auto secret = ctx.credentials.get(account, k_kind_client_secret);
    if (!secret) {
        return fail(std::move(secret).error());
    }
    const auto request = renewal_request(*provider, account.get("client_id"),
                                         secret->value_or(std::string()), current);
    if (!request) {
        return fail(ErrorCode::auth,
                    fmt::format("the access token of {} cannot be renewed ({})", account.name,
                                provider->renewal == Renewal::fb_exchange_token
                                    ? "the app secret is needed: set " +
                                          credential_env_name(account.name, k_kind_client_secret)
                                    : "the network issued no refresh token"),
                    login_hint(account));
    }
    auto answer = read_token_answer(ctx.http.send(*request), now);
    if (!answer) {
        Error e = std::move(answer).error();
        e.message = net::redact_text(
            fmt::format("renewing the access token of {}: {}", account.name, e.message),
            ctx.credentials.known_secrets());
        if (e.code == ErrorCode::auth) {
            e.hint = login_hint(account);
        }
        return fail(std::move(e));
    }
    TokenSet fresh = std::move(*answer);
    if (!fresh.refresh_token) {
        fresh.refresh_token = current.refresh_token;  // not rotated: the old one stays valid
        if (!fresh.refresh_expires_at) {
            fresh.refresh_expires_at = current.refresh_expires_at;
        }
    } else if (!fresh.refresh_expires_at && fresh.refresh_token == current.refresh_token) {
        fresh.refresh_expires_at = current.refresh_expires_at;  // LinkedIn: TTL not extended
    }
    if (auto saved = save_tokens(ctx.credentials, account, fresh); !saved) {
        return fail(std::move(saved).error());
    }
    (void)ctx.credentials.get(account, k_kind_token);  // handed out: redacted from now on
    return fresh;
}

Result<std::string> access_token(const AdapterContext& ctx) {
    const auto& account = ctx.account;
    auto stored = load_tokens(ctx.credentials, account);
    if (!stored) {
        return fail(std::move(stored).error());
    }
    if (!*stored) {
        return fail(ErrorCode::config, fmt::format("no access token for {}", account.name),
                    fmt::format("run `cmtool auth login {}`, or set {}", account.name,
                                credential_env_name(account.name, k_kind_token)));
    }
    TokenSet tokens = std::move(**stored);
    if (ctx.credentials.from_environment(account, k_kind_token)) {
        return tokens.access_token;
    }
    const auto now = std::chrono::floor<seconds>(ctx.clock.now());
    const auto provider = provider_for(account);
    const seconds min_age = provider ? provider->min_age_to_renew : seconds(0);
    if (!provider || !due_for_renewal(tokens, now, min_age)) {
        if (expired(tokens, now)) {
            return fail(ErrorCode::auth,
                        fmt::format("the access token of {} expired on {}", account.name,
                                    when(*tokens.expires_at)),
                        login_hint(account));
        }
        return tokens.access_token;
    }
    auto fresh = renew(ctx, tokens.access_token);
    if (fresh) {
        return fresh->access_token;
    }
    if (!expired(tokens, now)) {
        return tokens.access_token;  // still valid: the next run renews it
    }
    Error e = std::move(fresh).error();
    e.message = fmt::format("the access token of {} expired on {} and could not be renewed: {}",
                            account.name, when(*tokens.expires_at), e.message);
    if (e.hint.empty()) {
        e.hint = login_hint(account);
    }
    return fail(std::move(e));
}

}  // namespace cmtool::platforms::oauth
