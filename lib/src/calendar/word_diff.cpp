// Word diff for post texts: longest common subsequence over whitespace-separated words.
#include <algorithm>
#include <cstdint>

#include "cmtool/calendar/diff.hpp"

namespace cmtool::calendar {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void push_all(std::vector<WordEdit>& out, WordOp op, const std::vector<std::string>& words,
              std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
        out.push_back(WordEdit{op, words[i]});
    }
}

// LCS of a[a0, a1) and b[b0, b1), appended to `out` as edits: removals before additions where
// a word was replaced. The table holds the LCS length of every pair of suffixes.
void lcs_edits(const std::vector<std::string>& a, std::size_t a0, std::size_t a1,
               const std::vector<std::string>& b, std::size_t b0, std::size_t b1,
               std::vector<WordEdit>& out) {
    const std::size_t n = a1 - a0;
    const std::size_t m = b1 - b0;
    const std::size_t width = m + 1;
    std::vector<std::uint32_t> suffix((n + 1) * width, 0);
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            suffix[i * width + j] = a[a0 + i] == b[b0 + j] ? suffix[(i + 1) * width + j + 1] + 1
                                                           : std::max(suffix[(i + 1) * width + j],
                                                                      suffix[i * width + j + 1]);
        }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n && j < m) {
        if (a[a0 + i] == b[b0 + j]) {
            out.push_back(WordEdit{WordOp::same, a[a0 + i]});
            ++i;
            ++j;
        } else if (suffix[(i + 1) * width + j] >= suffix[i * width + j + 1]) {
            out.push_back(WordEdit{WordOp::removed, a[a0 + i]});
            ++i;
        } else {
            out.push_back(WordEdit{WordOp::added, b[b0 + j]});
            ++j;
        }
    }
    push_all(out, WordOp::removed, a, a0 + i, a1);
    push_all(out, WordOp::added, b, b0 + j, b1);
}

}  // namespace

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) {
            ++i;
        }
        if (i > start) {
            words.emplace_back(s.substr(start, i - start));
        }
    }
    return words;
}

std::vector<WordEdit> word_diff(std::string_view before, std::string_view after) {
    const auto a = split_words(before);
    const auto b = split_words(after);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    std::vector<WordEdit> out;
    out.reserve(a.size() + b.size() - prefix - suffix);
    push_all(out, WordOp::same, a, 0, prefix);
    const std::size_t a_mid = a.size() - suffix;
    const std::size_t b_mid = b.size() - suffix;
    // Cells grow as the product of both lengths: past the cap (long texts rewritten in
    // full), aligning the middle word by word costs too much memory for what it tells.
    const std::size_t cells = (a_mid - prefix + 1) * (b_mid - prefix + 1);
    if (cells > k_max_lcs_cells) {
        push_all(out, WordOp::removed, a, prefix, a_mid);
        push_all(out, WordOp::added, b, prefix, b_mid);
    } else {
        lcs_edits(a, prefix, a_mid, b, prefix, b_mid, out);
    }
    push_all(out, WordOp::same, a, a_mid, a.size());
    return out;
}

}  // namespace cmtool::calendar
