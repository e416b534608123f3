#pragma once
// File helpers: whole-file reads and atomic writes (temp file in the same folder + rename).
#include <filesystem>
#include <string>
#include <string_view>

#include "cmtool/util/result.hpp"

namespace cmtool::util {

// The whole file; fails (io) with the path and the OS reason.
Result<std::string> read_file(const std::filesystem::path& path);
// Everything on standard input (binary safe). Fails (io) on a read error.
Result<std::string> read_stdin();
// Writes through a temporary file in the same folder, fsyncs it, then renames it over `path`,
// so a reader sees the old or the new content, never a mix. Creates parent folders.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);
// `path` relative to `base` when inside it (no ".."), else `path` unchanged, with '/'.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& base);

}  // namespace cmtool::util
