// `cmtool auth login ACCOUNT` for OAuth 2 networks (X, LinkedIn, Meta, Threads): the
// authorization-code flow on a loopback redirect (platforms/oauth_login.hpp). Prints the
// authorize URL (never a token, code or secret), waits for the browser on 127.0.0.1 or reads
// the pasted address (--no-listen), and saves the token only once the network said whose it is.
#include "auth_oauth.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth_login.hpp"
#include "output.hpp"
#include "secret_input.hpp"
#include "signals.hpp"

extern char** environ;

namespace cmtool::cli {

namespace {

namespace oauth = platforms::oauth;

// xdg-open on PATH, or empty.
std::string find_xdg_open() {
    const char* path = std::getenv("PATH");
    std::string rest = path != nullptr ? path : "";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::filesystem::path dir = rest.substr(0, colon);
        std::error_code ec;
        const auto candidate = dir / "xdg-open";
        if (!dir.empty() && std::filesystem::exists(candidate, ec) &&
            ::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        rest = colon == std::string::npos ? std::string() : rest.substr(colon + 1);
    }
    return {};
}

// Starts xdg-open on the URL without waiting for it (its output goes to /dev/null).
bool open_in_browser(const std::string& url) {
    const std::string opener = find_xdg_open();
    if (opener.empty()) {
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::string arg0 = opener;
    std::string arg1 = url;
    char* argv[] = {arg0.data(), arg1.data(), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, opener.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0;  // not reaped: xdg-open exits on its own; cmtool exits soon after
}

// The app's client secret: the environment or the credentials file; else, for a PKCE network
// on a terminal, asked for (Enter for a public client); required elsewhere.
Result<std::string> client_secret(AuthSetup& setup, const calendar::Account& account,
                                  const oauth::LoginPlan& plan, bool& prompted) {
    auto ctx = setup.context();
    auto stored = ctx.credentials.get(account, oauth::k_kind_client_secret);
    if (!stored) {
        return fail(std::move(stored).error());
    }
    if (*stored && !(*stored)->empty()) {
        return **stored;
    }
    const std::string var =
        platforms::credential_env_name(account.name, oauth::k_kind_client_secret);
    if (::isatty(0) != 1) {
        if (plan.provider.pkce) {
            return std::string();  // a public PKCE client has no secret
        }
        return fail(ErrorCode::config, "no client secret for " + account.name,
                    "set " + var + " to the app's client secret");
    }
    auto typed = read_secret(plan.provider.pkce
                                 ? "Client secret of the app (Enter for a public client, hidden): "
                                 : "Client secret of the app (hidden): ",
                             Prompt::when_terminal, Echo::off);
    if (!typed) {
        if (typed.error().code == ErrorCode::usage && plan.provider.pkce) {
            return std::string();  // an empty line: a public client
        }
        return typed;
    }
    prompted = true;
    return typed;
}

Result<std::string> wait_for_code(const OAuthLoginFlags& f, platforms::LoopbackListener* listener,
                                  const oauth::LoginPlan& plan) {
    if (listener == nullptr) {
        fmt::print(stderr,
                   "After you authorize, the browser goes to an address starting with {} that "
                   "does not load (nothing listens there): copy that whole address from the "
                   "address bar.\n",
                   plan.redirect_uri);
        auto pasted = read_secret(
            "Redirected address (or the code), hidden: ", Prompt::when_terminal, Echo::off);
        if (!pasted) {
            return pasted;
        }
        return oauth::code_from_pasted(*pasted, plan);
    }
    fmt::print(stderr, "Waiting for the browser on {} ({} s at most, Ctrl-C to stop)...\n",
               plan.redirect_uri, f.timeout());
    auto query = listener->wait_for(oauth::k_callback_path, std::chrono::seconds(f.timeout()),
                                    &install_stop_handlers());
    if (!query) {
        return fail(std::move(query).error());
    }
    auto code = oauth::code_from_redirect(*query, plan);
    if (!code) {
        listener->respond(400, "Login refused", code.error().message);
    }
    return code;
}

std::string when(const std::optional<std::chrono::sys_seconds>& t,
                 const calendar::WorkspaceConfig& ws) {
    return t ? calendar::calendar_time(*t, ws) : std::string("no known expiry");
}

}  // namespace

void add_oauth_login_flags(CLI::App& login, OAuthLoginFlags& f) {
    login
        .add_option("--port", f.port,
                    "OAuth networks: the loopback redirect port (default: the account's "
                    "redirect_port, else 8765)")
        ->check(CLI::Range(0, 65535));
    login
        .add_option("--timeout", f.timeout_s,
                    "OAuth networks: seconds to wait for the browser (default 300)")
        ->check(CLI::Range(1, 86400));
    login.add_flag("--open", f.open, "OAuth networks: open the address with xdg-open");
    login.add_flag("--no-listen", f.no_listen,
                   "OAuth networks: do not listen; paste the address the browser ends on "
                   "(servers without a browser)");
}

int run_oauth_login(const OAuthLoginFlags& f, AuthSetup& setup, const calendar::Account& account,
                    const GlobalOptions& g) {
    auto port = oauth::redirect_port(
        account, f.port >= 0 ? std::optional<int>(f.port) : std::optional<int>());
    if (!port) {
        return report_error(port.error());
    }
    if (auto checked = oauth::plan_login(account, *port); !checked) {
        return report_error(checked.error());  // no client_id: said before anything listens
    }
    std::optional<platforms::LoopbackListener> listener;
    if (!f.no_listen) {
        auto opened = platforms::LoopbackListener::open(*port);
        if (!opened) {
            return report_error(opened.error());
        }
        listener.emplace(std::move(*opened));
        *port = listener->port();  // --port 0: the one the system chose
    }
    auto plan = oauth::plan_login(account, *port);
    if (!plan) {
        return report_error(plan.error());
    }
    bool prompted = false;
    auto secret = client_secret(setup, account, *plan, prompted);
    if (!secret) {
        return report_error(secret.error());
    }
    fmt::print(stderr,
               "Open this address in a browser, logged in as the account, and authorize the "
               "app (scopes: {}):\n\n  {}\n\n",
               plan->provider.scopes, plan->url);
    if (f.open && !open_in_browser(plan->url)) {
        fmt::print(stderr, "(xdg-open is not available: open the address yourself)\n");
    }
    auto code = wait_for_code(f, listener ? &*listener : nullptr, *plan);
    if (!code) {
        return report_error(code.error());
    }
    auto ctx = setup.context();
    auto result = oauth::complete_login(ctx, account, *plan, *code, *secret,
                                        prompted ? oauth::SaveSecret::yes : oauth::SaveSecret::no);
    if (listener) {
        if (result) {
            listener->respond(200, "cmtool is authorized",
                              "Logged in as " + platforms::display_handle(result->who) +
                                  ". You can close this tab and go back to the terminal.");
        } else {
            listener->respond(400, "Login failed", result.error().message);
        }
    }
    if (!result) {
        return report_error(result.error());
    }
    if (!g.quiet) {
        const Style s{use_color(Stream::err)};
        fmt::print(stderr, "{} logged in as {} ({})\n", s.green("✓"),
                   platforms::display_handle(result->who), account.name);
        fmt::print(stderr, "  access token until {}{}\n", when(result->expires_at, setup.ws()),
                   result->refresh_token
                       ? ", renewed automatically with the refresh token"
                       : ": no refresh token was issued, log in again before then");
        if (result->refresh_expires_at) {
            fmt::print(stderr, "  refresh token until {}: log in again before then\n",
                       when(result->refresh_expires_at, setup.ws()));
        }
        fmt::print(stderr, "  saved {} to {} (mode 0600)\n", fmt::join(result->saved, ", "),
                   path_for_humans(setup.credentials_file().string()));
    }
    const std::string var = platforms::credential_env_name(account.name, "token");
    if (const auto it = setup.env().find(var);
        !g.quiet && it != setup.env().end() && !it->second.empty()) {
        const Style s{use_color(Stream::err)};
        fmt::print(stderr, "{} {} is set: it takes precedence over the credentials file\n",
                   s.yellow("note:"), var);
    }
    return k_exit_ok;
}

}  // namespace cmtool::cli
