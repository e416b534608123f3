// OAuth 2 token sets (oauth.hpp): providers, token answers, PKCE, storage and renewal.
#include "cmtool/platforms/oauth.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <random>

#include "cmtool/net/redact.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/util/encoding.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::oauth {

namespace {

using nlohmann::json;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// `url` with its scheme and host replaced by `base` ("http://127.0.0.1:8080"), when given.
std::string rehost(const std::string& url, std::string base) {
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    if (base.empty()) {
        return url;
    }
    const auto scheme = url.find("://");
    const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return base + (path == std::string::npos ? std::string() : url.substr(path));
}

// Meta Graph API version of the default URLs when the account sets no `graph_version`
// (platforms.md §5.0 names v25.0 as the latest; the account's `api` may carry another host).
constexpr const char* k_graph = "v25.0";

std::optional<Provider> default_provider(const calendar::Account& account) {
    Provider p;
    switch (account.platform) {
        case Platform::x:
            p.authorize_url = "https://x.com/i/oauth2/authorize";
            p.token_url = "https://api.x.com/2/oauth2/token";
            p.scopes = "tweet.read tweet.write users.read media.write offline.access";
            p.pkce = true;
            p.client_auth = ClientAuth::basic;
            p.renewal = Renewal::refresh_token;
            return p;
        case Platform::linkedin:
            p.authorize_url = "https://www.linkedin.com/oauth/v2/authorization";
            p.token_url = "https://www.linkedin.com/oauth/v2/accessToken";
            p.scopes = account.get("author").starts_with("urn:li:organization:")
                           ? "w_organization_social r_organization_social rw_organization_admin"
                           : "openid profile w_member_social";
            p.renewal = Renewal::refresh_token;
            return p;
        case Platform::facebook:
        case Platform::instagram:
            // The Graph version follows the account's `graph_version` (§5.0: v25.0 latest).
            p.authorize_url = "https://www.facebook.com/" + account.get("graph_version", k_graph) +
                              "/dialog/oauth";
            p.token_url = "https://graph.facebook.com/" + account.get("graph_version", k_graph) +
                          "/oauth/access_token";
            p.scopes = account.platform == Platform::facebook
                           ? "pages_show_list pages_read_engagement pages_manage_posts "
                             "read_insights"
                           : "instagram_basic instagram_content_publish "
                             "instagram_manage_insights pages_show_list pages_read_engagement";
            p.renewal = Renewal::fb_exchange_token;
            return p;
        case Platform::threads:
            p.authorize_url = "https://threads.net/oauth/authorize";
            p.token_url = "https://graph.threads.net/oauth/access_token";
            p.refresh_url = "https://graph.threads.net/refresh_access_token";
            p.scopes =
                "threads_basic threads_content_publish threads_manage_insights "
                "threads_read_replies threads_manage_replies threads_keyword_search";
            p.renewal = Renewal::th_refresh_token;
            p.min_age_to_renew = std::chrono::hours(24);
            return p;
        default:
            return std::nullopt;
    }
}

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

std::string random_unreserved(std::size_t n) {
    static constexpr std::string_view k_chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    std::random_device rd;
    std::uniform_int_distribution<std::size_t> pick(0, k_chars.size() - 1);
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        out += k_chars[pick(rd)];
    }
    return out;
}

void add_client(net::HttpRequest& r, net::FieldList& fields, const Provider& p,
                std::string_view client_id, std::string_view client_secret) {
    if (p.client_auth == ClientAuth::basic && !client_secret.empty()) {
        net::set_header(r, "Authorization",
                        "Basic " + util::base64(net::url_encode(client_id) + ":" +
                                                net::url_encode(client_secret)));
        return;
    }
    fields.emplace_back("client_id", std::string(client_id));
    if (!client_secret.empty()) {
        fields.emplace_back("client_secret", std::string(client_secret));
    }
}

