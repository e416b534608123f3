// cmtool's entry point: parse inside try, run the chosen action, map errors to exit codes here.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <cstdio>
#include <exception>

#include "app.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
    using namespace cmtool::cli;
    // glibc's fastbins make every teardown of a large yaml-cpp node tree consolidate the heap:
    // measured 14% of `plan validate`'s CPU on 100k posts (bench/README.md). Without them the
    // small blocks go to the regular bins and coalesce as they are freed.
    mallopt(M_MXFAST, 0);
    Context ctx;
    auto app = build_app(ctx);
    try {
        if (argc <= 1) {
            fmt::print("{}", app->help());
            return k_exit_ok;
        }
        app->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        fmt::print("{}", app->help());
        return k_exit_ok;
    } catch (const CLI::CallForAllHelp&) {
        fmt::print("{}", app->help("", CLI::AppFormatMode::All));
        return k_exit_ok;
    } catch (const CLI::CallForVersion&) {
        fmt::print("cmtool {}\n", CMTOOL_VERSION);
        return k_exit_ok;
    } catch (const CLI::ParseError& e) {
        // CLI11 throws CallForHelp from the subcommand being parsed: print that one's help.
        if (e.get_exit_code() == 0) {
            return app->exit(e);
        }
        fmt::print(stderr, "cmtool: error: {}\nhint: run `{} --help` for usage\n", e.what(),
                   command_path(*app));
        return k_exit_usage;
    }
    if (!ctx.action) {
        fmt::print(stderr, "cmtool: error: no command given\nhint: run `cmtool --help`\n");
        return k_exit_usage;
    }
    try {
        return ctx.action();
    } catch (const std::exception& e) {
        // Exceptions stay at the edges; reaching here is a bug, but never a crash.
        fmt::print(stderr, "cmtool: error: internal error: {}\nhint: please report this\n",
                   e.what());
        return k_exit_failure;
    }
}
