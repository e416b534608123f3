#pragma once
// One YAML list item → one Post; every problem becomes a finding.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

// The post read from `item`, or nullopt when it lacks an id or is not a mapping. A post with
// other errors (bad time, wrong types) is still returned so later rules can look at it;
// `at.utc` is then the epoch.
std::optional<Post> read_post(const YAML::Node& item, const std::string& file,
                              const WorkspaceConfig& ws, Diagnostics& diags);

// True for ids made of letters, digits, '.', '_' and '-', starting with a letter or digit.
bool valid_post_id(std::string_view id);

}  // namespace cmtool::calendar
