// Language detection and the mapping of tokens to lexicon units (sentiment_score.hpp).
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include "watch/sentiment_score.hpp"

namespace cmtool::watch::detail {
namespace {

// A word the lexicon knows, trying the elongation-free form and a plural's singular next:
// "soooo" -> "so", "cassés" -> "casse".
const Slot* find_word(const Tokens& tokens, const Token& t, const Lexicon& lexicon) {
    const std::string_view key = tokens.key(t);
    if (const Slot* s = lexicon.find(key)) {
        return s;
    }
    if (t.alt_len > 0) {
        if (const Slot* s = lexicon.find(tokens.alt(t))) {
            return s;
        }
    }
    if (t.kind == TokenKind::word && key.size() > 3 && key.back() == 's') {
        return lexicon.find(key.substr(0, key.size() - 1));
    }
    return nullptr;
}

// The meaning of a slot in the chosen language; with both, the stronger one.
bool pick_entry(const Slot& slot, Pick pick, Entry& out) {
    const bool fr = slot.known[0];
    const bool en = slot.known[1];
    if (pick == Pick::fr || (pick == Pick::both && fr && !en)) {
        out = slot.by_lang[0];
        return fr;
    }
    if (pick == Pick::en || !fr) {
        out = slot.by_lang[1];
        return en;
    }
    const Entry& a = slot.by_lang[0];
    const Entry& b = slot.by_lang[1];
    out =
        std::abs(a.valence) + std::abs(a.boost) >= std::abs(b.valence) + std::abs(b.boost) ? a : b;
    out.flags = static_cast<std::uint16_t>(a.flags | b.flags);
    return true;
}

// The longest known phrase of words starting at token i, as its last token; i when none.
std::size_t match_phrase(const Tokens& tokens, const Lexicon& lexicon, std::size_t i,
                         const Slot& head, Pick pick, Entry& out) {
    const auto& list = tokens.list();
    std::size_t words = 1;
    while (words < head.longest_phrase && i + words < list.size() &&
           list[i + words].kind == TokenKind::word) {
        ++words;
    }
    for (std::size_t n = words; n >= 2; --n) {
        const Slot* s = lexicon.find(tokens.span(i, i + n - 1));
        if (s != nullptr && pick_entry(*s, pick, out)) {
            return i + n - 1;
        }
    }
    return i;
}

// Whether the token's original bytes hold a non-ASCII letter (an accent before folding).
bool written_with_accent(std::string_view post, const Token& t) {
    for (std::size_t i = t.begin; i < t.end && i < post.size(); ++i) {
        if (static_cast<unsigned char>(post[i]) >= 0x80U) {
            return true;
        }
    }
    return false;
}

}  // namespace

Pick detect_language(const Tokens& tokens, const Lexicon& lexicon, std::string_view post) {
    int fr = 0;
    int en = 0;
    for (const Token& t : tokens.list()) {
        if (t.kind != TokenKind::word) {
            continue;
        }
        const Slot* s = lexicon.find(tokens.key(t));
        if (s == nullptr) {
            continue;
        }
        const bool fr_stop = s->known[0] && s->by_lang[0].has(k_stopword);
        const bool en_stop = s->known[1] && s->by_lang[1].has(k_stopword);
        if (written_with_accent(post, t)) {
            // English stopwords are plain ASCII: an accented form that folds onto one is
            // French ("à" folds to English "a", "où" to "ou"), so it counts for French only.
            fr += (fr_stop || en_stop) ? 1 : 0;
            continue;
        }
        fr += fr_stop ? 1 : 0;
        en += en_stop ? 1 : 0;
    }
    return fr > en ? Pick::fr : en > fr ? Pick::en : Pick::both;
}

std::vector<Unit> resolve_units(const Tokens& tokens, const Lexicon& lexicon, Pick pick) {
    const auto& list = tokens.list();
    std::vector<Unit> units;
    units.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Token& t = list[i];
        Unit u;
        u.first = u.last = static_cast<std::uint32_t>(i);
        u.kind = t.kind;
        u.caps = t.caps;
        u.elongated = t.elongated;
        u.hashtag = t.hashtag;
        if (!is_boundary(t.kind) || t.kind == TokenKind::irony) {
            const Slot* s = find_word(tokens, t, lexicon);
            if (s != nullptr && s->longest_phrase > 1 && t.kind == TokenKind::word) {
                Entry phrase;
                const std::size_t last = match_phrase(tokens, lexicon, i, *s, pick, phrase);
                if (last != i) {
                    u.entry = phrase;
                    u.last = static_cast<std::uint32_t>(last);
                    u.caps = false;
                    units.push_back(u);
                    i = last;
                    continue;
                }
            }
            if (s != nullptr && !pick_entry(*s, pick, u.entry)) {
                u.entry = Entry{};
            }
        }
        units.push_back(u);
    }
    return units;
}

}  // namespace cmtool::watch::detail
