#pragma once
// Credentials are never in the calendar or cmtool.yaml. Per account, in this order:
// 1. environment: CMTOOL_<ACCOUNT>_TOKEN (CMTOOL_<ACCOUNT>_APP_PASSWORD for Bluesky), the
//    account name upper-cased with non-alphanumerics as `_`;
// 2. the user's credentials file $XDG_CONFIG_HOME/cmtool/credentials.json (mode 0600, written
//    by `cmtool auth login`; refused when group or others can read it).
// Cached sessions (Bluesky access/refresh JWTs) live in the same file.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::platforms {

// "CMTOOL_MY_MASTO_TOKEN" for account "my-masto" and kind "token".
std::string credential_env_name(std::string_view account, std::string_view kind);

class CredentialStore {
  public:
    virtual ~CredentialStore() = default;
    // The secret of `kind` ("token", "app_password", "access_jwt", "refresh_jwt", "webhook_url",
    // "client_secret", ...) for an account, or nullopt. Fails when the file is unsafe or corrupt.
    virtual Result<std::optional<std::string>> get(const calendar::Account& account,
                                                   std::string_view kind) = 0;
    // Saves (or with nullopt removes) a secret in the user file, atomically, mode 0600.
    virtual Result<void> put(const calendar::Account& account, std::string_view kind,
                             std::optional<std::string> value) = 0;
    // Every secret value handed out so far, for redaction of errors and logs.
    virtual std::vector<std::string> known_secrets() const = 0;
    // Whether get() answers `kind` from the environment (such a token is used as is: cmtool
    // cannot renew what it did not store).
    virtual bool from_environment(const calendar::Account& /*account*/,
                                  std::string_view /*kind*/) const {
        return false;
    }
    // A file to lock while a token is renewed (read, renew, save as one step across
    // processes); empty: no other process shares this store.
    virtual std::filesystem::path renewal_lock() const { return {}; }
};

// Environment first, then the file. `env` is injected (tests); `file` defaults to
// $XDG_CONFIG_HOME/cmtool/credentials.json (~/.config when unset). Entries are keyed by the
// workspace root and the account name.
class DefaultCredentialStore final : public CredentialStore {
  public:
    using Env = std::map<std::string, std::string>;
    DefaultCredentialStore(std::filesystem::path workspace_root, Env env,
                           std::filesystem::path file = {});
    Result<std::optional<std::string>> get(const calendar::Account& account,
                                           std::string_view kind) override;
    Result<void> put(const calendar::Account& account, std::string_view kind,
                     std::optional<std::string> value) override;
    std::vector<std::string> known_secrets() const override;
    bool from_environment(const calendar::Account& account, std::string_view kind) const override;
    std::filesystem::path renewal_lock() const override;
    const std::filesystem::path& file() const { return m_file; }

    // The process environment as an Env (for main).
    static Env process_env();
    // The default file path for an environment.
    static std::filesystem::path default_file(const Env& env);

  private:
    std::filesystem::path m_root;
    Env m_env;
    std::filesystem::path m_file;
    std::vector<std::string> m_handed_out;
};

}  // namespace cmtool::platforms
