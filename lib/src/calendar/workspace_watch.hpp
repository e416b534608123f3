#pragma once
// Loading and validating the `watch:` section of cmtool.yaml (docs/watch.md).
#include "cmtool/calendar/workspace.hpp"
#include "yaml_util.hpp"

namespace cmtool::calendar {

// Reads `watch:` into ws.watch, reporting unknown keys (with "did you mean"), wrong types and
// bad values at their position. References (a query's sources, a rule's queries and channels,
// a source's account) are checked by check_watch_references once all accounts are known.
void load_watch(const YAML::Node& node, WorkspaceConfig& ws, const yaml::Reporter& r);
void check_watch_references(const WorkspaceConfig& ws, const yaml::Reporter& r);

}  // namespace cmtool::calendar
