// `cmtool plan new`: add one post to the calendar from the command line, checked first.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "app.hpp"
#include "cmtool/calendar/findings_format.hpp"
#include "cmtool/calendar/new_post.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"
#include "editor.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

namespace fs = std::filesystem;

struct NewOptions {
    std::string at;
    std::vector<std::string> channels;
    std::string text;
    std::string text_file;
    std::string id;
    std::string status = "ready";
    std::string category;
    std::string campaign;
    std::string link;
    std::vector<std::string> media;
    std::vector<std::string> thread;
    std::string file;
    bool dry_run = false;
    std::string format = "text";
    const CLI::Option* text_opt = nullptr;  // --text "" is a text (an empty one), not "none"
};

std::string strip_right(std::string s) {
    while (!s.empty() && std::string_view(" \t\r\n").find(s.back()) != std::string_view::npos) {
        s.pop_back();
    }
    return s;
}

Result<std::string> read_text(const NewOptions& o) {
    if (o.text_opt->count() > 0) {
        return strip_right(o.text);
    }
    if (o.text_file == "-") {
        auto in = util::read_stdin();
        if (!in) {
            return fail(std::move(in).error());
        }
        return strip_right(*in);
    }
    if (!o.text_file.empty()) {
        auto content = util::read_file(o.text_file);
        if (!content) {
            return fail(ErrorCode::usage, content.error().message);
        }
        return strip_right(std::move(*content));
    }
    return text_from_editor(fmt::format("New post: {} on {}", o.at, util::join(o.channels, ", ")));
}

// `--media FILE[:alt]`: a FILE found from the current folder is made workspace-relative.
calendar::MediaItem media_item(const std::string& spec, const fs::path& root) {
    const auto colon = spec.find(':');
    calendar::MediaItem m;
    m.file = spec.substr(0, colon);
    m.alt = colon == std::string::npos ? std::string()
                                       : std::string(util::trim(spec.substr(colon + 1)));
    std::error_code ec;
    if (!fs::path(m.file).is_absolute() && fs::exists(m.file, ec)) {
        m.file = util::display_path(fs::absolute(m.file, ec), root);
    }
    return m;
}

Result<calendar::NewPostRequest> build_request(const NewOptions& o,
                                               const calendar::WorkspaceConfig& ws) {
    calendar::NewPostRequest req;
    calendar::Post& p = req.post;
    p.id = o.id;
    p.at.text = o.at;
    p.channels = o.channels;
    p.status = o.status == "draft"       ? calendar::PostStatus::draft
               : o.status == "cancelled" ? calendar::PostStatus::cancelled
                                         : calendar::PostStatus::ready;
    p.category = o.category;
    p.campaign = o.campaign;
    p.link = o.link;
    p.thread = o.thread;
    for (const auto& m : o.media) {
        p.media.push_back(media_item(m, ws.root));
    }
    if (!o.file.empty()) {
        std::error_code ec;
        req.file = fs::absolute(o.file, ec);
    }
    auto text = read_text(o);
    if (!text) {
        return fail(std::move(text).error());
    }
    p.text = std::move(*text);
    return req;
}

std::string findings_for_humans(const calendar::NewPostReport& r,
                                const calendar::WorkspaceConfig& ws) {
    calendar::ValidationReport v;
    v.findings = r.findings;
    const Style s{use_color(Stream::err)};
    calendar::TextStyle ts;
    ts.error = [s](std::string_view x) { return s.red(x); };
    ts.warning = [s](std::string_view x) { return s.yellow(x); };
    ts.dim = [s](std::string_view x) { return s.dim(x); };
    const auto root = ws.root;
    return calendar::findings_text(
        v, [&root](const std::string& f) { return path_for_humans((root / f).string()); }, ts);
}

nlohmann::json render_json(const calendar::NewPostReport& r, const NewOptions& o) {
    calendar::ValidationReport v;
    v.findings = r.findings;
    auto findings = calendar::findings_json(v, [](const std::string& f) { return f; });
    return {{"id", r.id},
            {"file", r.file},
            {"line", r.line},
            {"created_file", r.created_file},
            {"written", r.written},
            {"dry_run", o.dry_run},
            {"yaml", r.yaml},
            {"errors", r.errors},
            {"findings", findings["findings"]}};
}

