#include "signals.hpp"

#include <signal.h>

#include <thread>

namespace cmtool::cli {

namespace {

// The one piece of process-wide state: a signal handler can only reach a global.
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int sig) {
    if (g_stop.exchange(true)) {
        // Second signal: restore the default action and let it end the process.
        ::signal(sig, SIG_DFL);
        ::raise(sig);
    }
}

}  // namespace

const std::atomic<bool>& install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    return g_stop;
}

Result<void> InterruptibleSleeper::sleep_for(std::chrono::milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
        if (m_stop.load()) {
            return fail(ErrorCode::interrupted, "interrupted");
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
    }
    return {};
}

}  // namespace cmtool::cli
