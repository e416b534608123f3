// The sentiment tokenizer (sentiment_tokens.hpp). One pass, no regex: the post is read code
// point by code point and every token's folded text is appended to one buffer.
#include "watch/sentiment_tokens.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.hpp"
#include "watch/sentiment_fold.hpp"

namespace cmtool::watch::detail {
namespace {

using text::detail::decode_at;
using text::detail::Decoded;

struct Emoticon {
    std::string_view written;
    std::string_view canonical;
};

// Longest first, so ":-)" is not read as ":-" and a stray ")".
constexpr std::array<Emoticon, 22> k_emoticons{{
    {":'(", ":'("}, {":-)", ":)"}, {":-(", ":("},  {":-/", ":/"}, {":-D", ":D"}, {";-)", ";)"},
    {":-|", ":|"},  {":-p", ":p"}, {"</3", "</3"}, {":)", ":)"},  {":(", ":("},  {":/", ":/"},
    {":D", ":D"},   {";)", ";)"},  {":|", ":|"},   {":p", ":p"},  {":P", ":p"},  {":o", ":o"},
    {":O", ":o"},   {"<3", "<3"},  {"=)", ":)"},   {"^^", "^^"},
}};

// French elided articles and pronouns: "l'appli" is "l" + "appli", "n'est" is "n" + "est".
// English contractions ("don't", "it's") are joined instead: "dont", "its".
constexpr std::array<std::string_view, 12> k_elisions{"l", "d", "j",  "n",     "c",      "s",
                                                      "m", "t", "qu", "jusqu", "lorsqu", "puisqu"};

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_apostrophe(char32_t cp) {
    return cp == U'\'' || cp == 0x2019U;
}

bool starts_with_ci(std::string_view s, std::size_t i, std::string_view prefix) {
    if (s.size() - i < prefix.size()) {
        return false;
    }
    for (std::size_t k = 0; k < prefix.size(); ++k) {
        char c = s[i + k];
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (c != prefix[k]) {
            return false;
        }
    }
    return true;
}

// True when nothing word-like follows s[i]: the end of an emoticon or of "/s".
bool ends_token(std::string_view s, std::size_t i) {
    return i >= s.size() || !is_word_cp(decode_at(s, i).cp);
}

std::size_t skip_until_space(std::string_view s, std::size_t i) {
    while (i < s.size() && !is_ascii_space(s[i])) {
        ++i;
    }
    return i;
}

// An @mention names an account, not an opinion: skipped with the handle's letters.
std::size_t skip_mention(std::string_view s, std::size_t i) {
    ++i;
    while (i < s.size()) {
        const Decoded d = decode_at(s, i);
        if (!is_word_cp(d.cp) && d.cp != U'_') {
            break;
        }
        i += d.len;
    }
    return i;
}

std::size_t run_end(std::string_view s, std::size_t i, char c) {
    while (i < s.size() && s[i] == c) {
        ++i;
    }
    return i;
}

}  // namespace

Tokens::Tokens(std::string_view post) {
    m_text.reserve(post.size() + post.size() / 4 + 8);
    m_tokens.reserve(post.size() / 4 + 4);
    scan(post);
}

std::string_view Tokens::span(std::size_t first, std::size_t last) const {
    const Token& a = m_tokens[first];
    const Token& b = m_tokens[last];
    return {m_text.data() + a.key, b.key + b.key_len - a.key};
}

void Tokens::open_key() {
    if (!m_text.empty()) {
        m_text += ' ';
    }
}

void Tokens::push(TokenKind kind, std::string_view folded, std::size_t begin, std::size_t end,
                  std::uint32_t count) {
    open_key();
    Token t;
    t.key = static_cast<std::uint32_t>(m_text.size());
    t.key_len = static_cast<std::uint32_t>(folded.size());
    t.begin = static_cast<std::uint32_t>(begin);
    t.end = static_cast<std::uint32_t>(end);
    t.kind = kind;
    t.count = count;
    m_text += folded;
    m_tokens.push_back(t);
}

// Ends the word whose folded text starts at key_start: runs of three or more same letters
// shrink to two in the key ("biennnn" -> "bienn") and to one in the alternative ("bien"),
// because the lexicon may know either ("good", "bien").
void Tokens::push_word(std::size_t key_start, std::size_t begin, std::size_t end, bool caps,
                       bool hashtag) {
    if (key_start == m_text.size()) {
        if (!m_text.empty() && m_text.back() == ' ') {
            m_text.pop_back();
        }
        return;
    }
    Token t;
    t.begin = static_cast<std::uint32_t>(begin);
    t.end = static_cast<std::uint32_t>(end);
    t.caps = caps;
    t.hashtag = hashtag;
    t.key = static_cast<std::uint32_t>(key_start);
    t.key_len = static_cast<std::uint32_t>(m_text.size() - key_start);
    for (std::size_t i = key_start; i + 2 < m_text.size() && !t.elongated; ++i) {
        const char c = m_text[i];
        t.elongated = c >= 'a' && c <= 'z' && m_text[i + 1] == c && m_text[i + 2] == c;
    }
    if (t.elongated) {
        collapse(t);
    }
    m_tokens.push_back(t);
}

// Shrinks the runs of an elongated word in place and writes its one-letter form to m_alt.
void Tokens::collapse(Token& t) {
    std::size_t out = t.key;
    t.alt = static_cast<std::uint32_t>(m_alt.size());
    for (std::size_t i = t.key; i < m_text.size();) {
        const char c = m_text[i];
        const std::size_t j = (c >= 'a' && c <= 'z') ? run_end(m_text, i, c) : i + 1;
        const std::size_t run = j - i;
        for (std::size_t k = 0; k < (run >= 3 ? 2 : run); ++k) {
            m_text[out++] = c;
        }
        m_alt.append(run >= 3 ? 1 : run, c);
        i = j;
    }
    m_text.resize(out);
    t.key_len = static_cast<std::uint32_t>(out - t.key);
    t.alt_len = static_cast<std::uint32_t>(m_alt.size() - t.alt);
}

// Reads a word from post[i]; in a hashtag a capital after a small letter starts a new word
// ("#StarfallDown" -> "starfall", "down"). Returns the index after the word.
std::size_t Tokens::word(std::string_view post, std::size_t i, bool hashtag) {
    open_key();
    std::size_t key_start = m_text.size();
    std::size_t begin = i;
    int upper = 0;
    int lower = 0;
    while (i < post.size()) {
        const Decoded d = decode_at(post, i);
        if (is_apostrophe(d.cp) && i + d.len < post.size() &&
            is_word_cp(decode_at(post, i + d.len).cp)) {
            const std::string_view sofar(m_text.data() + key_start, m_text.size() - key_start);
            for (std::string_view e : k_elisions) {
                if (sofar == e) {
                    push_word(key_start, begin, i + d.len, false, hashtag);
                    open_key();
                    key_start = m_text.size();
                    begin = i + d.len;
                    upper = lower = 0;
                    break;
                }
            }
            i += d.len;
            continue;
        }
        if (!is_word_cp(d.cp)) {
            break;
        }
        const bool up = is_upper(d.cp);
        if (hashtag && up && lower > 0) {
            push_word(key_start, begin, i, false, hashtag);
            open_key();
            key_start = m_text.size();
            begin = i;
            upper = lower = 0;
        }
        const bool low = d.cp < 0x80U ? (d.cp >= U'a' && d.cp <= U'z')
                                      : text::detail::category(d.cp) == UTF8PROC_CATEGORY_LL;
        upper += up ? 1 : 0;
        lower += low ? 1 : 0;
        fold_letter(d.cp, m_text);
        i += d.len;
    }
    push_word(key_start, begin, i, !hashtag && upper >= 2 && lower == 0, hashtag);
    return i;
}

// Everything but words: spaces, URLs, mentions, emoticons, "/s", punctuation and emoji.
void Tokens::scan(std::string_view post) {
    std::size_t i = 0;
    bool after_space = true;  // emoticons, "/s" and URLs only start a token
    while (i < post.size()) {
        const char c = post[i];
        if (is_ascii_space(c)) {
            ++i;
            after_space = true;
            continue;
        }
        const bool at_start = after_space;
        after_space = false;
        if (at_start && (starts_with_ci(post, i, "http://") ||
                         starts_with_ci(post, i, "https://") || starts_with_ci(post, i, "www."))) {
            i = skip_until_space(post, i);
            continue;
        }
        if (at_start && scan_symbol(post, i)) {
            continue;
        }
        if ((c == '@' || c == '#') && i + 1 < post.size() &&
            is_word_cp(decode_at(post, i + 1).cp)) {
            i = c == '@' ? skip_mention(post, i) : word(post, i + 1, true);
            continue;
        }
        if (c == '!' || c == '?' || c == '.') {
            const std::size_t j = run_end(post, i, c);
            const auto n = static_cast<std::uint32_t>(j - i);
            const TokenKind kind = c == '!'   ? TokenKind::exclaim
                                   : c == '?' ? TokenKind::question
                                   : n >= 2   ? TokenKind::ellipsis
                                              : TokenKind::stop;
            push(kind, kind == TokenKind::ellipsis ? "..." : post.substr(i, 1), i, j, n);
            i = j;
            continue;
        }
        if (c == ',' || c == ';' || c == ':') {
            push(TokenKind::stop, post.substr(i, 1), i, i + 1);
            ++i;
            continue;
        }
        const Decoded d = decode_at(post, i);
        if (is_word_cp(d.cp)) {
            i = word(post, i, false);
        } else if (d.cp == 0x2026U) {
            push(TokenKind::ellipsis, "...", i, i + d.len);
            i += d.len;
        } else if (is_emoji_cp(d.cp) && d.cp != text::detail::k_replacement) {
            push(TokenKind::emoji, post.substr(i, d.len), i, i + d.len);
            i += d.len;
        } else {
            after_space = text::detail::is_space(d.cp);
            i += d.len;  // other punctuation, modifiers, invalid bytes: a separator
        }
    }
}

// An emoticon or the "/s" irony marker at post[i], pushed when found.
bool Tokens::scan_symbol(std::string_view post, std::size_t& i) {
    if (post[i] == '/' && i + 1 < post.size() && (post[i + 1] == 's' || post[i + 1] == 'S') &&
        ends_token(post, i + 2)) {
        push(TokenKind::irony, "/s", i, i + 2);
        i += 2;
        return true;
    }
    for (const Emoticon& e : k_emoticons) {
        if (post.compare(i, e.written.size(), e.written) == 0 &&
            ends_token(post, i + e.written.size())) {
            push(TokenKind::emoticon, e.canonical, i, i + e.written.size());
            i += e.written.size();
            return true;
        }
    }
    return false;
}

std::string fold_key(std::string_view phrase) {
    const Tokens t(phrase);
    if (t.list().empty()) {
        return {};
    }
    return std::string(t.span(0, t.list().size() - 1));
}

}  // namespace cmtool::watch::detail
