#pragma once
// SIGINT/SIGTERM for long-running commands: the first signal asks the command to finish its
// current step and stop (exit 130); a second one ends the process at once.
#include <atomic>
#include <chrono>

#include "cmtool/net/retry.hpp"

namespace cmtool::cli {

// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& install_stop_handlers();

// Sleeps in short slices and stops early (ErrorCode::interrupted) when a stop was requested.
class InterruptibleSleeper final : public net::Sleeper {
  public:
    explicit InterruptibleSleeper(const std::atomic<bool>& stop) : m_stop(stop) {}
    Result<void> sleep_for(std::chrono::milliseconds duration) override;

  private:
    const std::atomic<bool>& m_stop;
};

}  // namespace cmtool::cli
