#pragma once
// OAuth 2 user tokens for the networks that use them (X, LinkedIn, Meta: Facebook, Instagram,
// Threads; platforms.md §3.1, §4.1, §5.0, §8): where each network authorizes and issues
// tokens, the PKCE pair, reading a token answer, storing a token set, and the one call adapters
// and metrics sources make, access_token(), which renews a token before it expires.
//
// A token set lives in the credentials store under these kinds (the file, 0600; an access
// token from the environment, CMTOOL_<ACCOUNT>_TOKEN, is used as is and never renewed):
//   token            the access token
//   refresh_token    when the network issued one
//   token_expires    epoch seconds; absent = no known expiry
//   token_issued     epoch seconds (renewal at 80 % of the lifetime)
//   refresh_expires  epoch seconds, when the network says (LinkedIn: 365 days, not extended)
// The app's client id is the account's `client_id` setting (not a secret); its secret is the
// `client_secret` kind (CMTOOL_<ACCOUNT>_CLIENT_SECRET), absent for public PKCE clients.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/net/http.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::oauth {

inline constexpr std::string_view k_kind_token = "token";
inline constexpr std::string_view k_kind_refresh = "refresh_token";
inline constexpr std::string_view k_kind_expires = "token_expires";
inline constexpr std::string_view k_kind_issued = "token_issued";
inline constexpr std::string_view k_kind_refresh_expires = "refresh_expires";
inline constexpr std::string_view k_kind_client_secret = "client_secret";

// How a network renews an access token.
enum class Renewal {
    none,               // re-consent only (LinkedIn without partner refresh tokens)
    refresh_token,      // RFC 6749 §6: POST grant_type=refresh_token (X, LinkedIn partners)
    fb_exchange_token,  // Meta: GET token_url?grant_type=fb_exchange_token with the live token
    th_refresh_token,   // Threads: GET refresh_url?grant_type=th_refresh_token&access_token=
};

// How the app authenticates at the token endpoint.
enum class ClientAuth {
    form,   // client_id (and client_secret when there is one) as form fields
    basic,  // HTTP Basic client_id:client_secret when there is a secret (X confidential clients)
};

struct Provider {
    std::string authorize_url;  // where the user consents (a browser opens it)
    std::string token_url;      // code exchange (and refresh_token renewals)
    std::string refresh_url;    // renewals when not token_url (Threads)
    std::string scopes;         // space-separated, as the authorize URL sends them
    bool pkce = false;          // S256 code challenge (X requires it)
    ClientAuth client_auth = ClientAuth::form;
    Renewal renewal = Renewal::none;
    // A token younger than this is not renewed (Threads: 24 hours [U]).
    std::chrono::seconds min_age_to_renew{0};
};

// The provider of an account's network, its hosts overridable per account (tests point them
// at fakes): `oauth` replaces the authorization host(s) and `api` the API host where the token
// endpoint lives there. nullopt for networks without OAuth (Mastodon has its own flow,
// Bluesky app passwords, Telegram/Discord static secrets).
std::optional<Provider> provider_for(const calendar::Account& account);

struct TokenSet {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::optional<std::chrono::sys_seconds> expires_at;
    std::optional<std::chrono::sys_seconds> issued_at;
    std::optional<std::chrono::sys_seconds> refresh_expires_at;
    std::string scope;
};

// Reads a token endpoint's answer received at `now`: 200 with `access_token`, `expires_in`
// (number or numeric string), `refresh_token`, `refresh_token_expires_in`, `scope`. Errors:
// RFC 6749 `{"error","error_description"}` and Meta `{"error":{"message","code"}}` -> (auth)
// for invalid_grant / invalid_client / 400 / 401 / code 190, (rate_limited) for 429 or Meta
// codes 4/17/32/613, (network) for transport failures and 5xx, (parse) for anything else.
// Messages never hold a token.
Result<TokenSet> read_token_answer(const Result<net::HttpResponse>& answer,
                                   std::chrono::sys_seconds now);

// Whether a token should be renewed at `now`: at 80 % of its lifetime when both ends are known,
// else within 5 minutes of its expiry; never without an expiry or before `min_age`.
bool due_for_renewal(const TokenSet& tokens, std::chrono::sys_seconds now,
                     std::chrono::seconds min_age = std::chrono::seconds{0});
// Whether the access token has ended at `now` (false when its expiry is unknown).
bool expired(const TokenSet& tokens, std::chrono::sys_seconds now);

// The stored token set of an account (file and environment, as the store gives them); nullopt
// when there is no access token. Fails when the store cannot be read.
Result<std::optional<TokenSet>> load_tokens(CredentialStore& store,
                                            const calendar::Account& account);
// Saves every part of `tokens` (absent parts are removed, so a stale expiry never outlives a
// token), the access token last. Fails (io) when the credentials file cannot be written.
Result<void> save_tokens(CredentialStore& store, const calendar::Account& account,
                         const TokenSet& tokens);

// PKCE (RFC 7636): a 43-character verifier of unreserved characters and its S256 challenge.
struct Pkce {
    std::string verifier;
    std::string challenge;
};
Pkce make_pkce();                                       // from std::random_device
std::string pkce_challenge(std::string_view verifier);  // BASE64URL(SHA256(verifier))
// A random `state` value for the authorize URL (CSRF), 32 unreserved characters.
std::string random_state();

// The URL the user opens to consent: response_type=code, client_id, redirect_uri, scope, state
// and, with PKCE, code_challenge + code_challenge_method=S256.
std::string authorize_url(const Provider& provider, std::string_view client_id,
                          std::string_view redirect_uri, std::string_view state,
                          const std::optional<Pkce>& pkce);

// The token request for an authorization code (POST form, grant_type=authorization_code).
// `client_secret` may be empty (public client); `verifier` is empty without PKCE.
net::HttpRequest code_request(const Provider& provider, std::string_view client_id,
                              std::string_view client_secret, std::string_view code,
                              std::string_view redirect_uri, std::string_view verifier);
// The renewal request for `tokens` per the provider's Renewal (nullopt: cannot renew, e.g.
// refresh_token renewal without a refresh token, or Renewal::none).
std::optional<net::HttpRequest> renewal_request(const Provider& provider,
                                                std::string_view client_id,
                                                std::string_view client_secret,
                                                const TokenSet& tokens);

// Renews `stale` (the access token the caller holds: due for renewal, or just refused with the
// network's "expired" signal, e.g. X 401, Meta code 190): sends renewal_request, keeps the old
// refresh token when the answer has none, saves the new set. Serialized across processes by a
// lock beside the credentials file, under which the stored set is read again: when it no longer
// holds `stale`, another run has just renewed it and its token is returned as is (renewing twice
// would spend a rotating refresh token). Fails (auth) when the network refuses, with the hint
// to run `cmtool auth login ACCOUNT`; (config) when the account cannot be renewed at all.
Result<TokenSet> renew(const AdapterContext& ctx, std::string_view stale);

// After `auth login` exchanged a code: the token set the account works with, per network
// (oauth_finish.cpp, one case each). Meta turns the short-lived user token into a long-lived one
// and, for a Page, into the Page's token; the others keep what was exchanged.
Result<TokenSet> finish_login(const AdapterContext& ctx, TokenSet exchanged);

// The access token to send: the environment's as is; else the stored one, renewed first when
// due (a failed renewal of a still-valid token keeps the old one: the next run tries again).
// Fails (config) when there is none, naming the variable and `cmtool auth login`; (auth) when
// it has expired and cannot be renewed, with the expiry date.
Result<std::string> access_token(const AdapterContext& ctx);

}  // namespace cmtool::platforms::oauth
