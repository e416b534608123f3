// `cmtool report`: the KPI report of a week, a month, a range or a campaign, in French or
// English, for terminals (text), documents (markdown, html) and machines (csv, json).
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "app.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/report/render.hpp"
#include "cmtool/report/report.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/files.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ReportCliOptions {
    calendar::PeriodFlags period;
    std::string compare = "previous";
    std::string campaign;
    std::string format;  // text, markdown, html, csv, json; empty: from -o's extension, else text
    std::string output;  // empty or "-": stdout
    std::string lang;    // fr, en; empty: the workspace's
};

Result<std::string> choose_format(const ReportCliOptions& o) {
    if (!o.format.empty()) {
        return o.format;
    }
    const auto ext = std::filesystem::path(o.output).extension().string();
    if (ext == ".html" || ext == ".htm") {
        return std::string("html");
    }
    if (ext == ".md") {
        return std::string("markdown");
    }
    if (ext == ".csv" || ext == ".json") {
        return ext.substr(1);
    }
    return std::string("text");
}

Result<calendar::Period> report_period(const ReportCliOptions& o,
                                       const std::vector<calendar::Post>& posts,
                                       const calendar::WorkspaceConfig& ws,
                                       std::chrono::sys_seconds now) {
    const auto& f = o.period;
    const bool given = !f.week.empty() || !f.month.empty() || !f.from.empty() || !f.to.empty();
    if (!o.campaign.empty()) {
        if (given) {
            return fail(ErrorCode::usage, "--campaign reports the campaign's whole span",
                        "leave out --week, --month, --from and --to with --campaign");
        }
        return report::campaign_period(posts, ws, o.campaign);
    }
    if (!given) {
        return report::default_report_period(now, *ws.zone);
    }
    return calendar::resolve_period(f, now, *ws.zone, -7);
}

report::TextStyle text_style() {
    report::TextStyle ts;
    const Style st{use_color(Stream::out)};
    if (!st.on) {
        return ts;
    }
    ts.bold = [st](std::string_view s) { return st.bold(s); };
    ts.warn = [st](std::string_view s) { return st.yellow(s); };
    ts.dim = [st](std::string_view s) { return st.dim(s); };
    return ts;
}

std::string render(const std::string& format, const report::Report& r,
                   const calendar::WorkspaceConfig& ws, util::Lang lang, bool to_file) {
    if (format == "json") {
        return report::report_json(r, ws).dump(2) + "\n";
    }
    if (format == "csv") {
        return report::report_csv(r, ws);
    }
    if (format == "markdown") {
        return report::report_markdown(r, ws, lang);
    }
    if (format == "html") {
        return report::report_html(r, ws, lang);
    }
    return report::report_text(r, ws, lang, to_file ? report::TextStyle{} : text_style());
}

int run_report(const ReportCliOptions& o, const GlobalOptions& g) {
    auto format = choose_format(o);
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(*ws, diags);
    if (!posts) {
        return report_error(posts.error());
    }
    if (diags.error_count() > 0 && !g.quiet) {
        fmt::print(stderr,
                   "cmtool: warning: the calendar has {} error(s); categories and campaigns of "
                   "posts that could not be read are unknown\nhint: run `cmtool plan validate`\n",
                   diags.error_count());
    }
    auto period = report_period(o, *posts, *ws, *now);
    if (!period) {
        return report_error(period.error());
    }
    auto store = store::Store::open(ws->state_path());
    if (!store) {
        return report_error(store.error());
    }
    report::ReportOptions ro;
    ro.period = *period;
    ro.campaign = o.campaign;
    ro.compare = o.compare == "none" || !o.campaign.empty() ? report::Compare::none
                                                            : report::Compare::previous;
    auto r = report::build_report(*ws, *posts, *store, ro, *now);
    if (!r) {
        return report_error(r.error());
    }
    const auto lang = util::parse_lang(o.lang.empty() ? ws->lang : o.lang);
    const bool to_file = !o.output.empty() && o.output != "-";
    const auto doc = render(*format, *r, *ws, lang, to_file);
    if (!to_file) {
        write_stdout(doc);
    } else if (auto w = util::write_file_atomic(o.output, doc); !w) {
        return report_error(w.error());
    } else if (!g.quiet) {
        fmt::print(stderr, "wrote the {} report for {} to {}\n", *format, r->period.label,
                   o.output);
    }
    if (!r->has_metrics() && !g.quiet && *format != "text") {
        fmt::print(stderr, "cmtool: no metrics for {}\nhint: run `cmtool pull-metrics` first\n",
                   r->period.label);
    }
    return k_exit_ok;
}

}  // namespace

void register_report(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ReportCliOptions>();
    auto* cmd = app.add_subcommand(
        "report", "KPI report of a period: posts, engagement, audience, best times, plan kept");
    cmd->add_option("--week", opts->period.week, "ISO week, e.g. 2026-W47");
    cmd->add_option("--month", opts->period.month, "Month, e.g. 2026-11");
    cmd->add_option("--from", opts->period.from, "First day, e.g. 2026-11-01");
    cmd->add_option("--to", opts->period.to, "Last day, inclusive (default: 7 days from --from)");
    cmd->add_option("--campaign", opts->campaign,
                    "Only this campaign's posts, over its whole span (no comparison)");
    cmd->add_option("--compare", opts->compare,
                    "previous: each figure beside the previous period of the same length; none")
        ->check(CLI::IsMember({"previous", "none"}))
        ->default_str("previous");
    cmd->add_option("--format", opts->format,
                    "text, markdown, html, csv, json; default: from -o's extension, else text")
        ->check(CLI::IsMember({"text", "markdown", "html", "csv", "json"}));
    cmd->add_option("-o,--output", opts->output, "Write to this file (atomically); default stdout");
    cmd->add_option("--lang", opts->lang,
                    "Language of labels, dates and numbers (default: the "
                    "workspace's `lang`)")
        ->check(CLI::IsMember({"fr", "en"}));
    cmd->footer(
        "Default period: the last full ISO week, in the workspace time zone. Counters come from\n"
        "the snapshot store (`cmtool pull-metrics`): for each post, its latest snapshot at or\n"
        "before the end of the period. A figure a platform does not provide is shown as\n"
        "unavailable, never as 0; a period without metrics says so and exits 0. Every figure is\n"
        "defined in docs/kpis.md.\n\n"
        "Examples:\n"
        "  cmtool report\n"
        "  cmtool report --month 2026-11 -o rapport-novembre.html\n"
        "  cmtool report --week 2026-W47 --lang en --format markdown\n"
        "  cmtool report --campaign black-friday-2026 --format json");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_report(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
