// Credential status and logout: where each account's secret comes from (environment variable or
// credentials file), whether the platform accepts it, and when a cached Bluesky session expires.
#include "cmtool/platforms/auth.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "platforms/bluesky_session.hpp"

namespace cmtool::platforms {

namespace {

// Every kind `auth logout` removes: what login and the adapters write.
constexpr std::string_view k_all_kinds[] = {"token",         "app_password",  "access_jwt",
                                            "refresh_jwt",   "client_secret", "refresh_token",
                                            "token_expires", "token_issued",  "refresh_expires"};

std::string redact(const AuthContext& ctx, std::string text) {
    std::vector<std::string> secrets = ctx.credentials.known_secrets();
    const auto file = ctx.file_credentials.known_secrets();
    secrets.insert(secrets.end(), file.begin(), file.end());
    return net::redact_text(std::move(text), secrets);
}

std::string login_hint(const AccountAuth& a) {
    return "set " + a.env_var + " or run `cmtool auth login " + a.account + "`";
}

// The `exp` claim of a cached JWT of `kind`, when there is one that decodes.
std::optional<std::chrono::sys_seconds> jwt_expiry(AuthContext& ctx,
                                                   const calendar::Account& account,
                                                   std::string_view kind) {
    const auto token = ctx.credentials.get(account, kind);
    if (!token || !*token) {
        return std::nullopt;
    }
    const auto claims = bluesky::jwt_claims(**token);
    if (!claims || !claims->contains("exp") || !(*claims)["exp"].is_number_integer()) {
        return std::nullopt;
    }
    return std::chrono::sys_seconds(std::chrono::seconds((*claims)["exp"].get<long long>()));
}

void set_problem(AuthContext& ctx, AccountAuth& a, const Error& e) {
    switch (e.code) {
        case ErrorCode::auth:
            a.state = AuthState::invalid;
            break;
        case ErrorCode::config:
        case ErrorCode::io:
        case ErrorCode::usage:
            a.state = AuthState::error;
            break;
        default:
            a.state = AuthState::unreachable;
            break;
    }
    a.message = redact(ctx, e.message);
    a.hint = redact(ctx, e.hint);
    if (a.hint.empty() && a.state == AuthState::invalid) {
        a.hint = login_hint(a);
    }
}

// Where the secret comes from; false (with state error) when the file cannot be read.
bool find_source(AuthContext& ctx, const calendar::Account& account, std::string_view kind,
                 AccountAuth& a) {
    if (const auto e = ctx.env.find(a.env_var); e != ctx.env.end() && !e->second.empty()) {
        a.source = CredentialSource::environment;
        return true;
    }
    auto secret = ctx.file_credentials.get(account, kind);
    if (secret && !*secret && account.platform == Platform::bluesky) {
        // A cached session alone still publishes until its refresh token expires.
        secret = ctx.file_credentials.get(account, "refresh_jwt");
        a.session_only = secret && *secret;
    }
    if (!secret) {
        set_problem(ctx, a, secret.error());
        return false;
    }
    a.source = *secret ? CredentialSource::file : CredentialSource::missing;
    return true;
}

// An OAuth account's token expiry, refresh token and renewability (oauth.hpp); a token that
// has ended for good makes the state invalid.
void read_token_life(AuthContext& ctx, const calendar::Account& account, AccountAuth& a) {
    auto tokens = oauth::load_tokens(ctx.credentials, account);
    if (!tokens || !*tokens || ctx.credentials.from_environment(account, oauth::k_kind_token)) {
        return;  // an environment token: no expiry known, never renewed by cmtool
    }
    const oauth::TokenSet& t = **tokens;
    a.token_expires = t.expires_at;
    a.refresh_expires = t.refresh_expires_at;
    const auto provider = oauth::provider_for(account);
    switch (provider->renewal) {
        case oauth::Renewal::none:
            a.renewable = false;
            break;
        case oauth::Renewal::refresh_token:
            a.renewable = t.refresh_token && !t.refresh_token->empty();
            break;
        case oauth::Renewal::fb_exchange_token: {
            const auto secret = ctx.credentials.get(account, oauth::k_kind_client_secret);
            a.renewable = secret && *secret && !(*secret)->empty();
            break;
        }
        case oauth::Renewal::th_refresh_token:
            a.renewable = true;
            break;
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
    if (a.state != AuthState::ok && a.state != AuthState::unverified) {
        return;
    }
    const ExpiryNote note = expiry_note(a, now, 0);
    if (note.level == ExpiryLevel::error) {
        a.state = AuthState::invalid;
        a.message = note.message;
        a.hint = note.hint;
    }
}

std::string day_text(std::chrono::sys_seconds t) {
    return fmt::format("{:%Y-%m-%d %H:%M} UTC", t);
}

std::string in_days(std::chrono::sys_seconds t, std::chrono::sys_seconds now) {
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(t - now).count();
    if (hours < 48) {
        return fmt::format("in {} hour{}", hours, hours == 1 ? "" : "s");
    }
    return fmt::format("in {} days", hours / 24);
}

}  // namespace

ExpiryNote expiry_note(const AccountAuth& a, std::chrono::sys_seconds now, int warn_days) {
    ExpiryNote n;
    const auto horizon = now + std::chrono::hours(24) * std::max(warn_days, 0);
    const std::string relogin = "run `cmtool auth login " + a.account + "` to authorize again";
    if (a.refresh_expires && *a.refresh_expires <= now) {
        return {ExpiryLevel::error, "the refresh token expired on " + day_text(*a.refresh_expires),
                relogin};
    }
    if (a.token_expires && *a.token_expires <= now && !a.renewable) {
        return {
            ExpiryLevel::error,
            "the access token expired on " + day_text(*a.token_expires) + " and cannot be renewed",
            relogin};
    }
    if (a.refresh_expires && *a.refresh_expires <= horizon) {
        n = {ExpiryLevel::warning,
             fmt::format("the refresh token expires on {} ({})", day_text(*a.refresh_expires),
                         in_days(*a.refresh_expires, now)),
             relogin + " before then"};
    } else if (a.token_expires && *a.token_expires <= horizon && !a.renewable) {
        n = {ExpiryLevel::warning,
             fmt::format("the access token expires on {} ({}) and cannot be renewed",
                         day_text(*a.token_expires), in_days(*a.token_expires, now)),
             relogin + " before then"};
    }
    return n;
}

std::string_view login_secret_kind(Platform p) {
    switch (p) {
        case Platform::mastodon:
            return "token";
        case Platform::bluesky:
            return "app_password";
        case Platform::telegram:
            return "token";  // the bot token from @BotFather
        case Platform::discord:
            return "webhook_url";  // the webhook URL is the secret
        case Platform::x:  // OAuth 2 user tokens (oauth.hpp): `auth login` runs the browser flow
        case Platform::linkedin:
        case Platform::facebook:
        case Platform::instagram:
        case Platform::threads:
            return "token";
        default:
            return {};
    }
}

std::string_view auth_state_name(AuthState s) {
    switch (s) {
        case AuthState::ok:
            return "ok";
        case AuthState::unverified:
            return "unverified";
        case AuthState::missing:
            return "missing";
        case AuthState::invalid:
            return "invalid";
        case AuthState::unreachable:
            return "unreachable";
        case AuthState::unsupported:
            return "unsupported";
        case AuthState::error:
            return "error";
    }
    return "error";
}

std::string_view credential_source_name(CredentialSource s) {
    switch (s) {
        case CredentialSource::environment:
            return "env";
        case CredentialSource::file:
            return "file";
        case CredentialSource::missing:
            return "missing";
    }
    return "missing";
}

std::string display_handle(const AccountInfo& who) {
    return who.handle.empty() || who.handle.front() == '@' ? who.handle : "@" + who.handle;
}

AccountAuth account_auth(AuthContext& ctx, const calendar::Account& account, Network network) {
    AccountAuth a;
    a.account = account.name;
    a.platform = account.platform;
    const std::string_view kind = login_secret_kind(account.platform);
    if (kind.empty()) {
        a.state = AuthState::unsupported;
        a.message = account.platform == Platform::manual
                        ? "published by hand: no credentials needed"
                        : "not supported yet";
        return a;
    }
    a.env_var = credential_env_name(account.name, kind);
    if (!find_source(ctx, account, kind, a)) {
        return a;
    }
    if (a.source == CredentialSource::missing) {
        a.state = AuthState::missing;
        a.message = "no credentials";
        a.hint = login_hint(a);
        return a;
    }
    a.state = AuthState::unverified;
    if (network == Network::online) {
        auto adapter = make_adapter(
            AdapterContext{ctx.ws, account, ctx.http, ctx.credentials, ctx.clock, ctx.sleeper});
        auto who = adapter ? (*adapter)->verify() : Result<AccountInfo>(fail(adapter.error()));
        if (!adapter && adapter.error().code == ErrorCode::unavailable) {
            a.state = AuthState::unsupported;  // a network whose adapter is not built yet
            a.message = redact(ctx, adapter.error().message);
            return a;
        }
        if (who) {
            a.state = AuthState::ok;
            a.who = std::move(*who);
        } else {
            set_problem(ctx, a, who.error());
        }
    }
    if (account.platform == Platform::bluesky) {
        // Read after verify(), which may have renewed the session.
        a.token_expires = jwt_expiry(ctx, account, "access_jwt");
        a.session_expires = jwt_expiry(ctx, account, "refresh_jwt");
        // The access JWT is renewed by refreshSession, else a new session from the app
        // password; without one (a cached session only) the refresh JWT's end is the end.
        a.renewable = true;
        if (a.session_only) {
            a.refresh_expires = a.session_expires;
        }
    }
    if (oauth::provider_for(account)) {
        read_token_life(ctx, account, a);  // after verify(), which may have renewed it
    }
    return a;
}

std::vector<AccountAuth> auth_status(AuthContext& ctx, Network network) {
    std::vector<AccountAuth> out;
    for (const calendar::Account& account : ctx.ws.accounts) {
        out.push_back(account_auth(ctx, account, network));
    }
    return out;
}

Result<std::vector<std::string>> logout(AuthContext& ctx, const calendar::Account& account) {
    std::vector<std::string> removed;
    for (const std::string_view kind : k_all_kinds) {
        auto secret = ctx.file_credentials.get(account, kind);
        if (!secret) {
            return fail(std::move(secret).error());
        }
        if (!*secret) {
            continue;
        }
        if (auto put = ctx.file_credentials.put(account, kind, std::nullopt); !put) {
            return fail(std::move(put).error());
        }
        removed.emplace_back(kind);
    }
    return removed;
}

}  // namespace cmtool::platforms
