#pragma once
// Helpers for tests that need a workspace on disk.
#include <filesystem>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/files.hpp"

namespace cmtool::test {

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
  public:
    explicit TempDir(const std::string& name);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    // Writes `content` to path()/relative, creating folders.
    void write(const std::string& relative, const std::string& content) const;

  private:
    std::filesystem::path m_path;
};

struct RunResult {
    int exit_code = -1;  // 128 + signal when killed by a signal
    std::string out;
    std::string err;
};

// Runs the built cmtool (CMTOOL_BINARY) with `args`, in `cwd` when not empty, with extra
// environment variables ("NAME=value") added to a minimal environment (PATH, HOME, TZ=UTC,
// NO_COLOR=1, XDG_CONFIG_HOME under the temp dir; an extra variable of the same name replaces
// the default), and `input` on stdin. Bounded: the child is killed after `timeout_s` seconds.
RunResult run_cmtool(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                     const std::vector<std::string>& env = {}, const std::string& input = {},
                     int timeout_s = 60);

// The standard cmtool.yaml of the calendar-format contract (docs/calendar.md).
std::string contract_workspace_yaml();

}  // namespace cmtool::test
