// `cmtool plan import FILE`: posts from our CSV/JSON export or a Hootsuite bulk-composer CSV,
// every row checked first; all or nothing unless --skip-invalid.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "app.hpp"
#include "cmtool/calendar/append.hpp"
#include "cmtool/calendar/import.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/util/files.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ImportOptions {
    std::string path;
    calendar::ImportFormat format = calendar::ImportFormat::auto_detect;
    calendar::DateOrder date_order = calendar::DateOrder::detect;
    bool dry_run = false;
    bool skip_invalid = false;
    std::vector<std::string> channels;
    std::string status;
    std::string file;
};

Result<std::string> read_input(const std::string& path) {
    if (path == "-") {
        return util::read_stdin();
    }
    return util::read_file(path);
}

std::string plural(std::size_t n, const char* one) {
    return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s");
}

// Rejected rows (always shown: they are why nothing was written), then notes and warnings.
void print_findings(const calendar::ImportReport& r, const std::string& source, bool quiet) {
    const Style s{use_color(Stream::err)};
    const auto where = [&source](const calendar::RowRef& row) {
        return row.line > 0 ? fmt::format("{}:{}", source, row.line)
                            : fmt::format("{}: {}", source, row.label());
    };
    for (const auto& rej : r.rejected) {
        for (const auto& reason : rej.reasons) {
            fmt::print(stderr, "{}: {} {}\n", where(rej.row), s.red("error:"), reason);
        }
    }
    if (quiet) {
        return;
    }
    for (const auto& note : r.notes) {
        fmt::print(stderr, "{}: {} {}\n", source, s.blue("note:"), note);
    }
    for (const auto& a : r.accepted) {
        for (const auto& w : a.warnings) {
            fmt::print(stderr, "{}: {} {}\n", where(a.row), s.yellow("warning:"), w);
        }
    }
}

std::string files_summary(const std::vector<calendar::AppendResult>& results) {
    std::string out;
    for (const auto& r : results) {
        out += fmt::format("{}{} (+{}{})", out.empty() ? "" : ", ", r.file, r.posts,
                           r.created ? ", new file" : "");
    }
    return out;
}

int write_posts(const calendar::WorkspaceConfig& ws, const calendar::ImportReport& report,
                const ImportOptions& o, const GlobalOptions& g) {
    std::vector<calendar::Post> posts;
    for (const auto& a : report.accepted) {
        posts.push_back(a.post);
    }
    std::optional<std::filesystem::path> target;
    if (!o.file.empty()) {
        target = o.file;
    }
    auto results = calendar::append_posts(ws, posts, target,
                                          o.dry_run ? calendar::DryRun::yes : calendar::DryRun::no);
    if (!results) {
        return report_error(results.error());
    }
    const Style s{use_color(Stream::err)};
    for (const auto& r : *results) {
        if (o.dry_run) {
            write_stdout(fmt::format("# {}: {} ({})\n{}", r.file, plural(r.posts, "post"),
                                     r.created ? "new file" : "appended", r.appended));
        }
        if (!r.in_calendar) {
            fmt::print(stderr,
                       "cmtool: {} {} is not matched by `calendar` in cmtool.yaml: cmtool will "
                       "not read these posts\nhint: choose a file with --file, or add a glob\n",
                       s.yellow("warning:"), r.file);
        }
    }
    const std::string skipped =
        report.rejected.empty()
            ? std::string()
            : fmt::format("; {} rejected (listed above)", plural(report.rejected.size(), "row"));
    if (!g.quiet || !report.rejected.empty()) {
        fmt::print(stderr, "{} {} {}: {}{}\n", s.green(o.dry_run ? "dry run:" : "ok:"),
                   o.dry_run ? "would import" : "imported", plural(posts.size(), "post"),
                   files_summary(*results), skipped);
    }
    return k_exit_ok;
}

