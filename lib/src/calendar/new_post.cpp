// `plan new`: the post is checked on its own (as the one post of a calendar document, its
// positions shifted to where it will land) and against the workspace's ids, then handed to
// append_posts, which owns the file format: one way to add posts, shared with `plan import`.
#include "cmtool/calendar/new_post.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/calendar/validate.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/slug.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_id_length = 40;

// The instant that decides the post's month. A wall-clock time skipped by a DST change is
// still a valid day: its noon stands in, and the rules report the time itself.
Result<std::chrono::sys_seconds> month_instant(const std::string& at, const WorkspaceConfig& ws) {
    Diagnostics d;
    if (auto t = resolve_time(at, ws, d, "--at", {}, {})) {
        return t->utc;
    }
    const Finding& f = d.findings().front();
    if (f.rule != "nonexistent-time") {
        return fail(ErrorCode::usage, fmt::format("--at: {}", f.message), f.hint);
    }
    const auto ymd = date::year{std::stoi(at.substr(0, 4))} /
                     date::month{static_cast<unsigned>(std::stoi(at.substr(5, 2)))} /
                     date::day{static_cast<unsigned>(std::stoi(at.substr(8, 2)))};
    return ws.zone->to_sys(date::local_days{ymd} + std::chrono::hours(12), date::choose::earliest);
}

// Every post id of the workspace and where it is ("calendar/2026/12.yaml:4:9").
Result<std::map<std::string, std::string>> workspace_ids(const WorkspaceConfig& ws) {
    Diagnostics ignored;  // problems in other posts are `plan validate`'s business
    auto posts = load_posts(ws, ignored);
    if (!posts) {
        return fail(std::move(posts).error());
    }
    std::map<std::string, std::string> out;
    for (const auto& p : *posts) {
        const Pos pos = p.where("id");
        out.emplace(p.id, fmt::format("{}:{}:{}", p.file, pos.line, pos.column));
    }
    return out;
}

// Line of the first `- id:` of `appended` once it follows `original`.
std::uint32_t item_line(const std::string& original, const std::string& appended) {
    std::uint32_t line = 1;
    for (const char c : original) {
        line += c == '\n' ? 1U : 0U;
    }
    if (!original.empty() && original.back() != '\n' && (appended.empty() || appended[0] != '\n')) {
        ++line;  // append_posts ends the last line first
    }
    for (const auto& l : util::split(appended, '\n')) {
        if (util::trim(l).rfind("- id:", 0) == 0) {
            break;
        }
        ++line;
    }
    return line;
}

// The rules on the post alone, and its id against the workspace; positions as in the file.
Diagnostics check_new_post(const Post& post, const std::string& file, std::uint32_t line,
                           const WorkspaceConfig& ws,
                           const std::map<std::string, std::string>& ids) {
    Diagnostics diags;
    const CalendarFile cf = parse_calendar("posts:\n" + post_to_yaml(post, ws), file, ws, diags);
    MediaProbe probe(ws.root);
    for (const Post& p : cf.posts) {
        check_post(p, ws, probe, diags);
        if (const auto it = ids.find(p.id); it != ids.end()) {
            diags.error("duplicate-id", file, p.where("id"),
                        fmt::format("post id `{}` is already used at {}", p.id, it->second), p.id,
                        {}, "choose another `--id`, or leave it out to get a free one");
        }
    }
    for (Finding& f : diags.findings()) {
        if (f.pos.line >= 2) {
            f.pos.line += line - 2;  // the document's item starts on its line 2
        }
    }
    std::stable_sort(diags.findings().begin(), diags.findings().end(), finding_less);
    return diags;
}

}  // namespace

std::string new_post_id(std::string_view text, const std::set<std::string>& taken) {
    std::vector<std::string> words;
    for (const auto& line : util::split(text, '\n')) {
        for (const auto& w : util::split(util::replace_all(line, "\t", " "), ' ')) {
            if (w.find("://") == std::string::npos && w.rfind("www.", 0) != 0) {
                words.push_back(w);
            }
        }
    }
    std::string base = util::slugify(util::join(words, " "), k_id_length);
    if (base.empty()) {
        base = "post";
    }
    std::string id = base;
    for (int n = 2; taken.count(id) != 0; ++n) {
        id = fmt::format("{}-{}", base, n);
    }
    return id;
}

Result<NewPostReport> add_new_post(const WorkspaceConfig& ws, const NewPostRequest& req,
                                   DryRun dry_run) {
    Post post = req.post;
    post.at.text = std::string(util::trim(post.at.text));
    post.at.utc = {};  // written as given: an offset that picks one of two instants is kept
    auto instant = month_instant(post.at.text, ws);
    if (!instant) {
        return fail(std::move(instant).error());
    }
    auto ids = workspace_ids(ws);
    if (!ids) {
        return fail(std::move(ids).error());
    }
    if (post.id.empty()) {
        std::set<std::string> taken;
        for (const auto& [id, where] : *ids) {
            taken.insert(id);
        }
        post.id = new_post_id(post.text, taken);
    }
    fs::path target;
    if (req.file) {
        target = req.file->is_absolute() ? *req.file : ws.root / *req.file;
    } else {
        Post dated = post;
        dated.at.utc = *instant;
        target = ws.root / month_file(dated, ws);
    }
    auto planned = append_posts(ws, {post}, target, DryRun::yes);
    if (!planned) {
        return fail(std::move(planned).error());
    }
    const AppendResult& a = planned->front();
    if (!a.in_calendar) {
        return fail(ErrorCode::usage,
                    fmt::format("{} is not one of the workspace's calendar files, so the post "
                                "would never be read",
                                a.file),
                    "pick a file the `calendar:` globs of cmtool.yaml match, or add a glob");
    }
    NewPostReport report;
    report.id = post.id;
    report.path = a.path;
    report.file = a.file;
    report.created_file = a.created;
    report.yaml = a.appended;
    const std::string original = a.created ? std::string() : util::read_file(a.path).value_or("");
    report.line = item_line(original, a.appended);
    Diagnostics diags = check_new_post(post, a.file, report.line, ws, *ids);
    report.errors = diags.error_count();
    report.findings = std::move(diags.findings());
    if (report.errors > 0 || dry_run == DryRun::yes) {
        return report;
    }
    auto written = append_posts(ws, {post}, target, DryRun::no);
    if (!written) {
        return fail(std::move(written).error());
    }
    report.written = true;
    return report;
}

}  // namespace cmtool::calendar
