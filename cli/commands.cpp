// The one visible command table, and what every command shares (workspace, errors).
#include "commands.hpp"

#include <fmt/format.h>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct CommandEntry {
    void (*register_fn)(CLI::App&, Context&);
};

// Top-level commands in help order. Subcommands of `plan` are registered by register_plan;
// register_completion adds the hidden `completion` and `__complete`.
constexpr CommandEntry k_commands[] = {
    {register_init},         {register_plan},    {register_agenda}, {register_publish},
    {register_pull_metrics}, {register_metrics}, {register_report}, {register_watch},
    {register_auth},         {register_doctor},  {register_help},   {register_completion},
};

}  // namespace

std::unique_ptr<CLI::App> build_app(Context& ctx) {
    auto app = std::make_unique<CLI::App>(
        "cmtool: the community manager's toolkit: editorial calendars as files, exactly-once\n"
        "publishing, metrics, reports and social listening.",
        "cmtool");
    app->set_help_all_flag("--help-all", "Show help for every command");
    app->set_version_flag("--version", std::string("cmtool ") + CMTOOL_VERSION);
    app->add_option("-C,--workspace", ctx.global.workspace_dir,
                    "Workspace folder (default: the nearest folder holding cmtool.yaml)");
    app->add_flag("-v,--verbose", ctx.global.verbosity, "More detail on stderr (repeatable)");
    app->add_flag("-q,--quiet", ctx.global.quiet, "Only errors on stderr");
    app->add_option("--now", ctx.global.now,
                    "Pretend the time is this ISO 8601 instant (tests, catch-up)")
        ->envname("CMTOOL_NOW");
    app->footer(
        "Exit codes: 0 ok, 1 the command failed (e.g. invalid calendar), 2 usage or configuration\n"
        "error, 3 `watch --once`: an alert fired, 130 interrupted. `cmtool help exit-codes` has\n"
        "the full table.\n\n"
        "Example:\n  cmtool plan validate          # check every calendar file of this workspace");
    app->require_subcommand(0, 1);
    app->fallthrough();  // -C, -q, -v and --now also work after the subcommand
    for (const auto& c : k_commands) {
        c.register_fn(*app, ctx);
    }
    return app;
}

std::string command_path(const CLI::App& app) {
    std::string path = app.get_name();
    const CLI::App* cur = &app;
    while (true) {
        const auto subs = cur->get_subcommands();
        if (subs.empty()) {
            break;
        }
        cur = subs.front();
        path += " " + cur->get_name();
    }
    return path;
}

int exit_code_for(const Error& e) {
    switch (e.code) {
        case ErrorCode::usage:
        case ErrorCode::config:
            return k_exit_usage;
        case ErrorCode::interrupted:
            return k_exit_interrupted;
        default:
            return k_exit_failure;
    }
}

int report_error(const Error& e) {
    const Style s{use_color(Stream::err)};
    fmt::print(stderr, "cmtool: {} {}\n", s.red("error:"), e.message);
    if (!e.hint.empty()) {
        fmt::print(stderr, "{} {}\n", s.blue("hint:"), e.hint);
    }
    return exit_code_for(e);
}

Result<calendar::WorkspaceConfig> open_workspace(const GlobalOptions& g,
                                                 calendar::Diagnostics& diags) {
    auto root =
        calendar::find_workspace(g.workspace_dir.empty() ? std::filesystem::path(".")
                                                         : std::filesystem::path(g.workspace_dir));
    if (!root) {
        return fail(std::move(root).error());
    }
    return calendar::load_workspace(*root, diags);
}

Result<std::chrono::sys_seconds> current_time(const GlobalOptions& g,
                                              const calendar::WorkspaceConfig& ws) {
    if (g.now.empty()) {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }
    calendar::Diagnostics d;
    auto t = calendar::resolve_time(g.now, ws, d, "--now", {}, {});
    if (!t) {
        return fail(ErrorCode::usage,
                    fmt::format("--now {}: {}", g.now,
                                d.findings().empty() ? "invalid" : d.findings()[0].message),
                    "write it like 2026-11-27T09:00:00+01:00");
    }
    return t->utc;
}

Result<calendar::WorkspaceConfig> open_workspace(const GlobalOptions& g) {
    calendar::Diagnostics diags;
    auto ws = open_workspace(g, diags);
    if (!ws) {
        return ws;
    }
    const Style s{use_color(Stream::err)};
    for (const auto& f : diags.findings()) {
        if (f.severity == calendar::Severity::warning && g.quiet) {
            continue;
        }
        fmt::print(stderr, "{}:{}:{}: {}[{}]: {}\n", path_for_humans((ws->root / f.file).string()),
                   f.pos.line, f.pos.column,
                   f.severity == calendar::Severity::error ? s.red("error") : s.yellow("warning"),
                   f.rule, f.message);
    }
    if (diags.error_count() > 0) {
        return fail(
            ErrorCode::config,
            fmt::format("{} is not valid", (ws->root / calendar::k_workspace_file).string()),
            "fix the errors above; `cmtool plan validate` checks the whole workspace");
    }
    return ws;
}

}  // namespace cmtool::cli
