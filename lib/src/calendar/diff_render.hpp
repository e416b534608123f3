#pragma once
// What the `plan diff` renderers share: sections and their counts, runs of words, summaries.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/diff.hpp"

namespace cmtool::calendar {

enum class ChangeKind { added, removed, moved, retargeted, status, text, other };

struct SectionCount {
    ChangeKind kind;
    std::string_view key;           // JSON summary key: "moved"
    std::string_view title;         // section heading: "Moved"
    std::string_view summary_word;  // "1 moved", "2 text edited"
    std::size_t count = 0;
};

// Every section in display order, with its count (zero included).
std::vector<SectionCount> section_counts(const CalendarDiff& d);
// The changed posts that belong to a section (moved, retargeted, status, text, other).
std::vector<const PostChange*> changes_of(const CalendarDiff& d, ChangeKind kind);

// Consecutive words with the same operation.
struct WordRun {
    WordOp op = WordOp::same;
    std::vector<std::string> words;
};
std::vector<WordRun> word_runs(const std::vector<WordEdit>& edits);
// "same", "removed", "added".
std::string_view word_op_name(WordOp op);

// "+linkedin −x": channels added then removed.
std::string channel_change(const PostChange& c);
// The first line of the text (else the link, else the first media file), cut to 60 graphemes.
std::string post_summary(const Post& p);

}  // namespace cmtool::calendar
