// Plain text out of Mastodon's sanitised HTML, for lookup()'s text matching.
#include "platforms/mastodon_text.hpp"

#include <cstdint>

namespace cmtool::platforms::mastodon {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_word(char c) {
    return is_alnum(c) || c == '_';
}

void append_utf8(std::string& out, std::uint32_t cp) {
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

// The character an entity body ("amp", "#39", "#x27") stands for, appended to `out`; false
// when it is not one we know.
bool decode_entity(std::string_view name, std::string& out) {
    if (name == "amp") {
        out += '&';
    } else if (name == "lt") {
        out += '<';
    } else if (name == "gt") {
        out += '>';
    } else if (name == "quot") {
        out += '"';
    } else if (name == "apos") {
        out += '\'';
    } else if (name == "nbsp") {
        out += ' ';
    } else if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const std::string_view digits = name.substr(hex ? 2 : 1);
        std::uint32_t cp = 0;
        for (const char c : digits) {
            std::uint32_t d = 0;
            if (c >= '0' && c <= '9') {
                d = static_cast<std::uint32_t>(c - '0');
            } else if (hex && c >= 'a' && c <= 'f') {
                d = static_cast<std::uint32_t>(c - 'a') + 10U;
            } else if (hex && c >= 'A' && c <= 'F') {
                d = static_cast<std::uint32_t>(c - 'A') + 10U;
            } else {
                return false;
            }
            cp = cp * (hex ? 16U : 10U) + d;
            if (cp > 0x10FFFFU) {
                return false;
            }
        }
        if (digits.empty() || cp == 0) {
            return false;
        }
        append_utf8(out, cp);
    } else {
        return false;
    }
    return true;
}

std::string decode_entities(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            const auto semi = s.find(';', i + 1);
            if (semi != std::string_view::npos && semi - i <= 10 &&
                decode_entity(s.substr(i + 1, semi - i - 1), out)) {
                i = semi;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// The value of attribute `name` in a tag's text (`a href="..." class="..."`), decoded.
std::string attribute(std::string_view tag, std::string_view name) {
    for (std::size_t pos = tag.find(name); pos != std::string_view::npos;
         pos = tag.find(name, pos + 1)) {
        const std::size_t eq = pos + name.size();
        if (pos == 0 || !is_space(tag[pos - 1]) || eq + 1 >= tag.size() || tag[eq] != '=') {
            continue;
        }
        const char quote = tag[eq + 1];
        if (quote != '"' && quote != '\'') {
            continue;
        }
        const auto end = tag.find(quote, eq + 2);
        if (end != std::string_view::npos) {
            return decode_entities(tag.substr(eq + 2, end - eq - 2));
        }
    }
    return {};
}

std::string tag_name(std::string_view tag) {
    std::string name;
    for (const char c : tag.substr(!tag.empty() && tag[0] == '/' ? 1 : 0)) {
        if (!is_alnum(c)) {
            break;
        }
        name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return name;
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    bool in_link_href = false;  // inside an <a> replaced by its href: drop its visible text
    std::size_t i = 0;
    while (i < html.size()) {
        if (html[i] != '<') {
            const auto next = html.find('<', i);
            const auto run = html.substr(i, next == std::string_view::npos ? next : next - i);
            if (!in_link_href) {
                out += decode_entities(run);
            }
            i += run.size();
            continue;
        }
        const auto close = html.find('>', i);
        if (close == std::string_view::npos) {
            break;  // a cut-off tag: nothing readable follows
        }
        const std::string_view tag = html.substr(i + 1, close - i - 1);
        const bool closing = !tag.empty() && tag[0] == '/';
        const std::string name = tag_name(tag);
        if (name == "br") {
            out += '\n';
        } else if (name == "p" && closing) {
            out += "\n\n";
        } else if (name == "a" && closing) {
            in_link_href = false;
        } else if (name == "a") {
            const std::string cls = attribute(tag, "class");
            const bool keep_text = cls.find("mention") != std::string::npos ||
                                   cls.find("hashtag") != std::string::npos;
            const std::string href = attribute(tag, "href");
            if (!keep_text && !href.empty()) {
                out += href;
                in_link_href = true;
            }
        }
        i = close + 1;
    }
    return out;
}

std::string normalise_for_match(std::string_view text) {
    std::string cut;  // mentions without their domain
    for (std::size_t i = 0; i < text.size(); ++i) {
        cut += text[i];
        if (text[i] != '@' || (i > 0 && (is_word(text[i - 1]) || text[i - 1] == '@'))) {
            continue;
        }
        std::size_t j = i + 1;
        while (j < text.size() && (is_word(text[j]) || text[j] == '.' || text[j] == '-')) {
            ++j;
        }
        while (j > i + 1 && !is_word(text[j - 1])) {
            --j;  // a trailing '.' or '-' is punctuation, not part of the username
        }
        if (j == i + 1 || j >= text.size() || text[j] != '@') {
            continue;
        }
        std::size_t k = j + 1;
        while (k < text.size() && (is_alnum(text[k]) || text[k] == '.' || text[k] == '-')) {
            ++k;
        }
        while (k > j + 1 && !is_alnum(text[k - 1])) {
            --k;
        }
        if (k == j + 1) {
            continue;
        }
        cut.append(text.substr(i + 1, j - i - 1));
        i = k - 1;  // skip "@domain"
    }
    std::string out;
    bool pending_space = false;
    for (const char c : cut) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out += ' ';
            pending_space = false;
        }
        out += c;
    }
    return out;
}

std::optional<std::string> next_page_query(std::string_view link_header) {
    std::size_t pos = 0;
    while (pos < link_header.size()) {
        const auto open = link_header.find('<', pos);
        const auto close = open == std::string_view::npos ? open : link_header.find('>', open);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view url = link_header.substr(open + 1, close - open - 1);
        const auto end = link_header.find('<', close);
        const std::string_view params =
            link_header.substr(close + 1, end == std::string_view::npos ? end : end - close - 1);
        if (params.find("rel=\"next\"") != std::string_view::npos ||
            params.find("rel=next") != std::string_view::npos) {
            const auto q = url.find('?');
            return q == std::string_view::npos ? std::string() : std::string(url.substr(q + 1));
        }
        pos = close + 1;
    }
    return std::nullopt;
}

}  // namespace cmtool::platforms::mastodon
