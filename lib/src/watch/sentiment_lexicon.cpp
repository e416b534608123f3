// Builds the lexicon's hash map from the word lists (sentiment_lexicon.hpp).
#include "watch/sentiment_lexicon.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "watch/sentiment_tokens.hpp"

namespace cmtool::watch::detail {
namespace {

std::uint8_t token_count(std::string_view folded) {
    const auto spaces = std::count(folded.begin(), folded.end(), ' ');
    return static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(spaces + 1, 255));
}

}  // namespace

Lexicon Lexicon::builtin() {
    Lexicon lex;
    lex.m_slots.reserve(2048);
    lex.add(shared_words(), LexLang::fr);
    lex.add(shared_words(), LexLang::en);
    lex.add(french_words(), LexLang::fr);
    lex.add(english_words(), LexLang::en);
    return lex;
}

// A key listed twice in one language keeps its first meaning: the shared emoji come first and
// a word list cannot redefine them by accident.
void Lexicon::add(std::span<const RawEntry> words, LexLang lang) {
    const auto l = static_cast<std::size_t>(lang);
    for (const RawEntry& raw : words) {
        std::string folded = fold_key(raw.key);
        if (folded.empty()) {
            continue;
        }
        auto it = m_slots.find(folded);
        if (it == m_slots.end()) {
            m_keys.push_back(std::move(folded));
            it = m_slots.emplace(std::string_view(m_keys.back()), Slot{}).first;
        }
        Slot& slot = it->second;
        if (!slot.known[l]) {
            slot.known[l] = true;
            slot.by_lang[l] = Entry{raw.valence, raw.boost, raw.flags};
        }
        const std::uint8_t n = token_count(it->first);
        if (n > 1) {
            const std::string_view first = it->first.substr(0, it->first.find(' '));
            auto head = m_slots.find(first);
            if (head == m_slots.end()) {
                m_keys.emplace_back(first);
                head = m_slots.emplace(std::string_view(m_keys.back()), Slot{}).first;
            }
            head->second.longest_phrase = std::max(head->second.longest_phrase, n);
        }
    }
}

}  // namespace cmtool::watch::detail
