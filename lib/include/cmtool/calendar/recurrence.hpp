#pragma once
// Recurring posts: `repeat: {every: week|month|N days, until: DATE, count: N}` expands into
// occurrences with ids `<id>@YYYY-MM-DD`, stepping in local time across DST changes.
#include <string>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

struct Occurrence {
    std::string id;         // the post id, or `<id>@YYYY-MM-DD` for a recurring post
    PostTime at;            // resolved in the workspace zone
    std::size_t index = 0;  // 0 for the first occurrence
};

inline constexpr std::size_t k_max_occurrences = 1000;

// Every occurrence of a post (one for a post without `repeat`). A local time that falls in a
// DST gap moves forward by the gap (02:30 → 03:30); an ambiguous one takes the first instant.
std::vector<Occurrence> occurrences(const Post& post, const WorkspaceConfig& ws);

// The occurrence id for a post and a local day.
std::string occurrence_id(const std::string& post_id, date::local_days day);

// The post id part of an occurrence id (`bf@2026-12-04` → `bf`).
std::string base_post_id(const std::string& occurrence_id);

}  // namespace cmtool::calendar
