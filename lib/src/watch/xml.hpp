#pragma once
// A small, strict, bounded XML reader for the subset news feeds use: elements, attributes,
// text, CDATA, comments, processing instructions, a DOCTYPE without internal subset, and the
// five predefined entities plus numeric character references. No external entities, no DTD
// expansion (so no "billion laughs"); depth and size are bounded. Errors carry line:column.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::watch::xml {

struct Element {
    std::string name;  // qualified, as written: "item", "dc:creator", "atom:link"
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<std::unique_ptr<Element>> children;
    std::string text;  // character data and CDATA directly inside, concatenated
    std::size_t line = 0;

    // The first child called `name` (qualified or local name), nullptr when none.
    const Element* child(std::string_view name) const;
    // The attribute's value, or "".
    std::string attribute(std::string_view name) const;
    // The name after any "prefix:".
    std::string_view local_name() const;
};

inline constexpr std::size_t k_max_depth = 64;
inline constexpr std::size_t k_max_bytes = 16 * 1024 * 1024;

// Parses a document into its root element. Fails (parse) with "line L, column C: what" for
// malformed input (unclosed or mismatched tags, bad entities, truncation), too deep nesting or
// too large input. Never throws, never reads past `text`.
Result<std::unique_ptr<Element>> parse(std::string_view text);

}  // namespace cmtool::watch::xml
