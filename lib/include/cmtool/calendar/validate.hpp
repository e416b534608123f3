#pragma once
// `plan validate`: every rule in docs/calendar.md, over all calendar files, in parallel.
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cmtool/calendar/load.hpp"

namespace cmtool::calendar {

struct ValidateOptions {
    std::vector<std::filesystem::path> paths;  // empty: the workspace's calendar globs
    unsigned jobs = 0;                         // worker threads; 0 = hardware concurrency
};

struct ValidationReport {
    std::vector<Finding> findings;  // sorted by file, line, column
    std::size_t files = 0;
    std::size_t posts = 0;
    std::size_t errors = 0;
    std::size_t warnings = 0;
};

// Validates the calendar (and the findings already made while loading the workspace, passed
// in `config_diags`). Fails only when the calendar globs cannot be expanded.
Result<ValidationReport> validate(const WorkspaceConfig& ws, Diagnostics config_diags,
                                  const ValidateOptions& opts);

enum class MediaKind { unknown, jpeg, png, gif, webp, heic, avif, mp4, mov };
struct MediaInfo {
    bool exists = false;
    bool inside_workspace = true;
    std::uintmax_t size = 0;
    MediaKind kind = MediaKind::unknown;  // from the file's first bytes
    MediaKind by_extension = MediaKind::unknown;
};
// What a media file is (existence, size, type by content and by name); thread-safe cache so a
// file used by thousands of posts is looked at once.
class MediaProbe {
  public:
    explicit MediaProbe(std::filesystem::path root) : m_root(std::move(root)) {}
    MediaInfo probe(const std::string& relative);

  private:
    std::filesystem::path m_root;
    std::mutex m_mutex;
    std::map<std::string, MediaInfo> m_cache;
};
std::string_view media_kind_name(MediaKind k);

// The per-post rules (types are already checked by the loader): channels, categories, text
// length per platform, media, thread. Cross-post rules run in validate().
// `texts`, when given, receives the rendered text of each known channel (channel, text), so a
// caller that also needs them does not render twice.
void check_post(const Post& post, const WorkspaceConfig& ws, MediaProbe& media, Diagnostics& diags,
                std::vector<std::pair<std::string, std::string>>* texts = nullptr);

}  // namespace cmtool::calendar
