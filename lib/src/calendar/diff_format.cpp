// `plan diff` as text and JSON; the Markdown renderer is in diff_markdown.cpp.
#include "cmtool/calendar/diff_format.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/locale.hpp"
#include "cmtool/util/strings.hpp"
#include "diff_render.hpp"

namespace cmtool::calendar {

namespace {

// Unchanged words kept around each change on a terminal; longer stretches are cut with "…".
constexpr std::size_t k_context_words = 6;

// An unchanged run with at most k_context_words on the sides that touch a change.
std::string context(const std::vector<std::string>& words, bool first, bool last) {
    const std::size_t k = k_context_words;
    const std::size_t keep = (first ? 0 : k) + (last ? 0 : k);
    if (words.size() <= keep + 1) {
        return util::join(words, " ");
    }
    std::vector<std::string> out;
    out.insert(out.end(), words.begin(),
               words.begin() + static_cast<std::ptrdiff_t>(first ? 0 : k));
    out.emplace_back("…");
    out.insert(out.end(), words.end() - static_cast<std::ptrdiff_t>(last ? 0 : k), words.end());
    return util::join(out, " ");
}

// `[-a b-] {+c+}`: consecutive words of one kind grouped inside one marker.
std::string inline_word_diff(const std::vector<WordEdit>& edits, const DiffStyle& st) {
    const auto runs = word_runs(edits);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string words = util::join(runs[i].words, " ");
        switch (runs[i].op) {
            case WordOp::same:
                parts.push_back(context(runs[i].words, i == 0, i + 1 == runs.size()));
                break;
            case WordOp::removed:
                parts.push_back(st.removed("[-" + words + "-]"));
                break;
            case WordOp::added:
                parts.push_back(st.added("{+" + words + "+}"));
                break;
        }
    }
    return util::join(parts, " ");
}

std::size_t id_width(const std::vector<const PostChange*>& changes) {
    std::size_t w = 0;
    for (const auto* c : changes) {
        w = std::max(w, c->id.size());
    }
    return w;
}

std::string post_lines(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                       const DiffStyle::Fn& colour, std::string_view mark) {
    std::size_t w = 0;
    for (const auto& p : posts) {
        w = std::max(w, p.id.size());
    }
    std::string out;
    for (const auto& p : posts) {
        out += colour(fmt::format("  {} {}  {:<{}}  {}", mark, human_time(p.at.utc, ws), p.id, w,
                                  util::join(p.channels, " ")));
        out += fmt::format("  {}\n", post_summary(p));
    }
    return out;
}

std::string change_lines(const CalendarDiff& d, const WorkspaceConfig& ws, const DiffStyle& st,
                         ChangeKind kind) {
    const auto changes = changes_of(d, kind);
    const std::size_t w = id_width(changes);
    std::string out;
    for (const auto* c : changes) {
        const std::string head = st.changed(fmt::format("  ~ {:<{}}", c->id, w));
        switch (kind) {
            case ChangeKind::moved:
                out += fmt::format("{}  {} → {}\n", head, human_time(c->before.at.utc, ws),
                                   human_time(c->after.at.utc, ws));
                break;
            case ChangeKind::retargeted:
                out += fmt::format("{}  {}\n", head, channel_change(*c));
                break;
            case ChangeKind::status:
                out += fmt::format("{}  {} → {}\n", head, status_name(c->before.status),
                                   status_name(c->after.status));
                break;
            case ChangeKind::text:
                out += fmt::format("{}\n      {}\n", head, inline_word_diff(c->text, st));
                break;
            case ChangeKind::other:
                out += fmt::format("{}  {}\n", head, util::join(c->fields, ", "));
                break;
            case ChangeKind::added:  // listed by post_lines
            case ChangeKind::removed:
                break;
        }
    }
    return out;
}

nlohmann::json side_json(const DiffSide& s) {
    return {{"label", s.label},
            {"commit", s.commit.empty() ? nlohmann::json() : nlohmann::json(s.commit)},
            {"errors", s.errors}};
}

nlohmann::json change_json(const PostChange& c, const WorkspaceConfig& ws) {
    nlohmann::json ch = nlohmann::json::object();
    if (c.moved) {
        ch["at"] = {{"from", iso_local(c.before.at.utc, ws)},
                    {"to", iso_local(c.after.at.utc, ws)}};
    }
    if (c.retargeted()) {
        ch["channels"] = {{"added", c.channels_added}, {"removed", c.channels_removed}};
    }
    if (c.status_changed) {
        ch["status"] = {{"from", status_name(c.before.status)},
                        {"to", status_name(c.after.status)}};
    }
    if (!c.text.empty()) {
        nlohmann::json words = nlohmann::json::array();
        for (const auto& e : c.text) {
            words.push_back({{"op", word_op_name(e.op)}, {"word", e.word}});
        }
        ch["text"] = {{"diff", std::move(words)}};
    }
    if (!c.fields.empty()) {
        ch["fields"] = c.fields;
    }
    return {{"id", c.id}, {"at", iso_local(c.after.at.utc, ws)}, {"changes", std::move(ch)}};
}

}  // namespace

std::string human_time(std::chrono::sys_seconds t, const WorkspaceConfig& ws) {
    const auto local = ws.zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    return fmt::format("{} {} {}", util::short_day(day, util::parse_lang(ws.lang)),
                       static_cast<int>(date::year_month_day{day}.year()),
                       date::format("%H:%M", local));
}

std::string diff_none_line(const RevisionDiff& d) {
    return fmt::format("no calendar changes between {} and {}\n", d.base.label, d.head.label);
}

std::string diff_summary(const CalendarDiff& d) {
    std::vector<std::string> parts;
    for (const auto& s : section_counts(d)) {
        if (s.count > 0) {
            parts.push_back(fmt::format("{} {}", s.count, s.summary_word));
        }
    }
    return util::join(parts, ", ");
}

std::string diff_text(const RevisionDiff& r, const WorkspaceConfig& ws, const DiffStyle& st) {
    const CalendarDiff& d = r.diff;
    std::string out = fmt::format("{} {} → {}\n{}\n", st.bold("Calendar changes:"), r.base.label,
                                  r.head.label, diff_summary(d));
    for (const auto& s : section_counts(d)) {
        if (s.count == 0) {
            continue;
        }
        out += fmt::format("\n{}\n", st.bold(fmt::format("{} ({})", s.title, s.count)));
        if (s.kind == ChangeKind::added) {
            out += post_lines(d.added, ws, st.added, "+");
        } else if (s.kind == ChangeKind::removed) {
            out += post_lines(d.removed, ws, st.removed, "-");
        } else {
            out += change_lines(d, ws, st, s.kind);
        }
    }
    return out;
}

nlohmann::json diff_json(const RevisionDiff& r, const WorkspaceConfig& ws) {
    nlohmann::json summary = nlohmann::json::object();
    for (const auto& s : section_counts(r.diff)) {
        summary[s.key] = s.count;
    }
    nlohmann::json added = nlohmann::json::array();
    for (const auto& p : r.diff.added) {
        added.push_back(post_to_json(p, ws));
    }
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& p : r.diff.removed) {
        removed.push_back(post_to_json(p, ws));
    }
    nlohmann::json changed = nlohmann::json::array();
    for (const auto& c : r.diff.changed) {
        changed.push_back(change_json(c, ws));
    }
    return {{"base", side_json(r.base)},    {"head", side_json(r.head)},
            {"timezone", ws.timezone},      {"summary", std::move(summary)},
            {"added", std::move(added)},    {"removed", std::move(removed)},
            {"changed", std::move(changed)}};
}

}  // namespace cmtool::calendar
