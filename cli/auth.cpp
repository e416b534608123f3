// `cmtool auth login|logout|status`: the credentials of each account. Secrets are read from
// standard input (hidden on a terminal), never from a flag, checked with the platform before
// they are saved, and never printed.
#include <fmt/format.h>
#include <unistd.h>

#include <memory>

#include "app.hpp"
#include "auth_oauth.hpp"
#include "auth_setup.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "output.hpp"
#include "secret_input.hpp"

namespace cmtool::cli {

namespace {

struct LoginFlags {
    std::string account;
    bool from_stdin = false;
    bool oauth = false;
    OAuthLoginFlags browser;  // OAuth 2 networks
};

// A note when an environment variable will keep overriding the file.
void note_env_override(const AuthSetup& setup, const calendar::Account& account,
                       const GlobalOptions& g) {
    const std::string var = platforms::credential_env_name(
        account.name, platforms::login_secret_kind(account.platform));
    const auto it = setup.env().find(var);
    if (!g.quiet && it != setup.env().end() && !it->second.empty()) {
        const Style s{use_color(Stream::err)};
        fmt::print(stderr, "{} {} is set: it takes precedence over the credentials file\n",
                   s.yellow("note:"), var);
    }
}

// The secret to log in with: typed or piped in, or (Mastodon --oauth) obtained for a code.
Result<std::string> obtain_secret(const LoginFlags& f, platforms::AuthContext& ctx,
                                  const calendar::Account& account) {
    if (f.oauth) {
        auto app = platforms::mastodon_register_app(ctx, account);
        if (!app) {
            return fail(std::move(app).error());
        }
        fmt::print(stderr,
                   "Open this address in a browser, logged in as the account, and authorise "
                   "cmtool (scopes: {}):\n\n  {}\n\n",
                   platforms::k_mastodon_scopes, app->authorize_url);
        auto code = read_secret("Authorization code: ", Prompt::when_terminal, Echo::on);
        if (!code) {
            return code;
        }
        return platforms::mastodon_exchange_code(ctx, *app, *code);
    }
    const Prompt when = f.from_stdin ? Prompt::never : Prompt::when_terminal;
    if (account.platform == Platform::mastodon) {
        if (when == Prompt::when_terminal && ::isatty(0) == 1) {
            fmt::print(stderr,
                       "Create a token in {}/settings/applications with the scopes {} (or use "
                       "--oauth).\n",
                       account.get("instance", platforms::api_base(account)),
                       platforms::k_mastodon_scopes);
        }
        return read_secret(fmt::format("Access token for {} (hidden): ", account.name), when,
                           Echo::off);
    }
    return read_secret(
        fmt::format("App password for {} ({}, hidden): ", account.name, account.get("handle")),
        when, Echo::off);
}

int run_login(const LoginFlags& f, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto setup = AuthSetup::make(std::move(*ws));
    auto account = calendar::require_account(setup->ws(), f.account);
    if (!account) {
        return report_error(account.error());
    }
    const calendar::Account& a = **account;
    if (platforms::login_secret_kind(a.platform).empty()) {
        return report_error(Error{ErrorCode::unavailable,
                                  fmt::format("cmtool cannot log in to {} accounts yet ({})",
                                              platform_name(a.platform), a.name),
                                  "docs/platforms.md lists what each network supports"});
    }
    if (f.oauth && a.platform != Platform::mastodon) {
        return report_error(Error{ErrorCode::usage, "--oauth is for Mastodon accounts",
                                  "for Bluesky, create an app password in bsky.app: Settings > "
                                  "Privacy and security > App passwords"});
    }
    const bool browser_flow = !f.from_stdin && platforms::oauth::provider_for(a);
    if (browser_flow) {
        return run_oauth_login(f.browser, *setup, a, g);  // X, LinkedIn, Meta, Threads
    }
    if (f.browser.any_given()) {
        return report_error(Error{
            ErrorCode::usage,
            fmt::format("--port, --timeout, --open and --no-listen are for the browser login of "
                        "X, LinkedIn, Facebook, Instagram and Threads accounts; {} {}",
                        a.name,
                        f.from_stdin ? "reads its token from stdin" : "has no browser login"),
            "drop those flags"});
    }
    auto ctx = setup->context();
    auto secret = obtain_secret(f, ctx, a);
    if (!secret) {
        return report_error(secret.error());
    }
    auto result = platforms::login(ctx, a, *secret);
    if (!result) {
        return report_error(result.error());
    }
    if (!g.quiet) {
        const Style s{use_color(Stream::err)};
        fmt::print(stderr, "{} logged in as {} ({})\n", s.green("✓"),
                   platforms::display_handle(result->who), a.name);
        fmt::print(stderr, "  saved to {} (mode 0600)\n",
                   path_for_humans(setup->credentials_file().string()));
    }
    note_env_override(*setup, a, g);
    return k_exit_ok;
}

int run_logout(const std::string& name, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto setup = AuthSetup::make(std::move(*ws));
    auto account = calendar::require_account(setup->ws(), name);
    if (!account) {
        return report_error(account.error());
    }
    auto ctx = setup->context();
    auto removed = platforms::logout(ctx, **account);
    if (!removed) {
        return report_error(removed.error());
    }
    if (!g.quiet) {
        const std::string file = path_for_humans(setup->credentials_file().string());
        if (removed->empty()) {
            fmt::print(stderr, "nothing stored for {} in {}\n", name, file);
        } else {
            fmt::print(stderr, "removed {} of {} from {}\n", fmt::join(*removed, ", "), name, file);
            fmt::print(stderr,
                       "  the platform still accepts them until you revoke them there ({})\n",
                       (**account).platform == Platform::bluesky
                           ? "bsky.app: Settings > Privacy and security > App passwords"
                       : (**account).platform == Platform::x
                           ? "x.com: Settings > Security and account access > Apps and "
                             "sessions > Connected apps"
                       : platforms::oauth::provider_for(**account)
                           ? "the network's settings of the apps connected to the account"
                           : "your instance: Preferences > Account > Authorized apps");
        }
    }
    note_env_override(*setup, **account, g);
    return k_exit_ok;
}

}  // namespace

void register_auth(CLI::App& app, Context& ctx) {
    auto* auth = app.add_subcommand("auth", "Log in to the accounts, check and remove credentials");
    auth->require_subcommand(1);
    auth->footer(
        "Credentials never go in cmtool.yaml. Per account: CMTOOL_<ACCOUNT>_TOKEN (Bluesky:\n"
        "_APP_PASSWORD) in the environment, else the credentials file written by `auth login`\n"
        "($XDG_CONFIG_HOME/cmtool/credentials.json, mode 0600).");

    auto login = std::make_shared<LoginFlags>();
    auto* in = auth->add_subcommand("login", "Check a token or app password and save it (0600)");
    in->add_option("account", login->account, "The account, as named in cmtool.yaml")->required();
    auto* from_stdin =
        in->add_flag("--token-stdin,--password-stdin", login->from_stdin,
                     "Read the token (Bluesky: app password) from standard input, no prompt");
    in->add_flag("--oauth", login->oauth,
                 "Mastodon: authorise cmtool in a browser and paste the code shown")
        ->excludes(from_stdin);
    add_oauth_login_flags(*in, login->browser);
    in->footer(
        "The secret is read from standard input: typed without echo on a terminal, or piped.\n"
        "It is never taken from the command line, where `ps` and the shell history would show "
        "it.\nIt is saved only once the platform accepted it (Mastodon: verify_credentials; "
        "Bluesky:\ncreateSession with the account's `handle`, whose session is cached too).\n"
        "--oauth registers cmtool on the instance (redirect urn:ietf:wg:oauth:2.0:oob, scopes\n"
        "`read write:statuses write:media`) and exchanges the code you paste for a token.\n\n"
        "OAuth 2 networks (X, LinkedIn, Facebook, Instagram, Threads) log in through your own\n"
        "app: set the account's `client_id`, register the redirect URI\n"
        "http://127.0.0.1:8765/callback in the app (or the port of `redirect_port` / --port),\n"
        "and the client secret in CMTOOL_<ACCOUNT>_CLIENT_SECRET (X public clients need none).\n"
        "cmtool prints the address to open, waits for the browser on 127.0.0.1 (--timeout,\n"
        "Ctrl-C stops), exchanges the code (PKCE for X), checks whose token it is and saves it.\n"
        "--no-listen: paste the address the browser ends on instead (servers without a\n"
        "browser). --token-stdin saves a bare access token instead (no renewal).\n\n"
        "Exit status: 0 logged in, 1 refused by the platform or unreachable (nothing saved),\n"
        "2 usage or configuration.\n\n"
        "Examples:\n"
        "  cmtool auth login masto                        # prompts, input hidden\n"
        "  cmtool auth login masto --oauth\n"
        "  cmtool auth login x --open\n"
        "  cmtool auth login x --no-listen                # on a server: paste the address\n"
        "  pass show bsky-app | cmtool auth login bsky --password-stdin");
    in->callback(
        [login, &ctx] { ctx.action = [login, &ctx] { return run_login(*login, ctx.global); }; });

    auto logout_name = std::make_shared<std::string>();
    auto* out = auth->add_subcommand("logout", "Remove an account's saved credentials");
    out->add_option("account", *logout_name, "The account, as named in cmtool.yaml")->required();
    out->footer(
        "Removes the token, app password and cached session of the account from the credentials\n"
        "file. Environment variables are not touched; the platform keeps accepting the secret\n"
        "until it is revoked there.\n\nExample:\n  cmtool auth logout bsky");
    out->callback([logout_name, &ctx] {
        ctx.action = [logout_name, &ctx] { return run_logout(*logout_name, ctx.global); };
    });

    register_auth_status(*auth, ctx);
}

}  // namespace cmtool::cli