int run_new(const NewOptions& o, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto req = build_request(o, *ws);
    if (!req) {
        return report_error(req.error());
    }
    auto report =
        calendar::add_new_post(*ws, *req, o.dry_run ? calendar::DryRun::yes : calendar::DryRun::no);
    if (!report) {
        return report_error(report.error());
    }
    const std::string where =
        fmt::format("{}:{}", path_for_humans(report->path.string()), report->line);
    if (o.format == "json") {
        write_stdout(render_json(*report, o).dump(2) + "\n");
    }
    if (o.format != "json" || report->errors > 0) {
        std::fputs(findings_for_humans(*report, *ws).c_str(), stderr);
    }
    if (report->errors > 0) {
        return report_error(
            Error{ErrorCode::invalid,
                  fmt::format("post `{}` not added: {} error{}; nothing written", report->id,
                              report->errors, report->errors == 1 ? "" : "s"),
                  "fix the flags above and run the command again"});
    }
    if (o.format == "json") {
        return k_exit_ok;
    }
    const char* created = report->created_file ? " (new file)" : "";
    if (o.dry_run) {
        write_stdout(report->yaml);
        fmt::print(stderr, "dry run: would add `{}` at {}{}; nothing written\n", report->id, where,
                   created);
    } else {
        write_stdout(fmt::format("{}: added post `{}`{}\n", where, report->id, created));
    }
    return k_exit_ok;
}

}  // namespace

void register_plan_new(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<NewOptions>();
    auto* cmd = plan.add_subcommand("new", "Add a post to its month's calendar file");
    cmd->add_option("--at", opts->at, "When: \"2026-12-04 09:00\" (workspace zone) or ISO 8601")
        ->required();
    cmd->add_option("--channel", opts->channels, "Account to publish to (repeatable, or a,b,c)")
        ->required()
        ->delimiter(',');
    auto* text = cmd->add_option("--text", opts->text, "The post's text");
    opts->text_opt = text;
    cmd->add_option("--text-file", opts->text_file, "Read the text from FILE (- = standard input)")
        ->excludes(text);
    cmd->add_option("--id", opts->id, "Post id (default: from the text's first words, unique)");
    cmd->add_option("--status", opts->status, "draft, ready (the default) or cancelled")
        ->check(CLI::IsMember({"draft", "ready", "cancelled"}));
    cmd->add_option("--category", opts->category, "One of the workspace's categories");
    cmd->add_option("--campaign", opts->campaign, "Campaign label, e.g. black-friday-2026");
    cmd->add_option("--link", opts->link, "URL appended to the text when published");
    cmd->add_option("--media", opts->media, "FILE[:alt text] to attach (repeatable)");
    cmd->add_option("--thread", opts->thread, "A follow-up post in the thread (repeatable)");
    cmd->add_option("--file", opts->file, "Calendar file to append to (default: the month's)");
    cmd->add_flag("--dry-run", opts->dry_run, "Print the YAML that would be added; write nothing");
    cmd->add_option("--format", opts->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    cmd->footer(
        "Without --text or --text-file, $VISUAL or $EDITOR opens to write the text. The post is\n"
        "checked like `plan validate` does before anything is written (exit 1 when it is not\n"
        "valid), then appended to calendar/YYYY/MM.yaml; the file's content is kept as it is.\n"
        "Like any post without `status:`, it is `ready` unless --status says otherwise.\n\n"
        "Examples:\n"
        "  cmtool plan new --at \"2026-12-04 09:00\" --channel masto,bsky --text \"Atelier "
        "ouvert\"\n"
        "  cmtool plan new --at \"2026-12-05 18:00\" --channel insta --status draft \\\n"
        "      --media media/lampe.jpg:\"Lampe en laiton\" --text-file post.txt\n"
        "  echo \"Nouveautés en ligne\" | cmtool plan new --at \"2026-12-06 10:00\" --channel x "
        "--text-file - --dry-run");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_new(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
