#pragma once
// Reading calendar files into posts. Problems become findings with file:line:col; a post with
// an error is still returned where enough of it was read, so later rules can run.
#include <filesystem>
#include <string>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

struct CalendarFile {
    std::string path;  // workspace-relative when inside the workspace
    std::vector<Post> posts;
};

// Expands the workspace's calendar globs (`**` matches any depth), sorted, deduplicated.
// Explicit `paths` (files or folders) replace the globs when not empty.
Result<std::vector<std::filesystem::path>> calendar_files(
    const WorkspaceConfig& ws, const std::vector<std::filesystem::path>& paths = {});

// True when a '/'-separated workspace-relative path matches one calendar glob, with the rules
// calendar_files uses (`**` spans folders, `*` and `?` stay within one). Never fails.
bool matches_calendar_glob(std::string_view pattern, std::string_view relative_path);

// Parses one calendar document held in memory; `display_path` names it in findings.
CalendarFile parse_calendar(const std::string& content, const std::string& display_path,
                            const WorkspaceConfig& ws, Diagnostics& diags);
// Reads and parses one file (an unreadable file is a finding, not a failure).
CalendarFile load_calendar_file(const std::filesystem::path& file, const WorkspaceConfig& ws,
                                Diagnostics& diags);

// Every post of the workspace's calendar files (or of `paths`), in file order. Findings from
// loading go to `diags`; posts with errors are still returned where they could be read.
Result<std::vector<Post>> load_posts(const WorkspaceConfig& ws, Diagnostics& diags,
                                     const std::vector<std::filesystem::path>& paths = {});

// Resolves "2026-11-27 09:00", "2026-11-27T09:00:00+01:00", "...Z" in the workspace zone.
// Adds invalid-date / nonexistent-time (errors) and ambiguous-time (warning) findings.
std::optional<PostTime> resolve_time(std::string_view text, const WorkspaceConfig& ws,
                                     Diagnostics& diags, const std::string& file, Pos pos,
                                     const std::string& post_id);

}  // namespace cmtool::calendar
