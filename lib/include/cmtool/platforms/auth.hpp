#pragma once
// `cmtool auth`: where each account's credentials come from, whether the platform accepts them,
// and saving new ones only after the platform has accepted them (docs/commands.md, `auth`).
// Nothing returned here ever holds a secret: messages are redacted, tokens are not kept.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms {

// What the auth functions work with, passed in so tests can hand in fakes.
struct AuthContext {
    const calendar::WorkspaceConfig& ws;
    const std::map<std::string, std::string>& env;  // the process environment
    CredentialStore& credentials;                   // environment, then the file: what publish uses
    CredentialStore& file_credentials;  // the credentials file alone (sources, login, logout)
    std::filesystem::path credentials_file;
    net::HttpTransport& http;
    const net::Clock& clock;
    net::Sleeper& sleeper;
};

enum class Network { online, offline };

// The secret an account logs in with: "token" (Mastodon), "app_password" (Bluesky); empty for
// platforms cmtool cannot publish to yet.
std::string_view login_secret_kind(Platform p);

enum class CredentialSource { environment, file, missing };
// ok: the platform accepted them; unverified: present, not checked (offline); missing: none;
// invalid: the platform refused them; unreachable: the platform could not be asked (network,
// rate limit, unexpected answer); unsupported: no adapter for the platform yet; error: the
// credentials or the account settings cannot be used (unsafe or corrupt file, no `handle`).
enum class AuthState { ok, unverified, missing, invalid, unreachable, unsupported, error };
std::string_view auth_state_name(AuthState s);
std::string_view credential_source_name(CredentialSource s);  // "env", "file", "missing"

struct AccountAuth {
    std::string account;
    Platform platform = Platform::manual;
    AuthState state = AuthState::missing;
    CredentialSource source = CredentialSource::missing;
    std::string env_var;             // the variable that holds (or would hold) the secret
    bool session_only = false;       // Bluesky: no app password, only a cached session
    std::optional<AccountInfo> who;  // when verified
    std::optional<std::chrono::sys_seconds> token_expires;    // Bluesky: the access JWT's exp
    std::optional<std::chrono::sys_seconds> session_expires;  // Bluesky: the refresh JWT's exp
    // OAuth networks (X, LinkedIn, Meta, Threads): the refresh token's end, when the network
    // said (LinkedIn: 365 days), and whether cmtool renews the access token unattended.
    std::optional<std::chrono::sys_seconds> refresh_expires;
    bool renewable = false;
    std::string message;  // why it is not ok (redacted); empty when ok
    std::string hint;
};

enum class ExpiryLevel { none, warning, error };
struct ExpiryNote {
    ExpiryLevel level = ExpiryLevel::none;
    std::string message;  // "the access token expires on 2026-12-01 10:00 UTC (in 3 days)"
    std::string hint;
};
// Whether a token of this account is close to its end (auth status, doctor): `warning` when an
// access token that cmtool cannot renew, or a refresh token, ends within `warn_days`; `error`
// when the refresh token has ended, or the access token has and cannot be renewed. A renewable
// access token close to its end is none: the next run renews it.
ExpiryNote expiry_note(const AccountAuth& a, std::chrono::sys_seconds now, int warn_days);

// The handle for people: "@alice@mastodon.social", "@alice.bsky.social" (Bluesky handles come
// without the "@").
std::string display_handle(const AccountInfo& who);

// The state of one account's credentials. Online, the platform is asked who they belong to
// (Adapter::verify, which may renew a cached Bluesky session); offline, only their source and
// cached expiry are read. Never fails: every problem is a state with a message and a hint.
AccountAuth account_auth(AuthContext& ctx, const calendar::Account& account, Network network);
// account_auth for every account of the workspace, in workspace order.
std::vector<AccountAuth> auth_status(AuthContext& ctx, Network network);

struct LoginResult {
    AccountInfo who;
    std::vector<std::string> saved;  // the kinds written to the credentials file
};

// Checks `secret` (Mastodon: an access token; Bluesky: an app password, used for createSession
// with the account's `handle`) with the platform and, only once it is accepted, saves it in the
// credentials file (0600) with the Bluesky session. Fails (auth) when the platform refuses it,
// (network/rate_limited) when it cannot be asked, (unavailable) for a platform without an
// adapter, (config) for unusable settings or credentials file; nothing is saved on failure.
Result<LoginResult> login(AuthContext& ctx, const calendar::Account& account,
                          const std::string& secret);

// Removes every secret of the account from the credentials file (environment variables are
// not touched) and returns the kinds that were there. Fails when the file cannot be used.
Result<std::vector<std::string>> logout(AuthContext& ctx, const calendar::Account& account);

// Mastodon's OAuth out-of-band flow (platforms.md §1.1): register an app, have the user open
// the authorize URL and paste the code shown, exchange the code for a token.
inline constexpr const char* k_oob_redirect_uri = "urn:ietf:wg:oauth:2.0:oob";
// `read` covers read:accounts and read:statuses (verify, lookups); the writes are posting.
inline constexpr const char* k_mastodon_scopes = "read write:statuses write:media";

struct OAuthApp {
    std::string base;  // the instance's API base URL
    std::string client_id;
    std::string client_secret;
    std::string authorize_url;  // for the user to open; holds no secret
};

// POST /api/v1/apps on the account's instance. Fails (network) when it cannot be reached,
// (auth/unavailable) when the instance refuses, (parse) on an answer without client id/secret.
Result<OAuthApp> mastodon_register_app(AuthContext& ctx, const calendar::Account& account);
// POST /oauth/token with the code the user pasted; returns the access token. Fails (auth) with
// the instance's error_description when the code is refused.
Result<std::string> mastodon_exchange_code(AuthContext& ctx, const OAuthApp& app,
                                           const std::string& code);

}  // namespace cmtool::platforms
