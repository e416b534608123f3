#pragma once
// `cmtool plan new`: one post checked against the rules and the workspace's ids, then appended
// to its month file by append_posts (append.hpp), which keeps what is there byte for byte.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/append.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::calendar {

struct NewPostRequest {
    // The post as given: `at.text` as written ("2026-12-04 09:00", or ISO 8601 with an offset),
    // `id` empty to generate one from the text. Positions and `file` are ignored.
    Post post;
    // The calendar file to append to (absolute, or relative to the workspace); nullopt: the
    // month file of the post's time in the workspace zone.
    std::optional<std::filesystem::path> file;
};

struct NewPostReport {
    std::string id;
    std::filesystem::path path;     // absolute
    std::string file;               // workspace-relative, '/'
    std::uint32_t line = 0;         // line of the new `- id:` in the file (once written)
    bool created_file = false;      // the file did not exist
    bool written = false;           // false with DryRun::yes and when the post has errors
    std::string yaml;               // the text appended to the file
    std::vector<Finding> findings;  // about the new post, positions as in the file
    std::size_t errors = 0;         // error findings: nothing was written
};

// Checks the new post (per-post rules, `at` in the workspace zone, its id against every post
// of the workspace; an id is generated when none is given) and, when it has no errors and
// `dry_run` is no, appends it. Rule violations are findings in the report, not failures.
// Fails (usage) when `at` cannot be read or the file is not a calendar file of the workspace,
// and as append_posts does when the file cannot be appended to.
Result<NewPostReport> add_new_post(const WorkspaceConfig& ws, const NewPostRequest& req,
                                   DryRun dry_run);

// An id from the first words of `text` (URLs left out), ASCII-folded and lowercase, at most
// about 40 characters ("Été à Noël !" → "ete-a-noel"), "post" when no word is left; then
// `-2`, `-3`, ... until it is not in `taken`.
std::string new_post_id(std::string_view text, const std::set<std::string>& taken);

}  // namespace cmtool::calendar
