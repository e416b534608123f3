#pragma once
// Adding posts to calendar files (`plan import`, `plan new`): each post goes at the end of its
// month file `calendar/YYYY/MM.yaml` (or one given file); what is already there is kept byte
// for byte, and every file is replaced atomically.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::calendar {

enum class DryRun { no, yes };

// What was (or, with DryRun::yes, would be) added to one file.
struct AppendResult {
    std::filesystem::path path;  // absolute
    std::string file;            // workspace-relative, with '/'
    bool created = false;        // the file did not exist
    std::size_t posts = 0;
    std::string appended;     // the YAML text added at the end (with "posts:" when created)
    bool in_calendar = true;  // matched by the workspace's `calendar` globs
};

// "calendar/2026/11.yaml": the month file of a post's time in the workspace zone.
std::string month_file(const Post& post, const WorkspaceConfig& ws);

// Appends `posts` (post_to_yaml, in the given order) to their month files, or all to
// `target_file` (relative to the workspace root, or absolute inside it). Every file's new
// content is built and re-read before any is written: fails (usage) for a target outside the
// workspace or not .yaml, (invalid) when a file is not valid YAML or its `posts:` is not a
// block list the new items can follow, (io) when a file cannot be read or written. One result
// per file, sorted by path.
Result<std::vector<AppendResult>> append_posts(
    const WorkspaceConfig& ws, const std::vector<Post>& posts,
    const std::optional<std::filesystem::path>& target_file, DryRun dry_run);

}  // namespace cmtool::calendar
