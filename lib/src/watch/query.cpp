// Watch queries (query.hpp): a tiny search syntax, folded once, matched with substring search
// on space-padded folded text, which gives word boundaries for free.
#include "cmtool/watch/query.hpp"

#include <algorithm>

#include "text/utf8.hpp"
#include "watch/sentiment_fold.hpp"

namespace cmtool::watch {

std::string fold_for_match(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += ' ';
    for (std::size_t i = 0; i < text.size();) {
        const auto d = text::detail::decode_at(text, i);
        i += d.len;
        if (detail::is_word_cp(d.cp)) {
            detail::fold_letter(d.cp, out);
        } else if (out.back() != ' ') {
            out += ' ';
        }
    }
    if (out.back() != ' ') {
        out += ' ';
    }
    return out;
}

Result<Query> Query::parse(std::string_view terms, std::vector<std::string> languages) {
    Query q;
    q.m_languages = std::move(languages);
    std::size_t i = 0;
    while (i < terms.size()) {
        const char c = terms[i];
        if (c == ' ' || c == '\t' || c == ',') {
            ++i;
            continue;
        }
        char sign = 0;
        if ((c == '+' || c == '-') && i + 1 < terms.size() && terms[i + 1] != ' ') {
            sign = c;
            ++i;
        }
        Term t;
        if (terms[i] == '"') {
            const auto close = terms.find('"', i + 1);
            if (close == std::string_view::npos) {
                return fail(ErrorCode::invalid,
                            "unclosed quote in query terms: " + std::string(terms),
                            "close the phrase with a second \"");
            }
            t.written = std::string(terms.substr(i + 1, close - i - 1));
            t.phrase = true;
            i = close + 1;
        } else {
            const auto end = std::min(terms.find_first_of(" \t,", i), terms.size());
            t.written = std::string(terms.substr(i, end - i));
            i = end;
        }
        t.folded = fold_for_match(t.written);
        if (t.folded.size() <= 2) {
            continue;  // punctuation only
        }
        (sign == '+' ? q.m_required : sign == '-' ? q.m_excluded : q.m_any).push_back(t);
    }
    if (q.m_any.empty() && q.m_required.empty()) {
        return fail(ErrorCode::invalid,
                    "query terms have no word to look for: " + std::string(terms),
                    "write at least one term, e.g. greencart \"green cart\"");
    }
    return q;
}

bool Query::matches(std::string_view text, std::string_view lang, AssumeTerm assume) const {
    return matches_folded(fold_for_match(text), lang, assume);
}

bool Query::matches_folded(std::string_view folded, std::string_view lang,
                           AssumeTerm assume) const {
    const auto has = [&](const Term& t) { return folded.find(t.folded) != std::string_view::npos; };
    if (!m_languages.empty() && !lang.empty() && lang != "mixed" &&
        std::find(m_languages.begin(), m_languages.end(), lang.substr(0, 2)) == m_languages.end()) {
        return false;
    }
    if (std::any_of(m_excluded.begin(), m_excluded.end(), has)) {
        return false;
    }
    if (!std::all_of(m_required.begin(), m_required.end(), has)) {
        return false;
    }
    return assume == AssumeTerm::yes || m_any.empty() ||
           std::any_of(m_any.begin(), m_any.end(), has);
}

std::string Query::search_text(std::string_view separator) const {
    std::string out;
    for (const auto& t : m_any.empty() ? m_required : m_any) {
        if (!out.empty()) {
            out += separator;
        }
        out += t.phrase ? "\"" + t.written + "\"" : t.written;
    }
    return out;
}

std::vector<std::string> Query::hashtags() const {
    std::vector<std::string> out;
    for (const auto& t : m_any) {
        if (!t.phrase && t.written.size() > 1 && t.written.front() == '#') {
            out.push_back(t.written.substr(1));
        }
    }
    return out;
}

}  // namespace cmtool::watch
