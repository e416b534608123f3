// `plan diff --format markdown`: a comment ready to paste into a pull request (GitHub-flavoured
// Markdown: tables, <details>, ~~strikethrough~~).
#include <fmt/format.h>

#include "cmtool/calendar/diff_format.hpp"
#include "cmtool/util/strings.hpp"
#include "diff_render.hpp"

namespace cmtool::calendar {

namespace {

// Backslash-escapes what would turn text into markup: emphasis, code, strikethrough, links,
// HTML, headings and table pipes. Line breaks become spaces so a value stays in its cell.
std::string md_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        if (c == '\n' || c == '\r') {
            out += ' ';
            continue;
        }
        if (std::string_view("\\`*_~|<>[]#").find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// A paragraph starting with "- ", "+ " or "1. " would render as a list: escape its marker.
std::string escape_list_start(std::string s) {
    std::size_t n = 0;  // leading digits
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
        ++n;
    }
    const bool bullet = n == 0 && s.size() > 1 && (s[0] == '-' || s[0] == '+') && s[1] == ' ';
    const bool ordered =
        n > 0 && n + 1 < s.size() && (s[n] == '.' || s[n] == ')') && s[n + 1] == ' ';
    if (bullet || ordered) {
        s.insert(n, "\\");
    }
    return s;
}

std::string code(std::string_view s) {
    return fmt::format("`{}`", util::replace_all(std::string(s), "`", "'"));
}

std::string post_table(const std::vector<Post>& posts, const WorkspaceConfig& ws) {
    std::string out = "| Time | Post | Channels | Text |\n|---|---|---|---|\n";
    for (const auto& p : posts) {
        out += fmt::format("| {} | {} | {} | {} |\n", human_time(p.at.utc, ws), code(p.id),
                           md_escape(util::join(p.channels, ", ")), md_escape(post_summary(p)));
    }
    return out;
}

std::string moved_table(const CalendarDiff& d, const WorkspaceConfig& ws) {
    std::string out = "| Post | Before | After |\n|---|---|---|\n";
    for (const auto* c : changes_of(d, ChangeKind::moved)) {
        out += fmt::format("| {} | {} | {} |\n", code(c->id), human_time(c->before.at.utc, ws),
                           human_time(c->after.at.utc, ws));
    }
    return out;
}

// Retargeted posts, status changes and other fields, one row per post.
std::vector<std::string> other_rows(const CalendarDiff& d) {
    std::vector<std::string> rows;
    for (const auto& c : d.changed) {
        std::vector<std::string> what;
        if (c.retargeted()) {
            what.push_back("channels " + md_escape(channel_change(c)));
        }
        if (c.status_changed) {
            what.push_back(fmt::format("status {} → {}", status_name(c.before.status),
                                       status_name(c.after.status)));
        }
        if (!c.fields.empty()) {
            what.push_back(md_escape(util::join(c.fields, ", ")));
        }
        if (!what.empty()) {
            rows.push_back(fmt::format("| {} | {} |\n", code(c.id), util::join(what, "; ")));
        }
    }
    return rows;
}

std::string markdown_word_diff(const std::vector<WordEdit>& edits) {
    std::vector<std::string> parts;
    for (const auto& run : word_runs(edits)) {
        const std::string words = md_escape(util::join(run.words, " "));
        switch (run.op) {
            case WordOp::same:
                parts.push_back(words);
                break;
            case WordOp::removed:
                parts.push_back("~~" + words + "~~");
                break;
            case WordOp::added:
                parts.push_back("**" + words + "**");
                break;
        }
    }
    return escape_list_start(util::join(parts, " "));
}

std::string text_details(const CalendarDiff& d, const WorkspaceConfig& ws) {
    std::string out;
    for (const auto* c : changes_of(d, ChangeKind::text)) {
        // The blank lines around the body let GitHub render Markdown inside the HTML block.
        out += fmt::format(
            "<details>\n<summary><code>{}</code> ({})</summary>\n\n{}\n\n</details>\n\n", c->id,
            human_time(c->after.at.utc, ws), markdown_word_diff(c->text));
    }
    return out;
}

std::string summary_line(const RevisionDiff& r) {
    std::vector<std::string> parts;
    for (const auto& s : section_counts(r.diff)) {
        if (s.count > 0) {
            parts.push_back(fmt::format("**{}** {}", s.count, s.summary_word));
        }
    }
    return fmt::format("{} → {}: {}", code(r.base.label), code(r.head.label),
                       util::join(parts, ", "));
}

}  // namespace

std::string diff_markdown(const RevisionDiff& r, const WorkspaceConfig& ws) {
    const CalendarDiff& d = r.diff;
    std::string out = fmt::format("## Calendar changes\n\n{}\n\n", summary_line(r));
    if (!d.added.empty()) {
        out += fmt::format("### Added ({})\n\n{}\n", d.added.size(), post_table(d.added, ws));
    }
    if (!d.removed.empty()) {
        out += fmt::format("### Removed ({})\n\n{}\n", d.removed.size(), post_table(d.removed, ws));
    }
    if (const auto moved = changes_of(d, ChangeKind::moved).size(); moved > 0) {
        out += fmt::format("### Moved ({})\n\n{}\n", moved, moved_table(d, ws));
    }
    if (const auto rows = other_rows(d); !rows.empty()) {
        out += fmt::format("### Other changes ({})\n\n| Post | Change |\n|---|---|\n{}\n",
                           rows.size(), util::join(rows, ""));
    }
    if (const auto texts = changes_of(d, ChangeKind::text).size(); texts > 0) {
        out += fmt::format("### Text changes ({})\n\n{}", texts, text_details(d, ws));
    }
    out += fmt::format("<sub>Times in {}.</sub>\n", ws.timezone);
    return out;
}

}  // namespace cmtool::calendar
