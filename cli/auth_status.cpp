// `cmtool auth status`: per account, where its credentials come from, whether the platform
// accepts them and who they belong to. Secrets are never shown, only where they are.
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "auth_setup.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

using platforms::AccountAuth;
using platforms::AuthState;
using platforms::CredentialSource;

struct StatusFlags {
    std::string format = "text";
    bool offline = false;
    int warn_days = 7;  // warn this many days before a token that needs a new login ends
};

bool has_adapter(const AccountAuth& a) {
    return !platforms::login_secret_kind(a.platform).empty();
}

// 0 when every account with an adapter is ok (or present, offline); 2 when credentials or an
// account's settings cannot be used; 1 otherwise.
int exit_code(const std::vector<AccountAuth>& accounts) {
    int code = k_exit_ok;
    for (const auto& a : accounts) {
        if (a.state == AuthState::error) {
            return k_exit_usage;
        }
        if (has_adapter(a) && a.state != AuthState::ok && a.state != AuthState::unverified) {
            code = k_exit_failure;
        }
    }
    return code;
}

nlohmann::json or_null(const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

nlohmann::json time_or_null(const std::optional<std::chrono::sys_seconds>& t,
                            const calendar::WorkspaceConfig& ws) {
    return t ? nlohmann::json(calendar::iso_local(*t, ws)) : nlohmann::json();
}

nlohmann::json expiry_json(const platforms::ExpiryNote& n) {
    if (n.level == platforms::ExpiryLevel::none) {
        return nlohmann::json();
    }
    return {{"level", n.level == platforms::ExpiryLevel::error ? "error" : "warning"},
            {"message", n.message},
            {"hint", n.hint}};
}

nlohmann::json account_json(const AccountAuth& a, const calendar::WorkspaceConfig& ws,
                            const std::filesystem::path& file, const platforms::ExpiryNote& note) {
    nlohmann::json j = {{"account", a.account},
                        {"platform", platform_name(a.platform)},
                        {"state", platforms::auth_state_name(a.state)},
                        {"source", platforms::credential_source_name(a.source)},
                        {"env_var", or_null(a.env_var)},
                        {"file", a.source == CredentialSource::file ? nlohmann::json(file.string())
                                                                    : nlohmann::json()},
                        {"session_only", a.session_only},
                        {"token_expires", time_or_null(a.token_expires, ws)},
                        {"session_expires", time_or_null(a.session_expires, ws)},
                        {"refresh_expires", time_or_null(a.refresh_expires, ws)},
                        {"renewable", a.renewable},
                        {"expiry", expiry_json(note)},
                        {"message", or_null(a.message)},
                        {"hint", or_null(a.hint)}};
    j["who"] = a.who ? nlohmann::json{{"id", a.who->id},
                                      {"handle", a.who->handle},
                                      {"display_name", a.who->display_name},
                                      {"url", a.who->url}}
                     : nlohmann::json();
    return j;
}

std::string source_text(const AccountAuth& a, const calendar::WorkspaceConfig& ws) {
    std::string text;
    switch (a.source) {
        case CredentialSource::environment:
            text = "env " + a.env_var;
            break;
        case CredentialSource::file:
            text = a.session_only ? "credentials file (session only)" : "credentials file";
            break;
        case CredentialSource::missing:
            return {};
    }
    if (a.token_expires) {
        text += ", access token until " + calendar::calendar_time(*a.token_expires, ws);
        if (a.renewable) {
            text += " (renewed automatically)";
        }
    }
    if (a.refresh_expires) {
        text += ", refresh token until " + calendar::calendar_time(*a.refresh_expires, ws);
    }
    return text;
}

std::string state_label(AuthState state, const Style& s) {
    const std::string name = fmt::format("{:<11}", platforms::auth_state_name(state));
    switch (state) {
        case AuthState::ok:
        case AuthState::unverified:
            return s.green(name);
        case AuthState::unsupported:
            return s.dim(name);
        case AuthState::unreachable:
            return s.yellow(name);
        default:
            return s.red(name);
    }
}

// What the row says after the state: whose credentials, or what is wrong.
std::string who_text(const AccountAuth& a) {
    return a.who ? platforms::display_handle(*a.who) : a.message;
}

void print_text(const std::vector<AccountAuth>& accounts, const calendar::WorkspaceConfig& ws,
                const std::vector<platforms::ExpiryNote>& notes) {
    const Style s{use_color(Stream::out)};
    std::size_t name_w = 7;
    std::size_t platform_w = 8;
    std::size_t who_w = 0;
    for (const auto& a : accounts) {
        name_w = std::max(name_w, a.account.size());
        platform_w = std::max(platform_w, platform_name(a.platform).size());
        if (a.who) {
            who_w = std::max(who_w, who_text(a).size());
        }
    }
    std::string out;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const auto& a = accounts[i];
        const std::string src = source_text(a, ws);
        std::string line =
            fmt::format("{:<{}}  {:<{}}  {}  {:<{}}", a.account, name_w, platform_name(a.platform),
                        platform_w, state_label(a.state, s), who_text(a), who_w);
        if (!src.empty()) {
            line += "  " + s.dim(src);
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
        if (!a.hint.empty() && a.state != AuthState::ok) {
            out +=
                fmt::format("{:{}}{} {}\n", "", name_w + platform_w + 4, s.blue("hint:"), a.hint);
        }
        if (notes[i].level == platforms::ExpiryLevel::warning) {
            out += fmt::format("{:{}}{} {}\n{:{}}{} {}\n", "", name_w + platform_w + 4,
                               s.yellow("warning:"), notes[i].message, "", name_w + platform_w + 4,
                               s.blue("hint:"), notes[i].hint);
        }
    }
    write_stdout(out);
}

int run_status(const StatusFlags& f, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto setup = AuthSetup::make(std::move(*ws));
    auto ctx = setup->context();
    const auto accounts = platforms::auth_status(
        ctx, f.offline ? platforms::Network::offline : platforms::Network::online);
    if (setup->stopped()) {
        return k_exit_interrupted;
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<platforms::ExpiryNote> notes;
    for (const auto& a : accounts) {
        notes.push_back(platforms::expiry_note(a, now, f.warn_days));
    }
    if (f.format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            list.push_back(
                account_json(accounts[i], setup->ws(), setup->credentials_file(), notes[i]));
        }
        write_stdout(nlohmann::json{{"credentials_file", setup->credentials_file().string()},
                                    {"offline", f.offline},
                                    {"accounts", std::move(list)}}
                         .dump(2) +
                     "\n");
    } else {
        print_text(accounts, setup->ws(), notes);
    }
    return exit_code(accounts);
}

}  // namespace

