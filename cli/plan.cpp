// `cmtool plan ...`: the editorial calendar's commands.
#include "app.hpp"

namespace cmtool::cli {

void register_plan(CLI::App& app, Context& ctx) {
    auto* plan = app.add_subcommand(
        "plan", "Editorial calendar: validate, list, new, import, export, diff, stats");
    plan->footer(
        "Example:\n  cmtool plan validate --format github   # in a CI job on every pull request");
    plan->require_subcommand(1);
    register_plan_validate(*plan, ctx);
    register_plan_list(*plan, ctx);
    register_plan_export(*plan, ctx);
    register_plan_import(*plan, ctx);
    register_plan_new(*plan, ctx);
    register_plan_diff(*plan, ctx);
    register_plan_stats(*plan, ctx);
}

}  // namespace cmtool::cli
