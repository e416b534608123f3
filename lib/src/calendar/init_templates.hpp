#pragma once
// The files `cmtool init` writes: commented so that a newcomer can read them without the docs.
#include <string>
#include <string_view>

namespace cmtool::calendar::templates {

// The state folder line added to .gitignore (with its comment).
inline constexpr std::string_view k_gitignore =
    "# cmtool's local state (publish ledger, metrics): never committed\n.cmtool/\n";

// cmtool.yaml; `brand` must already be a YAML scalar (quoted when needed).
std::string workspace_yaml(const std::string& brand, const std::string& timezone,
                           const std::string& lang);

// calendar/YYYY/MM.yaml with one draft post on the `example` account, valid as written.
std::string example_calendar(const std::string& id, const std::string& at, const std::string& lang);

}  // namespace cmtool::calendar::templates
