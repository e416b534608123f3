// Calendar files: glob expansion and the YAML → Post mapping, every problem a finding.
#include "cmtool/calendar/load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cmtool/util/files.hpp"
#include "post_reader.hpp"
#include "yaml_util.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;

namespace {

// Glob match on '/'-separated paths: `**` spans folders, `*` and `?` stay within one.
bool glob_match(std::string_view pat, std::string_view s) {
    if (pat.empty()) {
        return s.empty();
    }
    if (pat.substr(0, 3) == "**/") {
        for (std::size_t i = 0;;) {
            if (glob_match(pat.substr(3), s.substr(i))) {
                return true;
            }
            i = s.find('/', i);
            if (i == std::string_view::npos) {
                return false;
            }
            ++i;
        }
    }
    if (pat.substr(0, 2) == "**") {
        return true;
    }
    if (pat[0] == '*') {
        for (std::size_t i = 0; i <= s.size(); ++i) {
            if (glob_match(pat.substr(1), s.substr(i))) {
                return true;
            }
            if (i < s.size() && s[i] == '/') {
                return false;
            }
        }
        return false;
    }
    if (s.empty() || (pat[0] != '?' && pat[0] != s[0]) || (pat[0] == '?' && s[0] == '/')) {
        return false;
    }
    return glob_match(pat.substr(1), s.substr(1));
}

// The folder part of a pattern before its first wildcard.
std::string fixed_prefix(const std::string& pattern) {
    const auto wild = pattern.find_first_of("*?[");
    const auto cut = pattern.rfind('/', wild == std::string::npos ? pattern.size() : wild);
    return cut == std::string::npos ? std::string() : pattern.substr(0, cut);
}

bool is_yaml(const fs::path& p) {
    const auto ext = p.extension();
    return ext == ".yaml" || ext == ".yml";
}

}  // namespace

bool matches_calendar_glob(std::string_view pattern, std::string_view relative_path) {
    return glob_match(pattern, relative_path);
}

Result<std::vector<fs::path>> calendar_files(const WorkspaceConfig& ws,
                                             const std::vector<fs::path>& paths) {
    std::set<fs::path> out;
    std::error_code ec;
    if (!paths.empty()) {
        for (const auto& p : paths) {
            if (fs::is_directory(p, ec)) {
                for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
                     it.increment(ec)) {
                    if (it->is_regular_file(ec) && is_yaml(it->path())) {
                        out.insert(it->path().lexically_normal());
                    }
                }
            } else if (fs::exists(p, ec)) {
                out.insert(p.lexically_normal());
            } else {
                return fail(ErrorCode::usage,
                            fmt::format("{}: no such file or folder", p.string()));
            }
        }
        return std::vector<fs::path>(out.begin(), out.end());
    }
    for (const auto& pattern : ws.calendar) {
        const fs::path base = ws.root / fixed_prefix(pattern);
        if (!fs::is_directory(base, ec)) {
            continue;
        }
        for (auto it = fs::recursive_directory_iterator(base, ec); !ec && it != fs::end(it);
             it.increment(ec)) {
            if (!it->is_regular_file(ec)) {
                continue;
            }
            const std::string rel = it->path().lexically_relative(ws.root).generic_string();
            if (glob_match(pattern, rel)) {
                out.insert(it->path().lexically_normal());
            }
        }
        if (ec) {
            return fail(ErrorCode::io,
                        fmt::format("cannot list {}: {}", base.string(), ec.message()));
        }
    }
    return std::vector<fs::path>(out.begin(), out.end());
}

CalendarFile parse_calendar(const std::string& content, const std::string& display_path,
                            const WorkspaceConfig& ws, Diagnostics& diags) {
    CalendarFile cf;
    cf.path = display_path;
    auto doc = yaml::parse(content, display_path, diags);
    if (!doc || doc->IsNull()) {
        return cf;
    }
    yaml::Reporter r{diags, cf.path, {}};
    if (!doc->IsMap()) {
        r.type_error(*doc, "a calendar file", "a mapping with `posts:`");
        return cf;
    }
    for (const auto& kv : *doc) {
        const std::string& key = kv.first.Scalar();
        if (key != "posts") {
            r.unknown_key(kv.first, {"posts"}, "a calendar file");
            continue;
        }
        if (kv.second.IsNull()) {
            continue;
        }
        if (!kv.second.IsSequence()) {
            r.type_error(kv.second, "posts", "a list of posts");
            continue;
        }
        cf.posts.reserve(kv.second.size());
        for (const auto& item : kv.second) {
            if (auto post = read_post(item, cf.path, ws, diags)) {
                cf.posts.push_back(std::move(*post));
            }
        }
    }
    return cf;
}

CalendarFile load_calendar_file(const fs::path& file, const WorkspaceConfig& ws,
                                Diagnostics& diags) {
    const std::string display = util::display_path(file, ws.root);
    auto content = util::read_file(file);
    if (!content) {
        diags.error("io", display, {}, content.error().message);
        return CalendarFile{display, {}};
    }
    return parse_calendar(*content, display, ws, diags);
}

Result<std::vector<Post>> load_posts(const WorkspaceConfig& ws, Diagnostics& diags,
                                     const std::vector<fs::path>& paths) {
    auto files = calendar_files(ws, paths);
    if (!files) {
        return fail(std::move(files).error());
    }
    std::vector<Post> posts;
    for (const auto& f : *files) {
        auto cf = load_calendar_file(f, ws, diags);
        posts.insert(posts.end(), std::make_move_iterator(cf.posts.begin()),
                     std::make_move_iterator(cf.posts.end()));
    }
    return posts;
}

}  // namespace cmtool::calendar
