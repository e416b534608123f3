// The feed XML reader (xml.hpp): recursive descent over the bytes, errors located by offset.
#include "watch/xml.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace cmtool::watch::xml {

namespace {

bool is_name_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '_' || c == '-' || c == '.' || u >= 0x80U;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void append_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80U) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800U) {
        out += static_cast<char>(0xC0U | (cp >> 6U));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else if (cp < 0x10000U) {
        out += static_cast<char>(0xE0U | (cp >> 12U));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else {
        out += static_cast<char>(0xF0U | (cp >> 18U));
        out += static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    }
}

class Parser {
  public:
    explicit Parser(std::string_view text) : m_s(text) {}

    Result<std::unique_ptr<Element>> document() {
        if (m_s.size() > k_max_bytes) {
            return fail(ErrorCode::parse, fmt::format("larger than {} bytes", k_max_bytes));
        }
        if (m_s.starts_with("\xEF\xBB\xBF")) {
            m_i = 3;  // UTF-8 byte order mark
        }
        if (!misc()) {
            return error_result();
        }
        if (m_i >= m_s.size() || m_s[m_i] != '<') {
            set_error("no root element");
            return error_result();
        }
        auto root = element(0);
        if (!root) {
            return error_result();
        }
        if (!misc()) {
            return error_result();
        }
        if (m_i < m_s.size()) {
            set_error("content after the root element");
            return error_result();
        }
        return root;
    }

  private:
    Unexpected<Error> error_result() const {
        std::size_t line = 1;
        std::size_t col = 1;
        for (std::size_t k = 0; k < m_error_at && k < m_s.size(); ++k) {
            if (m_s[k] == '\n') {
                ++line;
                col = 1;
            } else if ((static_cast<unsigned char>(m_s[k]) & 0xC0U) != 0x80U) {
                ++col;
            }
        }
        return fail(ErrorCode::parse, fmt::format("line {}, column {}: {}", line, col, m_error));
    }

    void set_error(std::string what, std::size_t at = SIZE_MAX) {
        if (m_error.empty()) {
            m_error = std::move(what);
            m_error_at = at == SIZE_MAX ? m_i : at;
        }
    }

    bool skip_past(std::string_view end, std::string_view what) {
        const std::size_t start = m_i;
        const auto at = m_s.find(end, m_i);
        if (at == std::string_view::npos) {
            set_error(fmt::format("unclosed {}", what), start);
            return false;
        }
        m_i = at + end.size();
        return true;
    }

    // Whitespace, comments, processing instructions and a DOCTYPE outside the root.
    bool misc() {
        while (m_i < m_s.size()) {
            if (is_space(m_s[m_i])) {
                ++m_i;
            } else if (m_s.substr(m_i).starts_with("<?")) {
                if (!skip_past("?>", "processing instruction")) {
                    return false;
                }
            } else if (m_s.substr(m_i).starts_with("<!--")) {
                if (!skip_past("-->", "comment")) {
                    return false;
                }
            } else if (m_s.substr(m_i).starts_with("<!DOCTYPE")) {
                if (m_s.find('[', m_i) < m_s.find('>', m_i)) {
                    set_error("a DOCTYPE with an internal subset is not accepted in a feed");
                    return false;
                }
                if (!skip_past(">", "DOCTYPE")) {
                    return false;
                }
            } else {
                return true;
            }
        }
        return true;
    }

    std::string name() {
        const std::size_t start = m_i;
        while (m_i < m_s.size() && is_name_char(m_s[m_i])) {
            ++m_i;
        }
        return std::string(m_s.substr(start, m_i - start));
    }

    void skip_spaces() {
        while (m_i < m_s.size() && is_space(m_s[m_i])) {
            ++m_i;
        }
    }

    // An entity or character reference at m_i ('&'), appended decoded.
    bool entity(std::string& out) {
        const std::size_t start = m_i;
        const auto semi = m_s.find(';', m_i);
        if (semi == std::string_view::npos || semi - m_i > 12) {
            set_error("'&' that starts no entity (write &amp;)", start);
            return false;
        }
        const std::string_view ref = m_s.substr(m_i + 1, semi - m_i - 1);
        m_i = semi + 1;
        if (ref == "lt" || ref == "gt" || ref == "amp" || ref == "quot" || ref == "apos") {
            out += ref == "lt"     ? '<'
                   : ref == "gt"   ? '>'
                   : ref == "amp"  ? '&'
                   : ref == "quot" ? '"'
                                   : '\'';
            return true;
        }
        if (ref.size() >= 2 && ref[0] == '#') {
            const bool hex = ref[1] == 'x' || ref[1] == 'X';
            std::uint32_t cp = 0;
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            for (const char c : digits) {
                const int v = c >= '0' && c <= '9'          ? c - '0'
                              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                            : -1;
                if (v < 0 || cp > 0x10FFFFU) {
                    cp = 0x110000U;
                    break;
                }
                cp = cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(v);
            }
            if (!digits.empty() && cp > 0 && cp <= 0x10FFFFU && (cp < 0xD800U || cp > 0xDFFFU)) {
                append_utf8(cp, out);
                return true;
            }
        }
        set_error(fmt::format("unknown entity &{};", ref), start);
        return false;
    }

    bool attributes(Element& e) {
        while (true) {
            skip_spaces();
            if (m_i >= m_s.size()) {
                set_error(fmt::format("unclosed <{}>", e.name));
                return false;
            }
            if (m_s[m_i] == '>' || m_s[m_i] == '/') {
                return true;
            }
            std::string key = name();
            skip_spaces();
            if (key.empty() || m_i >= m_s.size() || m_s[m_i] != '=') {
                set_error(fmt::format("malformed attribute in <{}>", e.name));
                return false;
            }
            ++m_i;
            skip_spaces();
            const char quote = m_i < m_s.size() ? m_s[m_i] : '\0';
            if (quote != '"' && quote != '\'') {
                set_error(fmt::format("attribute `{}` of <{}> has no quoted value", key, e.name));
                return false;
            }
            ++m_i;
            std::string value;
            while (m_i < m_s.size() && m_s[m_i] != quote) {
                if (m_s[m_i] == '&') {
                    if (!entity(value)) {
                        return false;
                    }
                } else if (m_s[m_i] == '<') {
                    set_error("'<' inside an attribute value");
                    return false;
                } else {
                    value += m_s[m_i++];
                }
            }
            if (m_i >= m_s.size()) {
                set_error(fmt::format("unclosed <{}>", e.name));
                return false;
            }
            ++m_i;
            e.attributes.emplace_back(std::move(key), std::move(value));
        }
    }

    std::unique_ptr<Element> element(std::size_t depth) {
        const std::size_t open = m_i;
        if (depth >= k_max_depth) {
            set_error(fmt::format("elements nested deeper than {}", k_max_depth));
            return nullptr;
        }
        ++m_i;  // '<'
        auto e = std::make_unique<Element>();
        e->name = name();
        e->line = line_at(open);
        if (e->name.empty()) {
            set_error("'<' that starts no element name", open);
            return nullptr;
        }
        if (!attributes(*e)) {
            return nullptr;
        }
        if (m_s[m_i] == '/') {
            if (m_i + 1 >= m_s.size() || m_s[m_i + 1] != '>') {
                set_error(fmt::format("malformed end of <{}>", e->name));
                return nullptr;
            }
            m_i += 2;
            return e;
        }
        ++m_i;  // '>'
        if (!content(*e, depth, open)) {
            return nullptr;
        }
        return e;
    }

    bool content(Element& e, std::size_t depth, std::size_t open) {
        while (true) {
            if (m_i >= m_s.size()) {
                set_error(fmt::format("unclosed <{}>", e.name), open);
                return false;
            }
            const std::string_view rest = m_s.substr(m_i);
            if (rest.starts_with("</")) {
                const std::size_t close_at = m_i;
                m_i += 2;
                const std::string closing = name();
                skip_spaces();
                if (closing != e.name || m_i >= m_s.size() || m_s[m_i] != '>') {
                    set_error(closing != e.name
                                  ? fmt::format("</{}> closes <{}> (opened on line {})", closing,
                                                e.name, e.line)
                                  : fmt::format("unclosed <{}>", e.name),
                              close_at);
                    return false;
                }
                ++m_i;
                return true;
            }
            if (rest.starts_with("<![CDATA[")) {
                const auto end = m_s.find("]]>", m_i + 9);
                if (end == std::string_view::npos) {
                    set_error("unclosed CDATA section");
                    return false;
                }
                e.text.append(m_s.substr(m_i + 9, end - m_i - 9));
                m_i = end + 3;
            } else if (rest.starts_with("<!--")) {
                if (!skip_past("-->", "comment")) {
                    return false;
                }
            } else if (rest.starts_with("<?")) {
                if (!skip_past("?>", "processing instruction")) {
                    return false;
                }
            } else if (rest[0] == '<') {
                auto child = element(depth + 1);
                if (!child) {
                    return false;
                }
                e.children.push_back(std::move(child));
            } else if (rest[0] == '&') {
                if (!entity(e.text)) {
                    return false;
                }
            } else {
                e.text += rest[0];
                ++m_i;
            }
        }
    }

    // The 1-based line of `pos`; positions only move forward, so counting is incremental.
    std::size_t line_at(std::size_t pos) {
        for (; m_counted < pos && m_counted < m_s.size(); ++m_counted) {
            m_line += m_s[m_counted] == '\n' ? 1U : 0U;
        }
        return m_line;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
    std::size_t m_counted = 0;
    std::size_t m_line = 1;
    std::string m_error;
    std::size_t m_error_at = 0;
};

}  // namespace

const Element* Element::child(std::string_view wanted) const {
    for (const auto& c : children) {
        if (c->name == wanted || c->local_name() == wanted) {
            return c.get();
        }
    }
    return nullptr;
}

std::string Element::attribute(std::string_view wanted) const {
    for (const auto& [k, v] : attributes) {
        if (k == wanted) {
            return v;
        }
    }
    return {};
}

std::string_view Element::local_name() const {
    const std::string_view n = name;
    const auto colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

Result<std::unique_ptr<Element>> parse(std::string_view text) {
    Parser p(text);
    return p.document();
}

}  // namespace cmtool::watch::xml
