#pragma once
// `plan diff`: what changed in the calendar between two git revisions, or between a revision
// and the working tree. Posts are matched by id; a recurring post is one post, not its
// occurrences. Both sides are read with the current workspace configuration (zone, accounts).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::calendar {

enum class WordOp { same, removed, added };
struct WordEdit {
    WordOp op = WordOp::same;
    std::string word;
    bool operator==(const WordEdit&) const = default;
};

// Above this many LCS cells (words before × words after, once the common prefix and suffix are
// cut off), the middle is reported as removed then added instead of aligned word by word.
inline constexpr std::size_t k_max_lcs_cells = 4'000'000;

// The words of `s`: split on whitespace, punctuation kept attached ("douce :" is two words).
std::vector<std::string> split_words(std::string_view s);
// Word diff of two texts (longest common subsequence of their words). Never fails.
std::vector<WordEdit> word_diff(std::string_view before, std::string_view after);

// What changed in one post present on both sides. Empty members mean "unchanged".
struct PostChange {
    std::string id;
    Post before;
    Post after;
    bool moved = false;  // `at` is another instant
    std::vector<std::string> channels_added;
    std::vector<std::string> channels_removed;
    std::vector<WordEdit> text;  // word diff; empty when the words are the same
    bool status_changed = false;
    // Other fields that differ, in documented order: category, campaign, link, media, thread,
    // variants, repeat, notes, and "text (whitespace)" when only spacing or line breaks changed.
    std::vector<std::string> fields;

    bool retargeted() const { return !channels_added.empty() || !channels_removed.empty(); }
};

struct CalendarDiff {
    std::vector<Post> added;          // in time order, then id
    std::vector<Post> removed;        // in time order, then id
    std::vector<PostChange> changed;  // in time order (after the change), then id

    bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

// Compares two sets of posts by id. When one side holds an id twice (an invalid calendar), the
// first post wins. Never fails.
CalendarDiff diff_posts(const std::vector<Post>& before, const std::vector<Post>& after);

// One side of a revision diff.
struct DiffSide {
    std::string label;       // "main (merge base 1a2b3c4)", "HEAD~2 (9f8e7d6)", "working tree"
    std::string commit;      // full object id; empty for the working tree
    std::size_t errors = 0;  // calendar errors found while reading this side
};

struct RevisionDiff {
    DiffSide base;
    DiffSide head;
    CalendarDiff diff;
};

// `base` and `head` as the user typed them; empty means the default: base = the merge base of
// HEAD with the default branch (origin/HEAD, else main, else master; HEAD itself when on that
// branch), head = the working tree. With only `base`, head is the working tree. Revisions are
// read from git objects; neither the working tree nor the index is written. Fails (config)
// when the workspace is not in a git repository, (usage) naming a revision git cannot resolve.
Result<RevisionDiff> diff_revisions(const WorkspaceConfig& ws, const std::string& base,
                                    const std::string& head);

}  // namespace cmtool::calendar
