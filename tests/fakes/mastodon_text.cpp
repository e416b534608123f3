#include "mastodon_text.hpp"

#include <fmt/format.h>

namespace cmtool::fakes {
namespace {

bool is_word(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           u >= 0x80;
}

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// '#' and '@' start a token only at the start or after a non-word character (not in e-mail).
bool at_boundary(std::string_view text, std::size_t i) {
    return i == 0 || (!is_word(text[i - 1]) && text[i - 1] != '/' && text[i - 1] != '@');
}

std::size_t url_end(std::string_view text, std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && !is_space(text[end])) {
        ++end;
    }
    while (end > start && std::string_view(".,:;!?'\")").find(text[end - 1]) != std::string::npos) {
        --end;  // trailing punctuation is not part of the URL
    }
    return end;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
    }
    return n;
}

}  // namespace

std::vector<TextToken> tokenize(std::string_view text) {
    std::vector<TextToken> out;
    auto push_text = [&](std::string_view s) {
        if (out.empty() || out.back().kind != TextToken::Kind::text) {
            out.push_back(TextToken{});
        }
        out.back().raw += s;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const std::string_view rest = text.substr(i);
        const bool scheme = rest.starts_with("http://") || rest.starts_with("https://");
        if (scheme && (i == 0 || !is_word(text[i - 1]))) {
            const auto end = url_end(text, i);
            if (end > i + (rest.starts_with("https") ? 8U : 7U)) {
                out.push_back({TextToken::Kind::url, std::string(text.substr(i, end - i)), {}, {}});
                i = end;
                continue;
            }
        }
        if ((text[i] == '#' || text[i] == '@') && at_boundary(text, i)) {
            std::size_t end = i + 1;
            while (end < text.size() && is_word(text[end])) {
                ++end;
            }
            if (end > i + 1) {
                TextToken token{
                    text[i] == '#' ? TextToken::Kind::hashtag : TextToken::Kind::mention,
                    {},
                    std::string(text.substr(i + 1, end - i - 1)),
                    {}};
                if (token.kind == TextToken::Kind::mention && end < text.size() &&
                    text[end] == '@') {
                    std::size_t d = end + 1;
                    while (d < text.size() &&
                           (is_word(text[d]) || text[d] == '.' || text[d] == '-')) {
                        ++d;
                    }
                    while (d > end + 1 && text[d - 1] == '.') {
                        --d;
                    }
                    const std::string_view domain = text.substr(end + 1, d - end - 1);
                    if (domain.find('.') != std::string_view::npos) {
                        token.domain = std::string(domain);
                        end = d;
                    }
                }
                token.raw = std::string(text.substr(i, end - i));
                out.push_back(std::move(token));
                i = end;
                continue;
            }
        }
        push_text(text.substr(i, 1));
        ++i;
    }
    return out;
}

std::size_t mastodon_length(std::string_view text, std::size_t url_weight) {
    std::size_t n = 0;
    for (const auto& token : tokenize(text)) {
        switch (token.kind) {
            case TextToken::Kind::url:
                n += url_weight;
                break;
            case TextToken::Kind::mention:
                n += 1 + code_points(token.name);
                break;
            default:
                n += code_points(token.raw);
        }
    }
    return n;
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string render_content(std::string_view text, std::string_view base) {
    std::string html = "<p>";
    for (const auto& token : tokenize(text)) {
        switch (token.kind) {
            case TextToken::Kind::url:
                html += fmt::format(
                    "<a href=\"{0}\" target=\"_blank\" rel=\"nofollow noopener "
                    "noreferrer\">{0}</a>",
                    html_escape(token.raw));
                break;
            case TextToken::Kind::hashtag:
                html += fmt::format(
                    "<a href=\"{}/tags/{}\" class=\"mention hashtag\" "
                    "rel=\"tag\">#<span>{}</span></a>",
                    base, html_escape(ascii_lower(token.name)), html_escape(token.name));
                break;
            case TextToken::Kind::mention:
                html += fmt::format(
                    "<span class=\"h-card\"><a href=\"{}/@{}\" class=\"u-url mention\">@<span>{}"
                    "</span></a></span>",
                    token.domain.empty() ? std::string(base) : "https://" + token.domain,
                    html_escape(token.name), html_escape(token.name));
                break;
            case TextToken::Kind::text: {
                std::string escaped = html_escape(token.raw);
                std::string t;
                for (std::size_t i = 0; i < escaped.size(); ++i) {
                    if (escaped.compare(i, 2, "\n\n") == 0) {
                        t += "</p><p>";
                        while (i + 1 < escaped.size() && escaped[i + 1] == '\n') {
                            ++i;
                        }
                    } else if (escaped[i] == '\n') {
                        t += "<br />";
                    } else if (escaped[i] != '\r') {
                        t += escaped[i];
                    }
                }
                html += t;
                break;
            }
        }
    }
    return html + "</p>";
}

std::string iso_time(std::chrono::system_clock::time_point t, int fraction_digits) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<microseconds>(t - day)};
    const auto micros = hms.subseconds().count();
    std::string fraction;
    if (fraction_digits > 0) {
        fraction =
            fmt::format(".{:06d}", micros).substr(0, static_cast<std::size_t>(fraction_digits) + 1);
    }
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count(), fraction);
}

}  // namespace cmtool::fakes
