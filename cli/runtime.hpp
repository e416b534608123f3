#pragma once
// What commands that talk to platforms share: the workspace with environment overrides, one
// HTTP transport, the credentials, the clock, an interruptible sleeper and the adapter factory.
#include <atomic>
#include <chrono>
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

    // The clock a command runs on: the system clock, or with --now that instant moving on at
    // the pace of the real clock (so that successive times stay ordered). `now` is --now.
    std::unique_ptr<net::Clock> command_clock(const GlobalOptions& g,
                                              std::chrono::sys_seconds now) const;

    // The adapter for an account, wired to this runtime.
    Result<std::unique_ptr<platforms::Adapter>> adapter(const calendar::Account& account);

  private:
    Runtime(calendar::WorkspaceConfig w, platforms::DefaultCredentialStore::Env env,
            const std::atomic<bool>& stop_flag);
};

}  // namespace cmtool::cli
