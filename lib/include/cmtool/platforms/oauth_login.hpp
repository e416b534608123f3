#pragma once
// `cmtool auth login` for the OAuth 2 networks (X, LinkedIn, Meta, Threads): the
// authorization-code flow on a loopback redirect (RFC 8252), PKCE where the network wants it
// (X). The CLI opens the listener (loopback.hpp) or reads a pasted address; everything else is
// here: the plan (authorize URL, state, verifier), reading the redirect, and exchanging the code,
// checking whose token it is and saving it only then. Nothing returned holds a secret.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/platforms/auth.hpp"
#include "cmtool/platforms/loopback.hpp"
#include "cmtool/platforms/oauth.hpp"

namespace cmtool::platforms::oauth {

// The redirect port when neither --port nor the account's `redirect_port` says: the user
// registers http://127.0.0.1:8765/callback in the app (docs/networks/x.md).
inline constexpr int k_default_redirect_port = 8765;
inline constexpr const char* k_callback_path = "/callback";

struct LoginPlan {
    Provider provider;
    std::string client_id;
    std::string redirect_uri;  // http://127.0.0.1:<port>/callback
    std::string state;         // random, checked on the way back (CSRF)
    std::optional<Pkce> pkce;
    std::string url;  // the authorize URL to open; holds no secret
};

// The redirect port of an account: `flag` when given, else its `redirect_port` setting, else
// k_default_redirect_port. Fails (config) when the setting is not a port number.
Result<int> redirect_port(const calendar::Account& account, std::optional<int> flag);

// The plan for a login of `account` redirected to `port`. Fails (unavailable) for a network
// without OAuth, (config) when the account has no `client_id`, with a hint.
Result<LoginPlan> plan_login(const calendar::Account& account, int port);

// The code in a redirect's query. Fails (auth) when `state` does not match the plan (another
// login's redirect, or a forged one) or the network answered error=access_denied (the user
// declined) or another error; (usage) when there is no code.
Result<std::string> code_from_redirect(const LoopbackListener::Query& query, const LoginPlan& plan);
// The code from what a user pasted (--no-listen): the address the browser ended on, its query,
// or the bare code (then no state can be checked).
Result<std::string> code_from_pasted(const std::string& pasted, const LoginPlan& plan);

struct OAuthLoginResult {
    AccountInfo who;
    std::optional<std::chrono::sys_seconds> expires_at;  // access token
    bool refresh_token = false;
    std::optional<std::chrono::sys_seconds> refresh_expires_at;
    std::vector<std::string> saved;  // the credential kinds written to the file
};

// Exchanges `code` at the token endpoint (oauth::code_request; `client_secret` may be empty for
// public PKCE clients), runs finish_login, asks the network who the token belongs to (the
// adapter's verify()) with the new token alone, and only then saves the token set in the
// credentials file (with the client secret when `secret` is SaveSecret::yes: it was typed at
// the prompt, not read from the environment). Fails (auth) when the code or the token is
// refused, (network/rate_limited) when the network cannot be asked; nothing is saved on
// failure.
enum class SaveSecret { no, yes };
Result<OAuthLoginResult> complete_login(AuthContext& ctx, const calendar::Account& account,
                                        const LoginPlan& plan, const std::string& code,
                                        const std::string& client_secret,
                                        SaveSecret secret = SaveSecret::no);

}  // namespace cmtool::platforms::oauth