void register_auth_status(CLI::App& auth, Context& ctx) {
    auto f = std::make_shared<StatusFlags>();
    auto* cmd = auth.add_subcommand(
        "status",
        "Per account: where the credentials come from, whether they work, whose they are");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("--offline", f->offline,
                  "Do not ask the platforms: only where the credentials come from");
    cmd->add_option("--warn-days", f->warn_days,
                    "Warn this many days before a token that needs a new login expires "
                    "(default 7)")
        ->check(CLI::Range(0, 3650));
    cmd->footer(
        "States: ok (accepted by the platform), unverified (present; --offline), missing,\n"
        "invalid (refused by the platform), unreachable (the platform could not be asked),\n"
        "unsupported (no publishing to that platform yet), error (unsafe or corrupt credentials\n"
        "file, unusable account settings). Bluesky: the cached session's expiry, decoded from "
        "it.\nOAuth networks: the access token's expiry, whether cmtool renews it, and the\n"
        "refresh token's end (LinkedIn: 365 days); a warning --warn-days before a token that\n"
        "needs a new login ends (an access token renewed automatically never warns), and\n"
        "invalid once it has ended.\n\n"
        "Exit status: 0 every account cmtool publishes to is ok, 1 otherwise, 2 configuration\n"
        "(no workspace, credentials file unsafe or corrupt).\n\n"
        "Examples:\n  cmtool auth status\n  cmtool auth status --offline --format json");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_status(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
