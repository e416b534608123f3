// The credentials store: environment first, then the user's 0600 JSON file
// {"version":1,"workspaces":{"<root>":{"<account>":{"<kind>":"<secret>"}}}}.
// No message built here ever contains a secret or the file's content.
#include "cmtool/platforms/credentials.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmtool/store/lock.hpp"
#include "cmtool/util/strings.hpp"
#include "platforms/credentials_file.hpp"

extern char** environ;

namespace cmtool::platforms {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The workspace root as a stable key: absolute, normalised, no trailing separator.
std::string root_key(const fs::path& root) {
    std::error_code ec;
    fs::path p = fs::absolute(root, ec).lexically_normal();
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) {
        p = p.parent_path();
    }
    return p.string();
}

}  // namespace

std::string credential_env_name(std::string_view account, std::string_view kind) {
    return util::account_env_name(account, kind);
}

DefaultCredentialStore::DefaultCredentialStore(fs::path workspace_root, Env env, fs::path file)
    : m_root(std::move(workspace_root)), m_env(std::move(env)), m_file(std::move(file)) {
    if (m_file.empty()) {
        m_file = default_file(m_env);
    }
}

DefaultCredentialStore::Env DefaultCredentialStore::process_env() {
    Env env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string_view::npos) {
            env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
        }
    }
    return env;
}

fs::path DefaultCredentialStore::default_file(const Env& env) {
    const auto xdg = env.find("XDG_CONFIG_HOME");
    // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    if (xdg != env.end() && !xdg->second.empty() && fs::path(xdg->second).is_absolute()) {
        return fs::path(xdg->second) / "cmtool" / "credentials.json";
    }
    fs::path home;
    if (const auto h = env.find("HOME"); h != env.end() && !h->second.empty()) {
        home = h->second;
    } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir) {
        home = pw->pw_dir;
    }
    return home / ".config" / "cmtool" / "credentials.json";
}

Result<std::optional<std::string>> DefaultCredentialStore::get(const calendar::Account& account,
                                                               std::string_view kind) {
    std::optional<std::string> secret;
    if (const auto e = m_env.find(credential_env_name(account.name, kind));
        e != m_env.end() && !e->second.empty()) {
        secret = e->second;  // an empty variable counts as unset (cron lines like `X= cmd`)
    } else {
        auto doc = detail::load_credentials(m_file);
        if (!doc) {
            return fail(std::move(doc).error());
        }
        secret = detail::find_secret(*doc, root_key(m_root), account.name, kind);
    }
    if (secret &&
        std::find(m_handed_out.begin(), m_handed_out.end(), *secret) == m_handed_out.end()) {
        m_handed_out.push_back(*secret);
    }
    return secret;
}

bool DefaultCredentialStore::from_environment(const calendar::Account& account,
                                              std::string_view kind) const {
    const auto e = m_env.find(credential_env_name(account.name, kind));
    return e != m_env.end() && !e->second.empty();
}

std::filesystem::path DefaultCredentialStore::renewal_lock() const {
    return fs::path(m_file.string() + ".renew.lock");
}

Result<void> DefaultCredentialStore::put(const calendar::Account& account, std::string_view kind,
                                         std::optional<std::string> value) {
    // Two writers (`auth login` and a publish refreshing a session) must not lose an update.
    auto lock =
        store::FileLock::acquire(fs::path(m_file.string() + ".lock"),
                                 std::chrono::milliseconds{3000}, "cmtool credentials update");
    if (!lock) {
        return fail(std::move(lock).error());
    }
    auto doc = detail::load_credentials(m_file);
    if (!doc) {
        return fail(std::move(doc).error());
    }
    if (value &&
        std::find(m_handed_out.begin(), m_handed_out.end(), *value) == m_handed_out.end()) {
        m_handed_out.push_back(*value);
    }
    if (!detail::set_secret(*doc, root_key(m_root), account.name, kind, value)) {
        return {};  // removing what is not there
    }
    return detail::save_credentials(m_file, *doc);
}

std::vector<std::string> DefaultCredentialStore::known_secrets() const {
    return m_handed_out;
}

}  // namespace cmtool::platforms
