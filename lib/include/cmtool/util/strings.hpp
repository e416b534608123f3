#pragma once
// Small string helpers with no domain knowledge.
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::util {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string to_lower(std::string_view s);  // ASCII only
// Levenshtein distance (bytes), for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// Replaces every occurrence of `from` by `to`.
std::string replace_all(std::string s, std::string_view from, std::string_view to);
// "CMTOOL_MY_MASTO_TOKEN" for ("my-masto", "token"): the environment variable naming scheme for
// per-account settings: upper-cased, every non-alphanumeric character as '_'.
std::string account_env_name(std::string_view account, std::string_view suffix);
// The first line of s (without the newline), cut to max_graphemes with "…" when longer.
std::string first_line(std::string_view s, std::size_t max_graphemes);

}  // namespace cmtool::util
