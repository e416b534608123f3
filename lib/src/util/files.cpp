#include "cmtool/util/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace cmtool::util {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::io,
                    fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        return fail(ErrorCode::io, fmt::format("cannot read {}", path.string()));
    }
    return ss.str();
}

Result<std::string> read_stdin() {
    std::string out;
    char buf[65536];
    while (true) {
        const auto n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0) {
            return out;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(ErrorCode::io,
                        fmt::format("cannot read standard input: {}", std::strerror(errno)));
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
}

Result<void> write_file_atomic(const fs::path& path, std::string_view content) {
    std::error_code ec;
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    std::random_device rd;
    const fs::path tmp = dir / fmt::format(".{}.tmp{}", path.filename().string(), rd() % 1000000);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail(ErrorCode::io,
                    fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return fail(ErrorCode::io,
                        fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fail(ErrorCode::io,
                    fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        ::unlink(tmp.c_str());
        return fail(ErrorCode::io,
                    fmt::format("cannot replace {}: {}", path.string(), ec.message()));
    }
    // Make the rename itself durable.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

std::string display_path(const fs::path& path, const fs::path& base) {
    std::error_code ec;
    const auto abs_path = fs::weakly_canonical(fs::absolute(path), ec);
    const auto abs_base = fs::weakly_canonical(fs::absolute(base), ec);
    auto rel = abs_path.lexically_relative(abs_base);
    if (!rel.empty() && *rel.begin() != "..") {
        return rel.generic_string();
    }
    return path.generic_string();
}

}  // namespace cmtool::util
