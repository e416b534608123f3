// OAuth 2 providers and the requests they take (oauth.hpp): where each network authorizes and
// issues tokens, PKCE, the authorize URL, the code exchange and the renewal request.
#include <fmt/format.h>

#include <random>

#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/encoding.hpp"

namespace cmtool::platforms::oauth {

namespace {

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

}  // namespace cmtool::platforms::oauth
