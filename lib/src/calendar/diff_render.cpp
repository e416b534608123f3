#include "diff_render.hpp"

#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace {

bool in_section(const PostChange& c, ChangeKind kind) {
    switch (kind) {
        case ChangeKind::moved:
            return c.moved;
        case ChangeKind::retargeted:
            return c.retargeted();
        case ChangeKind::status:
            return c.status_changed;
        case ChangeKind::text:
            return !c.text.empty();
        case ChangeKind::other:
            return !c.fields.empty();
        case ChangeKind::added:
        case ChangeKind::removed:
            break;
    }
    return false;
}

}  // namespace

std::vector<SectionCount> section_counts(const CalendarDiff& d) {
    std::vector<SectionCount> out = {
        {ChangeKind::added, "added", "Added", "added", d.added.size()},
        {ChangeKind::removed, "removed", "Removed", "removed", d.removed.size()},
        {ChangeKind::moved, "moved", "Moved", "moved", 0},
        {ChangeKind::retargeted, "retargeted", "Retargeted", "retargeted", 0},
        {ChangeKind::status, "status", "Status changed", "status changed", 0},
        {ChangeKind::text, "text", "Text changed", "text edited", 0},
        {ChangeKind::other, "other", "Other fields changed", "other fields changed", 0},
    };
    for (auto& s : out) {
        if (s.kind != ChangeKind::added && s.kind != ChangeKind::removed) {
            s.count = changes_of(d, s.kind).size();
        }
    }
    return out;
}

std::vector<const PostChange*> changes_of(const CalendarDiff& d, ChangeKind kind) {
    std::vector<const PostChange*> out;
    for (const auto& c : d.changed) {
        if (in_section(c, kind)) {
            out.push_back(&c);
        }
    }
    return out;
}

std::vector<WordRun> word_runs(const std::vector<WordEdit>& edits) {
    std::vector<WordRun> runs;
    for (const auto& e : edits) {
        if (runs.empty() || runs.back().op != e.op) {
            runs.push_back(WordRun{e.op, {}});
        }
        runs.back().words.push_back(e.word);
    }
    return runs;
}

std::string_view word_op_name(WordOp op) {
    switch (op) {
        case WordOp::removed:
            return "removed";
        case WordOp::added:
            return "added";
        case WordOp::same:
            break;
    }
    return "same";
}

std::string channel_change(const PostChange& c) {
    std::vector<std::string> parts;
    for (const auto& ch : c.channels_added) {
        parts.push_back("+" + ch);
    }
    for (const auto& ch : c.channels_removed) {
        parts.push_back("\u2212" + ch);  // minus sign, as in util::format_change
    }
    return util::join(parts, " ");
}

std::string post_summary(const Post& p) {
    if (!p.text.empty()) {
        return util::first_line(p.text, 60);
    }
    if (!p.link.empty()) {
        return util::first_line(p.link, 60);
    }
    return p.media.empty() ? std::string() : util::first_line(p.media.front().file, 60);
}

}  // namespace cmtool::calendar
