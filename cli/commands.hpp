#pragma once
#include <memory>
#include <string>

#include "app.hpp"

namespace cmtool::cli {

// The whole command tree with every subcommand registered (the one command table).
std::unique_ptr<CLI::App> build_app(Context& ctx);
// "cmtool plan validate" for the deepest subcommand that was selected.
std::string command_path(const CLI::App& app);

}  // namespace cmtool::cli
