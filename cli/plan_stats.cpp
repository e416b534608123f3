// `cmtool plan stats`: posts per channel and week, editorial mix against targets, gaps on
// usual weekdays and campaign spans, for a period (default: this week and the next three).
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/stats.hpp"
#include "cmtool/calendar/stats_format.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct StatsOptions {
    calendar::PeriodFlags period;
    std::string format = "text";
};

calendar::StatsStyle stats_style(const Style& st) {
    calendar::StatsStyle ss;
    if (!st.on) {
        return ss;
    }
    ss.bold = [st](std::string_view s) { return st.bold(s); };
    ss.warn = [st](std::string_view s) { return st.yellow(s); };
    ss.dim = [st](std::string_view s) { return st.dim(s); };
    return ss;
}

Result<calendar::Period> stats_period(const calendar::PeriodFlags& flags,
                                      std::chrono::sys_seconds now, const date::time_zone& zone) {
    if (flags.week.empty() && flags.month.empty() && flags.from.empty() && flags.to.empty()) {
        return calendar::default_stats_period(now, zone);
    }
    return calendar::resolve_period(flags, now, zone, 28);
}

int run_stats(const StatsOptions& o, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    auto period = stats_period(o.period, *now, *ws->zone);
    if (!period) {
        return report_error(period.error());
    }
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(*ws, diags);
    if (!posts) {
        return report_error(posts.error());
    }
    if (diags.error_count() > 0 && !g.quiet) {
        fmt::print(stderr,
                   "cmtool: warning: the calendar has {} error(s); posts that could not be read "
                   "are not counted\nhint: run `cmtool plan validate`\n",
                   diags.error_count());
    }
    const auto stats = calendar::compute_stats(*posts, *ws, *period);
    if (o.format == "json") {
        write_stdout(calendar::stats_json(stats, *ws).dump(2) + "\n");
    } else {
        write_stdout(calendar::stats_text(stats, *ws, stats_style(Style{use_color(Stream::out)})));
    }
    return k_exit_ok;
}

}  // namespace

void register_plan_stats(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<StatsOptions>();
    auto* cmd = plan.add_subcommand(
        "stats", "Posts per channel and week, editorial mix, gaps and campaigns of a period");
    cmd->add_option("--week", opts->period.week, "ISO week, e.g. 2026-W48");
    cmd->add_option("--month", opts->period.month, "Month, e.g. 2026-11");
    cmd->add_option("--from", opts->period.from, "First day, e.g. 2026-11-23");
    cmd->add_option("--to", opts->period.to, "Last day, inclusive (default: 7 days from --from)");
    cmd->add_option("--format", opts->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    cmd->footer(
        "Default period: this ISO week and the next three. Recurring posts count once per\n"
        "occurrence; cancelled posts are left out; drafts are counted apart. A channel's usual\n"
        "weekday is one it posts on in at least half of the weeks of the period and the 4 weeks\n"
        "before; a day of the period without a post there is a gap.\n\n"
        "Examples:\n"
        "  cmtool plan stats\n"
        "  cmtool plan stats --month 2026-12\n"
        "  cmtool plan stats --from 2026-11-01 --to 2026-12-31 --format json");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_stats(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
