#pragma once
// `auth login` for OAuth 2 networks (auth_oauth.cpp), called by `auth login` (auth.cpp).
#include <CLI/CLI.hpp>

#include "app.hpp"
#include "auth_setup.hpp"

namespace cmtool::cli {

struct OAuthLoginFlags {
    int port = -1;      // -1: the account's redirect_port, else 8765; 0: any free port (tests)
    int timeout_s = 0;  // 0: k_default_timeout_s
    bool open = false;
    bool no_listen = false;

    static constexpr int k_default_timeout_s = 300;
    int timeout() const { return timeout_s > 0 ? timeout_s : k_default_timeout_s; }
    // True when one of these flags was given (they mean nothing outside the browser flow).
    bool any_given() const { return port != -1 || timeout_s != 0 || open || no_listen; }
};

// Adds --port, --timeout, --open and --no-listen to `auth login`.
void add_oauth_login_flags(CLI::App& login, OAuthLoginFlags& f);
// The browser flow for an account whose network has an OAuth provider; returns the exit code.
int run_oauth_login(const OAuthLoginFlags& f, AuthSetup& setup, const calendar::Account& account,
                    const GlobalOptions& g);

}  // namespace cmtool::cli