int run_import(const ImportOptions& o, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto content = read_input(o.path);
    if (!content) {
        return report_error(content.error());
    }
    calendar::Diagnostics diags;
    auto existing = calendar::load_posts(*ws, diags);
    if (!existing) {
        return report_error(existing.error());
    }
    calendar::ImportOptions io;
    io.format = o.format;
    io.date_order = o.date_order;
    io.channels = o.channels;
    io.source_name = o.path;
    if (!o.status.empty()) {
        io.status = o.status == "ready" ? calendar::PostStatus::ready : calendar::PostStatus::draft;
    }
    const std::string source = o.path == "-" ? "<stdin>" : path_for_humans(o.path);
    auto report = calendar::read_import(*content, *ws, *existing, io);
    if (!report) {
        Error e = std::move(report).error();
        e.message = fmt::format("{}: {}", source, e.message);
        return report_error(e);
    }
    print_findings(*report, source, g.quiet);
    if (!report->rejected.empty() && !o.skip_invalid) {
        return report_error(
            Error{ErrorCode::invalid,
                  fmt::format("{}: {} of {} rejected; nothing {}", source,
                              plural(report->rejected.size(), "row"), report->rows,
                              o.dry_run ? "would be written" : "written"),
                  fmt::format("fix them, or pass --skip-invalid to import the {} valid one(s)",
                              report->accepted.size())});
    }
    if (report->accepted.empty()) {
        if (!g.quiet || !report->rejected.empty()) {
            fmt::print(stderr, "nothing to import from {}\n", source);
        }
        return report->rejected.empty() ? k_exit_ok : k_exit_failure;
    }
    return write_posts(*ws, *report, o, g);
}

}  // namespace

void register_plan_import(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<ImportOptions>();
    auto* cmd = plan.add_subcommand(
        "import", "Add posts from a CSV or JSON export, or a Hootsuite bulk-composer CSV");
    cmd->add_option("file", opts->path, "The file to read (- for stdin)")->required();
    const std::map<std::string, calendar::ImportFormat> formats = {
        {"auto", calendar::ImportFormat::auto_detect},
        {"csv", calendar::ImportFormat::csv},
        {"hootsuite", calendar::ImportFormat::hootsuite},
        {"json", calendar::ImportFormat::json}};
    cmd->add_option("--format", opts->format, "auto (default), csv, hootsuite, json")
        ->transform(CLI::CheckedTransformer(formats));
    const std::map<std::string, calendar::DateOrder> orders = {{"dmy", calendar::DateOrder::dmy},
                                                               {"mdy", calendar::DateOrder::mdy}};
    cmd->add_option("--date-format", opts->date_order,
                    "Hootsuite dates: dmy (27/11/2026) or mdy (11/27/2026); default: detect")
        ->transform(CLI::CheckedTransformer(orders));
    cmd->add_flag("--dry-run", opts->dry_run,
                  "Print the YAML that would be appended; write nothing");
    cmd->add_flag("--skip-invalid", opts->skip_invalid,
                  "Import the valid rows even when some are rejected");
    cmd->add_option("--channel", opts->channels,
                    "Publish to this account (repeatable); required for Hootsuite files, "
                    "replaces the channels of CSV/JSON rows");
    cmd->add_option("--status", opts->status,
                    "Status of the imported posts (default: as in the file; draft for Hootsuite)")
        ->check(CLI::IsMember({"draft", "ready"}));
    cmd->add_option("--file", opts->file,
                    "Append every post to this calendar file (default: calendar/YYYY/MM.yaml "
                    "by month)");
    cmd->footer(
        "Every row is checked like `plan validate` checks a post; an id that already exists is\n"
        "rejected, never overwritten. If any row is rejected nothing is written (exit 1), unless\n"
        "--skip-invalid: the valid rows are written, the rejected listed, exit 0. Existing\n"
        "calendar files keep their content byte for byte; posts are appended.\n\n"
        "Examples:\n"
        "  cmtool plan import export.json --dry-run\n"
        "  cmtool plan import hootsuite.csv --channel masto --channel bsky --date-format dmy\n"
        "  cmtool plan import posts.csv --skip-invalid --file calendar/2026/import.yaml");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_import(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
