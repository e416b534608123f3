// Appending posts to calendar files without touching what is there: the new items are added
// after the last byte, indented like the file's own items, and the result is re-read to prove
// the file now holds its old posts followed by the new ones before anything is written.
#include "cmtool/calendar/append.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;

namespace {

struct Pending {
    AppendResult result;
    std::string old_content;
    std::vector<const Post*> posts;
};

Result<fs::path> resolve_target(const WorkspaceConfig& ws, const fs::path& target) {
    fs::path root = ws.root.lexically_normal();
    if (!root.has_filename()) {
        root = root.parent_path();  // "dir/" → "dir", so that lexically_relative works
    }
    const fs::path abs = (target.is_absolute() ? target : root / target).lexically_normal();
    const fs::path rel = abs.lexically_relative(root);
    if (rel.empty() || *rel.begin() == ".." || rel == ".") {
        return fail(
            ErrorCode::usage,
            fmt::format("{}: not inside the workspace {}", target.string(), ws.root.string()),
            "give a path relative to the folder holding cmtool.yaml");
    }
    if (abs.extension() != ".yaml" && abs.extension() != ".yml") {
        return fail(ErrorCode::usage,
                    fmt::format("{}: a calendar file ends in .yaml", rel.string()));
    }
    return abs;
}

// Indentation of the items of `posts:` (the first `-` after the key); 2 when there are none.
std::size_t item_indent(std::string_view content) {
    bool in_posts = false;
    for (const auto& line : util::split(content, '\n')) {
        if (!in_posts) {
            in_posts = line.rfind("posts:", 0) == 0;
            continue;
        }
        const auto first = line.find_first_not_of(" \r");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        if (line[first] == '-' && (first + 1 == line.size() || line[first + 1] == ' ')) {
            return first;
        }
        break;
    }
    return 2;
}

// post_to_yaml indents items by two spaces; shift every non-empty line to `indent`.
std::string reindent(const std::string& yaml, std::size_t indent) {
    if (indent == 2) {
        return yaml;
    }
    std::string out;
    for (const auto& line : util::split(yaml, '\n')) {
        if (!line.empty()) {
            out += indent > 2 ? std::string(indent - 2, ' ') + line : line.substr(2 - indent);
        }
        out += '\n';
    }
    out.pop_back();  // split() yields an empty last piece after the final newline
    return out;
}

// `posts: []` (an empty flow list, as `cmtool init` or a person may leave it) becomes `posts:`
// so that block items can follow; a comment after it is kept. The only change ever made to
// existing bytes, and only to that line.
std::string open_empty_list(std::string content) {
    const bool at_start = content.rfind("posts:", 0) == 0;
    const auto key = at_start ? 0 : content.find("\nposts:");
    if (key == std::string::npos) {
        return content;
    }
    const auto begin = at_start ? 0 : key + 1;
    const auto end = std::min(content.find('\n', begin), content.size());
    std::string line = content.substr(begin, end - begin);
    const bool cr = !line.empty() && line.back() == '\r';
    if (cr) {
        line.pop_back();
    }
    const auto comment = line.find(" #");
    const std::string value(util::trim(std::string_view(line).substr(
        6, comment == std::string::npos ? std::string::npos : comment - 6)));
    if (value.size() < 2 || value.front() != '[' ||
        util::trim(value.substr(1, value.size() - 2)) != "" || value.back() != ']') {
        return content;
    }
    std::string fixed =
        "posts:" + (comment == std::string::npos ? "" : line.substr(comment)) + (cr ? "\r" : "");
    return content.replace(begin, end - begin, fixed);
}

bool has_posts_key(std::string_view content) {
    return content.rfind("posts:", 0) == 0 || content.find("\nposts:") != std::string_view::npos;
}

// The text to add at the end of `old` so that `posts` follow the file's existing items.
std::string appended_text(const Pending& p, const WorkspaceConfig& ws) {
    const std::string& old = p.old_content;
    std::string items;
    for (const Post* post : p.posts) {
        items += post_to_yaml(*post, ws);
    }
    std::string out = (!old.empty() && old.back() != '\n') ? "\n" : "";
    if (!has_posts_key(old)) {
        out += "posts:\n" + items;
    } else {
        out += reindent(items, item_indent(old));
    }
    if (old.find("\r\n") != std::string::npos) {
        out = util::replace_all(std::move(out), "\n", "\r\n");
    }
    return out;
}

const Finding* syntax_error(const Diagnostics& d) {
    for (const auto& f : d.findings()) {
        if (f.rule == "yaml-syntax") {
            return &f;
        }
    }
    return nullptr;
}

// The new content must read back as the old posts followed by the new ones.
Result<void> verify(const Pending& p, const std::string& new_content, const WorkspaceConfig& ws) {
    Diagnostics before_diags;
    const auto before = parse_calendar(p.old_content, p.result.file, ws, before_diags);
    if (const Finding* f = syntax_error(before_diags)) {
        return fail(ErrorCode::invalid,
                    fmt::format("{}:{}:{}: not valid YAML: {}", f->file, f->pos.line, f->pos.column,
                                f->message),
                    "fix that file first (`cmtool plan validate`), or choose another with --file");
    }
    Diagnostics after_diags;
    const auto after = parse_calendar(new_content, p.result.file, ws, after_diags);
    bool ok = syntax_error(after_diags) == nullptr &&
              after.posts.size() == before.posts.size() + p.posts.size();
    for (std::size_t i = 0; ok && i < p.posts.size(); ++i) {
        ok = after.posts[before.posts.size() + i].id == p.posts[i]->id;
    }
    if (!ok) {
        return fail(ErrorCode::invalid,
                    fmt::format("cannot append to {}: its `posts:` is not a block list that new "
                                "posts can follow",
                                p.result.file),
                    "write `posts:` on its own line followed by `  - id: ...` items, or choose "
                    "another file with --file");
    }
    return {};
}

bool in_calendar(const WorkspaceConfig& ws, const std::string& rel) {
    return std::any_of(ws.calendar.begin(), ws.calendar.end(),
                       [&rel](const std::string& g) { return matches_calendar_glob(g, rel); });
}

}  // namespace

