#pragma once
// The built cmtool (CMTOOL_BINARY) as a background child, for tests that act while it runs:
// SIGKILL it in the middle of a publish, or start a second run while the first holds the lock.
// run_cmtool (tests/unit/test_support.hpp) is the blocking equivalent.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cmtool::test {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when a signal ended it
    std::string out;
    std::string err;
};

class CmtoolProcess {
  public:
    // Starts cmtool with `args`, the minimal environment of run_cmtool (PATH, HOME, TZ=UTC,
    // NO_COLOR=1, LANG, XDG_CONFIG_HOME) with `env` ("NAME=value") replacing or adding, and
    // stdout/stderr written to files in `log_dir` (created). Throws when fork fails.
    // `input`, when given, is opened as its standard input (a FIFO lets a test type into it);
    // else /dev/null.
    CmtoolProcess(const std::vector<std::string>& args, const std::vector<std::string>& env,
                  const std::filesystem::path& log_dir, const std::filesystem::path& input = {});
    ~CmtoolProcess();  // kills and reaps a child still running
    CmtoolProcess(const CmtoolProcess&) = delete;
    CmtoolProcess& operator=(const CmtoolProcess&) = delete;

    pid_t pid() const { return m_pid; }
    // True until the child has exited (it is reaped then).
    bool running();
    // SIGKILL, then reap: the child gets no chance to write anything more.
    void kill_now();
    // Waits at most `timeout` (then kills the child) and returns its exit code and output.
    ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  private:
    pid_t m_pid = -1;
    int m_status = 0;
    bool m_reaped = false;
    std::filesystem::path m_out;
    std::filesystem::path m_err;
};

// The environment run_cmtool and CmtoolProcess give cmtool, with `extra` replacing defaults of
// the same name.
std::vector<std::string> cmtool_environment(const std::vector<std::string>& extra);

// Calls `done` every 10 ms until it returns true or `timeout` has passed; returns whether it did.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace cmtool::test
