#pragma once
// What every subcommand shares: the global flags, and the action chosen by parsing.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::cli {

// Documented exit codes (README.md, `cmtool help exit-codes`).
enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_failure = 1,  // the command's own failure (invalid calendar, failed delivery)
    k_exit_usage = 2,    // usage or configuration error
    k_exit_alert = 3,    // `watch --once`: an alert fired
    k_exit_interrupted = 130,
};

struct GlobalOptions {
    std::string workspace_dir;  // -C DIR
    int verbosity = 0;          // -v (repeatable)
    bool quiet = false;         // -q
    std::string now;  // --now ISO 8601 (or $CMTOOL_NOW): the clock, for tests and catch-up
};

// A subcommand's work, run after the whole command line parsed; returns the exit code.
using Action = std::function<int()>;

struct Context {
    GlobalOptions global;
    Action action;
};

// Finds and loads the workspace (-C or the current folder upward). Configuration findings that
// are errors make it fail (exit 2); warnings are printed to stderr unless quiet.
Result<calendar::WorkspaceConfig> open_workspace(const GlobalOptions& g);
// Same, but hands the findings back instead of failing on them (for `plan validate`).
Result<calendar::WorkspaceConfig> open_workspace(const GlobalOptions& g,
                                                 calendar::Diagnostics& diags);

// The current instant: --now / $CMTOOL_NOW when given (an ISO 8601 time; without offset it is
// in the workspace zone), else the system clock.
Result<std::chrono::sys_seconds> current_time(const GlobalOptions& g,
                                              const calendar::WorkspaceConfig& ws);

// Prints `cmtool: error: ...` and `hint: ...` to stderr; returns the exit code for the error.
int report_error(const Error& e);
int exit_code_for(const Error& e);

// Each subcommand file defines one of these (commands.cpp holds the table).
void register_plan(CLI::App& app, Context& ctx);
void register_plan_validate(CLI::App& plan, Context& ctx);
void register_plan_list(CLI::App& plan, Context& ctx);
void register_plan_export(CLI::App& plan, Context& ctx);
void register_plan_import(CLI::App& plan, Context& ctx);
void register_plan_diff(CLI::App& plan, Context& ctx);
void register_plan_stats(CLI::App& plan, Context& ctx);
void register_agenda(CLI::App& app, Context& ctx);
void register_publish(CLI::App& app, Context& ctx);
void register_publish_status(CLI::App& publish, Context& ctx);
void register_publish_confirm(CLI::App& publish, Context& ctx);
void register_plan_new(CLI::App& plan, Context& ctx);
void register_init(CLI::App& app, Context& ctx);
void register_help(CLI::App& app, Context& ctx);
void register_auth(CLI::App& app, Context& ctx);
void register_auth_status(CLI::App& auth, Context& ctx);
void register_doctor(CLI::App& app, Context& ctx);
void register_pull_metrics(CLI::App& app, Context& ctx);
void register_metrics(CLI::App& app, Context& ctx);
void register_report(CLI::App& app, Context& ctx);
void register_watch(CLI::App& app, Context& ctx);
void register_completion(CLI::App& app, Context& ctx);
void register_complete_values(CLI::App& app, Context& ctx);

}  // namespace cmtool::cli
