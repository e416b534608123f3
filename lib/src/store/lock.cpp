#include "cmtool/store/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "store/private_dir.hpp"

namespace cmtool::store {

namespace {

constexpr std::chrono::milliseconds k_poll{50};

// The PID the holder wrote, or nullopt while it has not written it yet.
std::optional<long> read_holder(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return std::nullopt;
    }
    long pid = 0;
    const auto [end, ec] = std::from_chars(buf, buf + n, pid);
    if (ec != std::errc{} || end == buf || pid <= 0) {
        return std::nullopt;
    }
    return pid;
}

void write_pid(int fd) {
    const std::string text = fmt::format("{}\n", ::getpid());
    // Best effort: the PID only improves the message another process shows.
    if (::ftruncate(fd, 0) == 0) {
        (void)!::pwrite(fd, text.data(), text.size(), 0);
    }
}

Error held_by(const std::filesystem::path& path, std::optional<long> pid, std::string_view what) {
    if (!pid) {
        return Error{ErrorCode::conflict,
                     fmt::format("cannot lock {}: held by another process", path.string()),
                     fmt::format("another {} is running; cron runs overlap: this one exits", what)};
    }
    return Error{ErrorCode::conflict,
                 fmt::format("cannot lock {}: held by pid {}", path.string(), *pid),
                 fmt::format("another {} is running (pid {}); cron runs overlap: this one exits",
                             what, *pid)};
}

}  // namespace

Result<FileLock> FileLock::acquire(const std::filesystem::path& path,
                                   std::chrono::milliseconds wait, std::string_view what) {
    if (path.has_parent_path()) {
        if (auto d = make_private_dirs(path.parent_path()); !d) {
            return fail(std::move(d).error());
        }
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int err = errno;
        return fail(ErrorCode::io,
                    fmt::format("cannot open lock file {}: {}", path.string(), std::strerror(err)));
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + wait;
    while (true) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            write_pid(fd);
            return FileLock(fd, path);
        }
        const int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err != EWOULDBLOCK) {
            ::close(fd);
            return fail(ErrorCode::io,
                        fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
        }
        const auto now = Clock::now();
        if (now >= deadline) {
            break;  // never sleep after the last try
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        std::this_thread::sleep_for(std::min(k_poll, left + std::chrono::milliseconds{1}));
    }
    const auto pid = read_holder(fd);
    ::close(fd);
    return fail(held_by(path, pid, what));
}

FileLock::FileLock(FileLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_path(std::move(other.m_path)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

FileLock::~FileLock() {
    release();
}

void FileLock::release() noexcept {
    if (m_fd < 0) {
        return;
    }
    (void)!::ftruncate(m_fd, 0);  // no stale PID for the next reader
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

}  // namespace cmtool::store