net::HttpRequest form_post(std::string url, const net::FieldList& fields, net::HttpRequest r) {
    r.method = "POST";
    r.url = std::move(url);
    net::set_header(r, "Content-Type", "application/x-www-form-urlencoded");
    net::set_header(r, "Accept", "application/json");
    r.body = net::form_urlencode(fields);
    return r;
}

std::string login_hint(const calendar::Account& account) {
    return fmt::format("run `cmtool auth login {}` to authorize cmtool again", account.name);
}

std::string when(sys_seconds t) {
    return fmt::format("{:%Y-%m-%d %H:%M} UTC", t);
}

}  // namespace

std::optional<Provider> provider_for(const calendar::Account& account) {
    auto p = default_provider(account);
    if (!p) {
        return p;
    }
    const std::string api = account.get("api");
    const std::string auth = account.get("oauth", api);
    p->authorize_url = rehost(p->authorize_url, auth);
    // The token endpoint is on the authorization host for LinkedIn, on the API host elsewhere.
    p->token_url = rehost(p->token_url, account.platform == Platform::linkedin ? auth : api);
    if (!p->refresh_url.empty()) {
        p->refresh_url = rehost(p->refresh_url, api);
    }
    return p;
}

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

std::string pkce_challenge(std::string_view verifier) {
    const auto digest = util::sha256(verifier);
    return util::base64url(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Pkce make_pkce() {
    Pkce p;
    p.verifier = random_unreserved(43);
    p.challenge = pkce_challenge(p.verifier);
    return p;
}

std::string random_state() {
    return random_unreserved(32);
}

std::string authorize_url(const Provider& provider, std::string_view client_id,
                          std::string_view redirect_uri, std::string_view state,
                          const std::optional<Pkce>& pkce) {
    net::FieldList q = {{"response_type", "code"},
                        {"client_id", std::string(client_id)},
                        {"redirect_uri", std::string(redirect_uri)},
                        {"scope", provider.scopes},
                        {"state", std::string(state)}};
    if (pkce) {
        q.emplace_back("code_challenge", pkce->challenge);
        q.emplace_back("code_challenge_method", "S256");
    }
    return net::append_query(provider.authorize_url, q);
}

net::HttpRequest code_request(const Provider& provider, std::string_view client_id,
                              std::string_view client_secret, std::string_view code,
                              std::string_view redirect_uri, std::string_view verifier) {
    net::HttpRequest r;
    net::FieldList fields = {{"grant_type", "authorization_code"},
                             {"code", std::string(code)},
                             {"redirect_uri", std::string(redirect_uri)}};
    if (!verifier.empty()) {
        fields.emplace_back("code_verifier", std::string(verifier));
    }
    add_client(r, fields, provider, client_id, client_secret);
    return form_post(provider.token_url, fields, std::move(r));
}

std::optional<net::HttpRequest> renewal_request(const Provider& provider,
                                                std::string_view client_id,
                                                std::string_view client_secret,
                                                const TokenSet& tokens) {
    net::HttpRequest r;
    switch (provider.renewal) {
        case Renewal::none:
            return std::nullopt;
        case Renewal::refresh_token: {
            if (!tokens.refresh_token || tokens.refresh_token->empty()) {
                return std::nullopt;
            }
            net::FieldList fields = {{"grant_type", "refresh_token"},
                                     {"refresh_token", *tokens.refresh_token}};
            add_client(r, fields, provider, client_id, client_secret);
            return form_post(provider.token_url, fields, std::move(r));
        }
        case Renewal::fb_exchange_token:
            if (client_secret.empty()) {
                return std::nullopt;
            }
            r.url = net::append_query(provider.token_url,
                                      {{"grant_type", "fb_exchange_token"},
                                       {"client_id", std::string(client_id)},
                                       {"client_secret", std::string(client_secret)},
                                       {"fb_exchange_token", tokens.access_token}});
            return r;
        case Renewal::th_refresh_token:
            r.url = net::append_query(
                provider.refresh_url.empty() ? provider.token_url : provider.refresh_url,
                {{"grant_type", "th_refresh_token"}, {"access_token", tokens.access_token}});
            return r;
    }
    return std::nullopt;
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
