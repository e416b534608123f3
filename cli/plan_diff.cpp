// `cmtool plan diff [BASE [HEAD]]`: what changed in the calendar between two git revisions, or
// between a revision and the working tree, for a review or a pull-request comment.
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/diff.hpp"
#include "cmtool/calendar/diff_format.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct DiffOptions {
    std::string base;
    std::string head;
    std::string format = "text";
};

calendar::DiffStyle diff_style(const Style& st) {
    calendar::DiffStyle ds;
    if (!st.on) {
        return ds;
    }
    ds.added = [st](std::string_view s) { return st.green(s); };
    ds.removed = [st](std::string_view s) { return st.red(s); };
    ds.changed = [st](std::string_view s) { return st.yellow(s); };
    ds.bold = [st](std::string_view s) { return st.bold(s); };
    return ds;
}

void warn_side(const calendar::DiffSide& side, const GlobalOptions& g) {
    if (side.errors > 0 && !g.quiet) {
        fmt::print(stderr,
                   "cmtool: warning: the calendar at {} has {} error(s); posts that could not be "
                   "read are not compared\nhint: run `cmtool plan validate`\n",
                   side.label, side.errors);
    }
}

int run_diff(const DiffOptions& o, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto result = calendar::diff_revisions(*ws, o.base, o.head);
    if (!result) {
        return report_error(result.error());
    }
    warn_side(result->base, g);
    warn_side(result->head, g);
    if (o.format == "json") {
        write_stdout(calendar::diff_json(*result, *ws).dump(2) + "\n");
    } else if (result->diff.empty()) {
        write_stdout(calendar::diff_none_line(*result));
    } else if (o.format == "markdown") {
        write_stdout(calendar::diff_markdown(*result, *ws));
    } else {
        write_stdout(calendar::diff_text(*result, *ws, diff_style(Style{use_color(Stream::out)})));
    }
    return k_exit_ok;
}

}  // namespace

void register_plan_diff(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<DiffOptions>();
    auto* cmd = plan.add_subcommand(
        "diff", "What changed in the calendar between two git revisions (default: this branch)");
    cmd->add_option("BASE", opts->base,
                    "Revision to compare from: commit, branch, tag, HEAD~2 (default: the merge "
                    "base of HEAD with origin/HEAD, main or master)");
    cmd->add_option("HEAD", opts->head,
                    "Revision to compare to (default: the working tree, uncommitted files "
                    "included)");
    cmd->add_option("--format", opts->format, "Output: text, markdown, json")
        ->check(CLI::IsMember({"text", "markdown", "json"}))
        ->default_str("text");
    cmd->footer(
        "Posts are matched by id: added, removed, moved, retargeted, text, status and other\n"
        "fields. Both sides are read with the current cmtool.yaml (zone, accounts); revisions are\n"
        "read from git objects, so the working tree and the index are left alone.\n\n"
        "Examples:\n"
        "  cmtool plan diff                      # this branch against main, uncommitted included\n"
        "  cmtool plan diff HEAD~1 HEAD          # what the last commit changed\n"
        "  cmtool plan diff origin/main --format markdown > comment.md   # for the pull request");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_diff(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
