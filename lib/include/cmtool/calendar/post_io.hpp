#pragma once
// A post as JSON (export/import, `--format json`) and as YAML text to append to a calendar
// file (`plan new`, `plan import`): one representation each, used by every command.
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

// "2026-11-27T09:00:00+01:00" for an instant in the workspace zone.
std::string iso_local(std::chrono::sys_seconds t, const WorkspaceConfig& ws);
// "2026-11-27 09:00" (seconds shown only when not zero) in the workspace zone.
std::string calendar_time(std::chrono::sys_seconds t, const WorkspaceConfig& ws);

// Every field of the post; empty optional fields are left out. `at` is ISO 8601 with offset.
nlohmann::json post_to_json(const Post& post, const WorkspaceConfig& ws);
// The inverse of post_to_json. Fails (invalid) naming the field that is wrong; the post is not
// validated against the rules (the caller runs check_post).
Result<Post> post_from_json(const nlohmann::json& j, const WorkspaceConfig& ws);

// The post as a YAML list item ("  - id: ...\n    at: ...\n"), keys in the documented order,
// strings quoted only where YAML needs it, multi-line text as a `|` block.
std::string post_to_yaml(const Post& post, const WorkspaceConfig& ws);
// A YAML scalar for `s`: plain when safe, else double-quoted with escapes.
std::string yaml_scalar(std::string_view s);

}  // namespace cmtool::calendar
