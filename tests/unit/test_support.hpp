#pragma once
// Helpers for tests that need a workspace on disk.
#include <filesystem>
#include <string>

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

// The standard cmtool.yaml of the calendar-format contract (docs/calendar.md).
std::string contract_workspace_yaml();

}  // namespace cmtool::test
