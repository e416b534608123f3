#pragma once
// What `auth` and `doctor` share: the credential stores (environment + file, and the file alone),
// one HTTP transport, the clock and an interruptible sleeper, owned together for one command.
#include <atomic>
#include <memory>

#include "cmtool/net/curl_transport.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/auth.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "signals.hpp"

namespace cmtool::cli {

class AuthSetup {
  public:
    // Takes a loaded workspace, applies CMTOOL_<ACCOUNT>_API and friends from the process
    // environment, and installs the SIGINT/SIGTERM handlers.
    static std::unique_ptr<AuthSetup> make(calendar::WorkspaceConfig ws);

    platforms::AuthContext context();
    const calendar::WorkspaceConfig& ws() const { return m_ws; }
    const platforms::DefaultCredentialStore::Env& env() const { return m_env; }
    const std::filesystem::path& credentials_file() const { return m_credentials.file(); }
    bool stopped() const { return m_stop.load(); }

  private:
    AuthSetup(calendar::WorkspaceConfig ws, platforms::DefaultCredentialStore::Env env);

    calendar::WorkspaceConfig m_ws;
    platforms::DefaultCredentialStore::Env m_env;
    platforms::DefaultCredentialStore m_credentials;
    platforms::DefaultCredentialStore m_file_credentials;  // no environment: the file alone
    net::CurlTransport m_http;
    net::SystemClock m_clock;
    const std::atomic<bool>& m_stop;
    InterruptibleSleeper m_sleeper;
};

}  // namespace cmtool::cli
