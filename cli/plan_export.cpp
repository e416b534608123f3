// `cmtool plan export --format ics|csv|json [-o FILE]`: the calendar for calendar apps (ICS),
// spreadsheets (CSV) or scripts (JSON); CSV and JSON read back with `plan import`.
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/export.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/util/files.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ExportOptions {
    std::string format;  // ics, csv, json; empty: from the output file's extension
    std::string output;  // empty: stdout
    calendar::PeriodFlags period;
    calendar::PostFilter filter;
};

Result<std::string> choose_format(const ExportOptions& o) {
    if (!o.format.empty()) {
        return o.format;
    }
    const auto ext = std::filesystem::path(o.output).extension().string();
    for (const char* f : {"ics", "csv", "json"}) {
        if (ext == std::string(".") + f) {
            return std::string(f);
        }
    }
    return fail(ErrorCode::usage, "which format? give --format ics, csv or json",
                "`-o calendar.ics` also chooses ICS");
}

// Without period flags everything is exported; --from or --to alone leaves the other side open.
Result<std::optional<calendar::Period>> selected_period(calendar::PeriodFlags flags,
                                                        std::chrono::sys_seconds now,
                                                        const date::time_zone& zone) {
    if (flags.week.empty() && flags.month.empty() && flags.from.empty() && flags.to.empty()) {
        return std::optional<calendar::Period>();
    }
    if (!flags.from.empty() || !flags.to.empty()) {
        flags.from = flags.from.empty() ? "1900-01-01" : flags.from;
        flags.to = flags.to.empty() ? "9999-12-31" : flags.to;
    }
    auto p = calendar::resolve_period(flags, now, zone, 0);
    if (!p) {
        return fail(std::move(p).error());
    }
    return std::optional<calendar::Period>(std::move(*p));
}

Result<std::string> render(const std::string& format, const std::vector<calendar::Post>& posts,
                           const calendar::WorkspaceConfig& ws,
                           const calendar::ExportSelection& sel, std::chrono::sys_seconds now,
                           std::size_t& count) {
    if (format == "ics") {
        const auto entries = calendar::export_occurrences(posts, ws, sel);
        count = entries.size();
        return calendar::export_ics(entries, ws, now);
    }
    const auto selected = calendar::export_posts(posts, ws, sel);
    count = selected.size();
    if (format == "csv") {
        return calendar::export_csv(selected, ws);
    }
    return calendar::export_json(selected, ws).dump(2) + "\n";
}

int run_export(const ExportOptions& o, const GlobalOptions& g) {
    auto format = choose_format(o);
    if (!format) {
        return report_error(format.error());
    }
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    calendar::ExportSelection sel;
    sel.filter = o.filter;
    auto period = selected_period(o.period, *now, *ws->zone);
    if (!period) {
        return report_error(period.error());
    }
    sel.period = std::move(*period);
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(*ws, diags);
    if (!posts) {
        return report_error(posts.error());
    }
    if (diags.error_count() > 0 && !g.quiet) {
        fmt::print(stderr,
                   "cmtool: warning: the calendar has {} error(s); posts whose time could not be "
                   "read are not exported\nhint: run `cmtool plan validate`\n",
                   diags.error_count());
    }
    std::size_t count = 0;
    auto doc = render(*format, *posts, *ws, sel, *now, count);
    if (o.output.empty() || o.output == "-") {
        write_stdout(*doc);
        return k_exit_ok;
    }
    if (auto w = util::write_file_atomic(o.output, *doc); !w) {
        return report_error(w.error());
    }
    if (!g.quiet) {
        fmt::print(stderr, "wrote {} {}{} to {}\n", count, *format == "ics" ? "event" : "post",
                   count == 1 ? "" : "s", o.output);
    }
    return k_exit_ok;
}

}  // namespace

void register_plan_export(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<ExportOptions>();
    auto* cmd =
        plan.add_subcommand("export", "Export the calendar as iCalendar (ICS), CSV or JSON");
    cmd->add_option("--format", opts->format,
                    "ics (one event per occurrence), csv or json (one entry per post); "
                    "default: from -o's extension")
        ->check(CLI::IsMember({"ics", "csv", "json"}));
    cmd->add_option("-o,--output", opts->output, "Write to this file (atomically); default stdout");
    cmd->add_option("--week", opts->period.week, "Only this ISO week, e.g. 2026-W48");
    cmd->add_option("--month", opts->period.month, "Only this month, e.g. 2026-11");
    cmd->add_option("--from", opts->period.from, "From this day on, e.g. 2026-11-23");
    cmd->add_option("--to", opts->period.to, "Up to this day, inclusive");
    cmd->add_option("--channel", opts->filter.channels, "Only posts to this account (repeatable)");
    cmd->add_option("--status", opts->filter.statuses,
                    "Only this status: draft, ready, cancelled (repeatable)")
        ->check(CLI::IsMember({"draft", "ready", "cancelled"}));
    cmd->add_option("--category", opts->filter.categories, "Only this category (repeatable)");
    cmd->add_option("--campaign", opts->filter.campaigns, "Only this campaign (repeatable)");
    cmd->footer(
        "Default: every post. ICS has one event per occurrence (recurring posts expanded), with\n"
        "stable UIDs so re-importing updates events; its descriptions include the internal\n"
        "notes: share it with the team, not the public. CSV and JSON have one entry per post\n"
        "with every field, and `cmtool plan import` reads them back.\n\n"
        "Examples:\n"
        "  cmtool plan export -o equipe.ics --from 2026-11-01\n"
        "  cmtool plan export --format csv --month 2026-12 > decembre.csv\n"
        "  cmtool plan export --format json --campaign black-friday-2026");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_export(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
