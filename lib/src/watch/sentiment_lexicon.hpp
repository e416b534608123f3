#pragma once
// The sentiment lexicon: what each folded word or phrase means, per language, in one hash map
// built once. Keys are written naturally in the word lists and folded by the tokenizer, so a
// list entry and a post always meet in the same form.
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cmtool::watch::detail {

// What a word does besides carrying a valence (bits of Entry::flags).
inline constexpr std::uint16_t k_negator = 1U << 0U;       // flips the next few polar words
inline constexpr std::uint16_t k_post_negator = 1U << 1U;  // French "pas" after a verb
inline constexpr std::uint16_t k_ne = 1U << 2U;           // "ne": a negator unless pas/rien follows
inline constexpr std::uint16_t k_contrast = 1U << 3U;     // "mais", "but": what follows weighs more
inline constexpr std::uint16_t k_ironic = 1U << 4U;       // praise often said sarcastically
inline constexpr std::uint16_t k_event = 1U << 5U;        // a complaint event: delay, outage, lost
inline constexpr std::uint16_t k_resolution = 1U << 6U;   // "fixed", "remboursé": it ended well
inline constexpr std::uint16_t k_irony_mark = 1U << 7U;   // 🙄, "/s": the writer says sarcasm
inline constexpr std::uint16_t k_stopword = 1U << 8U;     // counts for language detection
inline constexpr std::uint16_t k_no_negation = 1U << 9U;  // holds its own negation: "pas mal"

struct Entry {
    float valence = 0;  // VADER-like scale: 1 mild, 2 clear, 3 strong, sign = polarity
    float boost = 0;    // > 0 intensifier, < 0 diminisher of the next polar word
    std::uint16_t flags = 0;

    bool has(std::uint16_t f) const { return (flags & f) != 0; }
    bool empty() const { return valence == 0 && boost == 0 && flags == 0; }
};

// One line of a word list, before folding.
struct RawEntry {
    std::string_view key;
    float valence = 0;
    float boost = 0;
    std::uint16_t flags = 0;
};

// Word-list helpers: a polar word, an intensifier (boost > 0) or diminisher, a function word.
constexpr RawEntry word(std::string_view key, float valence, std::uint16_t flags = 0) {
    return RawEntry{key, valence, 0, flags};
}
constexpr RawEntry booster(std::string_view key, float boost, float valence = 0,
                           std::uint16_t flags = 0) {
    return RawEntry{key, valence, boost, flags};
}
constexpr RawEntry marker(std::string_view key, std::uint16_t flags) {
    return RawEntry{key, 0, 0, flags};
}

enum class LexLang : std::uint8_t { fr = 0, en = 1 };

// A folded key's meaning in each language, and how long the phrases starting with it are.
struct Slot {
    Entry by_lang[2];
    bool known[2] = {false, false};
    std::uint8_t longest_phrase = 1;  // in tokens; > 1 when a phrase starts with this key
};

// The word lists (sentiment_words_*.cpp). Emoji and emoticons are in both languages.
std::span<const RawEntry> french_words();
std::span<const RawEntry> english_words();
std::span<const RawEntry> shared_words();

class Lexicon {
  public:
    // Folds and indexes the built-in word lists.
    static Lexicon builtin();

    // The slot of a folded key or phrase, nullptr when unknown.
    const Slot* find(std::string_view folded) const {
        const auto it = m_slots.find(folded);
        return it == m_slots.end() ? nullptr : &it->second;
    }
    std::size_t size() const { return m_slots.size(); }

  private:
    void add(std::span<const RawEntry> words, LexLang lang);

    std::deque<std::string> m_keys;  // stable storage for the map's string_view keys
    std::unordered_map<std::string_view, Slot> m_slots;
};

}  // namespace cmtool::watch::detail
