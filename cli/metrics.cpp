// `cmtool metrics export`: the snapshot history for spreadsheets (docs/metrics.md).
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/period.hpp"
#include "cmtool/metrics/export.hpp"
#include "cmtool/util/files.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ExportFlags {
    std::string format = "csv";
    std::string kind = "posts";
    std::string from;
    std::string to;
    std::string account;
    std::string output;
};

int run_export(const ExportFlags& f, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    metrics::ExportOptions o;
    o.format = f.format == "json" ? metrics::ExportFormat::json : metrics::ExportFormat::csv;
    o.kind = f.kind == "accounts" ? metrics::ExportKind::accounts : metrics::ExportKind::posts;
    if (!f.account.empty()) {
        if (auto a = calendar::require_account(*ws, f.account); !a) {
            return report_error(a.error());
        }
        o.filter.account = f.account;
    }
    if (!f.from.empty()) {
        auto day = calendar::parse_day(f.from);
        if (!day) {
            return report_error(day.error());
        }
        o.filter.from = calendar::make_period(*day, *day, *ws->zone, f.from).from;
    }
    if (!f.to.empty()) {
        auto day = calendar::parse_day(f.to);
        if (!day) {
            return report_error(day.error());
        }
        o.filter.to = calendar::make_period(*day, *day, *ws->zone, f.to).to;  // inclusive
    }
    if (!std::filesystem::exists(ws->state_path() / store::k_state_db_file)) {
        return report_error(Error{ErrorCode::not_found, "no metrics yet in this workspace",
                                  "run `cmtool pull-metrics` first"});
    }
    auto db = store::Store::open(ws->state_path());
    if (!db) {
        return report_error(db.error());
    }
    auto doc = metrics::export_metrics(*db, *ws, o);
    if (!doc) {
        return report_error(doc.error());
    }
    if (f.output.empty() || f.output == "-") {
        write_stdout(*doc);
        return k_exit_ok;
    }
    if (auto w = util::write_file_atomic(f.output, *doc); !w) {
        return report_error(w.error());
    }
    if (!g.quiet) {
        fmt::print(stderr, "wrote {}\n", f.output);
    }
    return k_exit_ok;
}

}  // namespace

void register_metrics(CLI::App& app, Context& ctx) {
    auto* metrics = app.add_subcommand("metrics", "The pulled metrics history");
    metrics->require_subcommand(1);
    auto f = std::make_shared<ExportFlags>();
    auto* cmd = metrics->add_subcommand("export", "Dump the snapshot history as CSV or JSON");
    cmd->add_option("--format", f->format, "Output: csv, json")
        ->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--kind", f->kind, "CSV rows: posts (post snapshots) or accounts (followers)")
        ->check(CLI::IsMember({"posts", "accounts"}));
    cmd->add_option("--from", f->from, "Snapshots taken from this day, e.g. 2026-11-01");
    cmd->add_option("--to", f->to, "Snapshots taken up to this day, inclusive");
    cmd->add_option("--account", f->account, "Only this account");
    cmd->add_option("-o,--output", f->output, "Write to this file (atomically); default stdout");
    cmd->footer(
        "One row per snapshot: when it was taken, the post (account, platform id, url, calendar\n"
        "post, planned or not, publication time) and its counters; an empty cell (null in JSON)\n"
        "is a counter the platform does not provide. `fields` names the platform field of each.\n\n"
        "Examples:\n"
        "  cmtool metrics export --format csv --from 2026-11-01 --to 2026-11-30 -o nov.csv\n"
        "  cmtool metrics export --kind accounts --format csv\n"
        "  cmtool metrics export --format json --account masto");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_export(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
