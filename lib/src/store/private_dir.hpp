#pragma once
// Creating the state folder readable by its owner only.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "cmtool/util/result.hpp"

namespace cmtool::store {

// Creates `dir` and its missing parents with mode 0700 (existing folders are left as they are).
// Fails (io) with the path and the OS reason.
inline Result<void> make_private_dirs(const std::filesystem::path& dir) {
    std::error_code ec;
    if (dir.empty() || std::filesystem::is_directory(dir, ec)) {
        return {};
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
        if (auto r = make_private_dirs(dir.parent_path()); !r) {
            return r;
        }
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        const int err = errno;
        return fail(ErrorCode::io,
                    fmt::format("cannot create folder {}: {}", dir.string(), std::strerror(err)));
    }
    return {};
}

}  // namespace cmtool::store
