#pragma once
// A strict well-formedness check for the HTML cmtool writes: every element closed in order
// (void elements excepted, `/>` allowed in SVG), attribute values quoted, `&` only in the
// entities we emit, raw text only in <style>. Returns the first problem, or empty.
#include <fmt/format.h>

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::test {

inline std::string html_problem(std::string_view h) {
    static const std::set<std::string> k_void = {"meta", "br", "img", "link", "hr", "input"};
    static const std::vector<std::string_view> k_entities = {"&amp;", "&lt;", "&gt;", "&quot;",
                                                             "&#39;"};
    std::vector<std::string> open;
    auto entity_ok = [&](std::size_t i) {
        for (auto e : k_entities) {
            if (h.substr(i, e.size()) == e) {
                return true;
            }
        }
        return false;
    };
    std::size_t i = 0;
    while (i < h.size()) {
        if (h[i] == '&' && !entity_ok(i)) {
            return fmt::format("bare & at {}: {}", i, h.substr(i, 20));
        }
        if (h[i] == '>') {
            return fmt::format("bare > at {}", i);
        }
        if (h[i] != '<') {
            ++i;
            continue;
        }
        if (h.substr(i, 9) == "<!DOCTYPE") {
            i = h.find('>', i) + 1;
            continue;
        }
        const bool closing = h[i + 1] == '/';
        std::size_t j = i + (closing ? 2 : 1);
        std::size_t name_end = j;
        while (name_end < h.size() &&
               (std::isalnum(static_cast<unsigned char>(h[name_end])) || h[name_end] == '-')) {
            ++name_end;
        }
        const std::string name(h.substr(j, name_end - j));
        if (name.empty()) {
            return fmt::format("bare < at {}: {}", i, h.substr(i, 20));
        }
        j = name_end;
        bool self_closing = false;
        while (true) {  // attributes
            while (j < h.size() && h[j] == ' ') {
                ++j;
            }
            if (j >= h.size()) {
                return "unterminated tag " + name;
            }
            if (h[j] == '>') {
                ++j;
                break;
            }
            if (h.substr(j, 2) == "/>") {
                self_closing = true;
                j += 2;
                break;
            }
            const auto eq = h.find('=', j);
            if (eq == std::string_view::npos || h[eq + 1] != '"') {
                return fmt::format("unquoted attribute in <{}> at {}", name, j);
            }
            const auto end = h.find('"', eq + 2);
            const auto value = h.substr(eq + 2, end - eq - 2);
            if (value.find('<') != std::string_view::npos) {
                return fmt::format("< in an attribute of <{}>", name);
            }
            for (std::size_t k = 0; k < value.size(); ++k) {
                if (value[k] == '&' && !entity_ok(eq + 2 + k)) {
                    return fmt::format("bare & in an attribute of <{}>", name);
                }
            }
            j = end + 1;
        }
        if (closing) {
            if (open.empty() || open.back() != name) {
                return fmt::format("</{}> closes <{}>", name, open.empty() ? "" : open.back());
            }
            open.pop_back();
        } else if (!self_closing && !k_void.contains(name)) {
            if (name == "style") {
                const auto end = h.find("</style>", j);
                if (end == std::string_view::npos) {
                    return "unterminated <style>";
                }
                j = end;
            }
            open.push_back(name);
        }
        i = j;
    }
    if (!open.empty()) {
        return "unclosed <" + open.back() + ">";
    }
    return {};
}

}  // namespace cmtool::test