std::string month_file(const Post& post, const WorkspaceConfig& ws) {
    const date::year_month_day ymd{date::floor<date::days>(ws.zone->to_local(post.at.utc))};
    return fmt::format("calendar/{:04}/{:02}.yaml", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()));
}

Result<std::vector<AppendResult>> append_posts(const WorkspaceConfig& ws,
                                               const std::vector<Post>& posts,
                                               const std::optional<fs::path>& target_file,
                                               DryRun dry_run) {
    std::map<fs::path, Pending> files;
    for (const Post& post : posts) {
        auto path = resolve_target(ws, target_file ? *target_file : fs::path(month_file(post, ws)));
        if (!path) {
            return fail(std::move(path).error());
        }
        files[*path].posts.push_back(&post);
    }
    std::vector<std::pair<fs::path, std::string>> writes;
    std::vector<AppendResult> out;
    for (auto& [path, pending] : files) {
        std::error_code ec;
        pending.result.path = path;
        pending.result.file = util::display_path(path, ws.root);
        pending.result.created = !fs::exists(path, ec);
        if (!pending.result.created) {
            auto content = util::read_file(path);
            if (!content) {
                return fail(std::move(content).error());
            }
            pending.old_content = open_empty_list(std::move(*content));
        }
        pending.result.posts = pending.posts.size();
        pending.result.appended = appended_text(pending, ws);
        pending.result.in_calendar = in_calendar(ws, pending.result.file);
        const std::string new_content = pending.old_content + pending.result.appended;
        if (auto ok = verify(pending, new_content, ws); !ok) {
            return fail(std::move(ok).error());
        }
        writes.emplace_back(path, new_content);
        out.push_back(pending.result);
    }
    if (dry_run == DryRun::yes) {
        return out;
    }
    std::vector<std::string> written;
    for (const auto& [path, content] : writes) {
        if (auto w = util::write_file_atomic(path, content); !w) {
            Error e = std::move(w).error();
            if (!written.empty()) {
                e.hint = fmt::format("already written: {}", util::join(written, ", "));
            }
            return fail(std::move(e));
        }
        written.push_back(util::display_path(path, ws.root));
    }
    return out;
}

}  // namespace cmtool::calendar
