#pragma once
// An exclusive OS-level lock on a file (flock), so that two cron runs of `cmtool publish` never
// work on the same workspace at once. The kernel drops it when the process dies, even by
// SIGKILL, so a crash never leaves a stale lock behind.
#include <chrono>
#include <filesystem>
#include <string_view>

#include "cmtool/util/result.hpp"

namespace cmtool::store {

class FileLock {
  public:
    // Locks `path` (created with mode 0600, its folder 0700, when missing), trying again every
    // 50 ms until `wait` has elapsed; 0 tries once. Writes our PID into the file once locked.
    // Fails (conflict) naming the holder's PID, with a hint saying another `what` is running,
    // or (io) when the file cannot be opened.
    static Result<FileLock> acquire(const std::filesystem::path& path,
                                    std::chrono::milliseconds wait,
                                    std::string_view what = "cmtool publish");

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    // Releases the lock now (also done by the destructor). The file stays: removing it would
    // let a third process lock a new file while a second one still waits on the old one.
    void release() noexcept;
    bool held() const { return m_fd >= 0; }
    const std::filesystem::path& path() const { return m_path; }

  private:
    FileLock(int fd, std::filesystem::path path) : m_fd(fd), m_path(std::move(path)) {}
    int m_fd = -1;
    std::filesystem::path m_path;
};

}  // namespace cmtool::store
