// `cmtool plan validate [PATH...]`: the CI check on every pull request.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "app.hpp"
#include "cmtool/calendar/findings_format.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/validate.hpp"
#include "cmtool/publish/sent_changes.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ValidateOptions {
    std::vector<std::string> paths;
    std::string format = "text";
    bool strict = false;
    unsigned jobs = 0;
};

// With a local ledger (where `cmtool publish` runs), the posts edited after they were sent.
Result<std::vector<calendar::Finding>> sent_change_findings(const calendar::WorkspaceConfig& ws) {
    if (!std::filesystem::exists(ws.state_path() / "state.db")) {
        return std::vector<calendar::Finding>{};
    }
    auto db = store::Store::open(ws.state_path());
    if (!db) {
        return fail(std::move(db).error());
    }
    store::Ledger ledger(*db);
    calendar::Diagnostics ignored;  // loading problems are reported by validate itself
    auto posts = calendar::load_posts(ws, ignored);
    if (!posts) {
        return fail(std::move(posts).error());
    }
    return publish::sent_changes(*posts, ws, ledger);
}

int run_validate(const ValidateOptions& o, const GlobalOptions& g) {
    calendar::Diagnostics config_diags;
    auto ws = open_workspace(g, config_diags);
    if (!ws) {
        return report_error(ws.error());
    }
    calendar::ValidateOptions vo;
    vo.jobs = o.jobs;
    for (const auto& p : o.paths) {
        vo.paths.emplace_back(p);
    }
    auto report = calendar::validate(*ws, std::move(config_diags), vo);
    if (!report) {
        return report_error(report.error());
    }
    if (auto sent = sent_change_findings(*ws); !sent) {
        return report_error(sent.error());
    } else if (!sent->empty()) {
        report->warnings += sent->size();
        report->findings.insert(report->findings.end(), sent->begin(), sent->end());
        std::stable_sort(report->findings.begin(), report->findings.end(), calendar::finding_less);
    }
    const auto root = ws->root;
    const calendar::PathMapper path = [&root](const std::string& f) {
        return path_for_humans((root / f).lexically_normal().string());
    };
    if (o.format == "json") {
        write_stdout(calendar::findings_json(*report, path).dump(2) + "\n");
    } else if (o.format == "github") {
        write_stdout(calendar::findings_github(*report, path));
    } else {
        const Style s{use_color(Stream::out)};
        calendar::TextStyle ts;
        ts.error = [s](std::string_view x) { return s.red(x); };
        ts.warning = [s](std::string_view x) { return s.yellow(x); };
        ts.dim = [s](std::string_view x) { return s.dim(x); };
        write_stdout(calendar::findings_text(*report, path, ts));
    }
    const bool failed = report->errors > 0 || (o.strict && report->warnings > 0);
    if (!g.quiet || failed) {
        const Style s{use_color(Stream::err)};
        const auto plural = [](std::size_t n, const char* one) {
            return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s");
        };
        const std::string counts =
            fmt::format("{} in {}", plural(report->posts, "post"), plural(report->files, "file"));
        if (report->errors == 0 && report->warnings == 0) {
            fmt::print(stderr, "{} {}: no problems found\n", s.green("ok:"), counts);
        } else {
            fmt::print(stderr, "{} {}, {} ({})\n", failed ? s.red("invalid:") : s.yellow("ok:"),
                       plural(report->errors, "error"), plural(report->warnings, "warning"),
                       counts);
        }
    }
    return failed ? k_exit_failure : k_exit_ok;
}

}  // namespace

void register_plan_validate(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<ValidateOptions>();
    auto* cmd =
        plan.add_subcommand("validate", "Check calendar files against every platform's rules");
    cmd->add_option("paths", opts->paths,
                    "Files or folders (default: the workspace's calendar globs)");
    cmd->add_option("--format", opts->format,
                    "Output: text (compiler style), json, github (annotations)")
        ->check(CLI::IsMember({"text", "json", "github"}))
        ->default_str("text");
    cmd->add_flag("--strict", opts->strict, "Fail (exit 1) on warnings too");
    cmd->add_option("-j,--jobs", opts->jobs, "Worker threads (default: one per core)");
    cmd->footer(
        "Exit status: 0 valid, 1 errors found (or warnings with --strict), 2 "
        "usage/configuration.\n\n"
        "Examples:\n"
        "  cmtool plan validate\n"
        "  cmtool plan validate calendar/2026/12.yaml --strict\n"
        "  cmtool plan validate --format github      # annotations in a GitHub Actions job");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_validate(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
