#pragma once
// Runs a fake platform server (tests/fakes/) as a child process for integration tests: starts it
// with "--port 0", reads the "PORT=<n>" line it prints, and stops it when the test is done.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::test {

class FakeServerProcess {
  public:
    // Starts `executable` with `args` plus "--port 0" and waits at most `startup` for its port.
    // Fails when it cannot be started, exits, or prints no port in time (it is then killed).
    static Result<FakeServerProcess> start(
        const std::string& executable, const std::vector<std::string>& args,
        std::chrono::milliseconds startup = std::chrono::seconds(10));

    FakeServerProcess(FakeServerProcess&& other) noexcept;
    FakeServerProcess& operator=(FakeServerProcess&& other) noexcept;
    FakeServerProcess(const FakeServerProcess&) = delete;
    FakeServerProcess& operator=(const FakeServerProcess&) = delete;
    ~FakeServerProcess();  // stop()s a running server

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    // "http://127.0.0.1:<port>"
    std::string base_url() const;
    // SIGTERM, then SIGKILL if it has not exited after `grace`; reaps it. Returns its exit code,
    // 128 + signal when killed, or -1 when it was not running.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(3));

  private:
    FakeServerProcess(pid_t pid, int port, int stdout_fd);

    pid_t m_pid = -1;
    int m_port = 0;
    std::thread m_drain;  // keeps reading the child's stdout so it never blocks on a full pipe
};

}  // namespace cmtool::test
