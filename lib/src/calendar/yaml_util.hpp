#pragma once
// Private helpers over yaml-cpp nodes (yaml-cpp never appears in a public header).
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"

namespace cmtool::calendar::yaml {

// 1-based position of a node (yaml-cpp marks are 0-based).
Pos pos_of(const YAML::Node& node);
Pos pos_of(const YAML::Mark& mark);
// "text", "a list", "a mapping", "nothing" — for type-error messages.
std::string_view kind_name(const YAML::Node& node);

// Reports findings for one document; keeps the file name and the post id in one place.
struct Reporter {
    Diagnostics& diags;
    const std::string& file;
    std::string post_id;

    void error(std::string_view rule, Pos pos, std::string message, std::string hint = {},
               std::string channel = {}) const;
    void warning(std::string_view rule, Pos pos, std::string message, std::string hint = {},
                 std::string channel = {}) const;
    // "type" error: `key` must be `expected` but is kind_name(node).
    void type_error(const YAML::Node& node, std::string_view key, std::string_view expected) const;
    // "unknown-key" error with a did-you-mean hint from `allowed`.
    void unknown_key(const YAML::Node& key, const std::vector<std::string>& allowed,
                     std::string_view where) const;
};

// The scalar's text, or nullopt after a type error (null counts as a type error too).
std::optional<std::string> scalar(const YAML::Node& node, std::string_view key, const Reporter& r);
// A list of scalars; a type error and nullopt when it is not one.
std::optional<std::vector<std::string>> scalar_list(const YAML::Node& node, std::string_view key,
                                                    const Reporter& r,
                                                    std::vector<Pos>* positions = nullptr);

// Parses a YAML document, turning a syntax error into a "yaml-syntax" finding.
std::optional<YAML::Node> parse(const std::string& content, const std::string& file,
                                Diagnostics& diags);

}  // namespace cmtool::calendar::yaml
