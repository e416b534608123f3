#pragma once
// What commands that talk to platforms share: the workspace with environment overrides, one
// HTTP transport, the credentials, the clock, an interruptible sleeper and the adapter factory.
#include <atomic>
#include <memory>

#include "app.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "signals.hpp"

namespace cmtool::cli {

class Runtime {
  public:
    // Opens the workspace (-C or discovery), applies CMTOOL_<ACCOUNT>_API and friends, and
    // installs the SIGINT/SIGTERM handlers.
    static Result<std::unique_ptr<Runtime>> open(const GlobalOptions& g);

    calendar::WorkspaceConfig ws;
    net::CurlTransport http;
    platforms::DefaultCredentialStore credentials;
    net::SystemClock clock;
    const std::atomic<bool>& stop;
    InterruptibleSleeper sleeper;

    // The adapter for an account, wired to this runtime.
    Result<std::unique_ptr<platforms::Adapter>> adapter(const calendar::Account& account);

  private:
    Runtime(calendar::WorkspaceConfig w, platforms::DefaultCredentialStore::Env env,
            const std::atomic<bool>& stop_flag);
};

}  // namespace cmtool::cli
