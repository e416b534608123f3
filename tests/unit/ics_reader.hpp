#pragma once
// A small iCalendar reader for tests: checks the physical layout (CRLF, 75 octets, UTF-8 kept
// whole), unfolds, and builds the component tree with properties and parameters.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/text/count.hpp"

namespace cmtool::test {

struct IcsProperty {
    std::string name;
    std::map<std::string, std::string> params;
    std::string value;  // still escaped
};

struct IcsComponent {
    std::string name;
    std::vector<IcsProperty> props;
    std::vector<IcsComponent> children;

    const IcsProperty* prop(std::string_view n) const {
        for (const auto& p : props) {
            if (p.name == n) {
                return &p;
            }
        }
        return nullptr;
    }
    std::string value(std::string_view n) const {
        const auto* p = prop(n);
        return p == nullptr ? std::string() : p->value;
    }
    std::vector<const IcsComponent*> all(std::string_view n) const {
        std::vector<const IcsComponent*> out;
        for (const auto& c : children) {
            if (c.name == n) {
                out.push_back(&c);
            }
        }
        return out;
    }
};

// Problems with the physical lines; empty when the layout is right.
inline std::vector<std::string> ics_layout_problems(std::string_view doc) {
    std::vector<std::string> out;
    std::size_t start = 0;
    std::size_t n = 1;
    while (start < doc.size()) {
        const auto lf = doc.find('\n', start);
        if (lf == std::string_view::npos) {
            out.push_back("last line has no CRLF");
            break;
        }
        if (lf == start || doc[lf - 1] != '\r') {
            out.push_back("line " + std::to_string(n) + ": bare LF");
        }
        const auto line = doc.substr(start, lf - start - (lf > start ? 1 : 0));
        if (line.size() > 75) {
            out.push_back("line " + std::to_string(n) + ": " + std::to_string(line.size()) +
                          " octets");
        }
        const auto content = !line.empty() && line[0] == ' ' ? line.substr(1) : line;
        if (!text::is_valid_utf8(content)) {
            out.push_back("line " + std::to_string(n) + ": UTF-8 sequence split");
        }
        start = lf + 1;
        ++n;
    }
    return out;
}

// RFC 5545 §3.1 unfolding, then one string per logical line.
inline std::vector<std::string> ics_unfold(std::string_view doc) {
    std::string joined;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        if (doc.substr(i, 3) == "\r\n " || doc.substr(i, 3) == "\r\n\t") {
            i += 2;
            continue;
        }
        joined += doc[i];
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < joined.size()) {
        const auto end = joined.find("\r\n", start);
        lines.push_back(joined.substr(start, end - start));
        if (end == std::string::npos) {
            break;
        }
        start = end + 2;
    }
    return lines;
}

inline IcsProperty ics_parse_line(const std::string& line) {
    IcsProperty p;
    const auto colon = line.find(':');  // parameter values here hold no quoted ':'
    if (colon == std::string::npos) {
        throw std::runtime_error("no ':' in " + line);
    }
    std::string head = line.substr(0, colon);
    p.value = line.substr(colon + 1);
    auto semi = head.find(';');
    p.name = head.substr(0, semi);
    while (semi != std::string::npos) {
        const auto next = head.find(';', semi + 1);
        const auto param = head.substr(semi + 1, next - semi - 1);
        const auto eq = param.find('=');
        p.params[param.substr(0, eq)] = param.substr(eq + 1);
        semi = next;
    }
    return p;
}

// The VCALENDAR tree; throws on unbalanced BEGIN/END.
inline IcsComponent ics_parse(std::string_view doc) {
    std::vector<IcsComponent> stack(1);
    for (const auto& line : ics_unfold(doc)) {
        auto p = ics_parse_line(line);
        if (p.name == "BEGIN") {
            stack.push_back(IcsComponent{p.value, {}, {}});
        } else if (p.name == "END") {
            if (stack.size() < 2 || stack.back().name != p.value) {
                throw std::runtime_error("unbalanced END:" + p.value);
            }
            auto done = std::move(stack.back());
            stack.pop_back();
            stack.back().children.push_back(std::move(done));
        } else {
            stack.back().props.push_back(std::move(p));
        }
    }
    if (stack.size() != 1 || stack[0].children.size() != 1) {
        throw std::runtime_error("not one VCALENDAR");
    }
    return stack[0].children[0];
}

// The inverse of TEXT escaping.
inline std::string ics_unescape(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
            ++i;
            out += (v[i] == 'n' || v[i] == 'N') ? '\n' : v[i];
        } else {
            out += v[i];
        }
    }
    return out;
}

}  // namespace cmtool::test
