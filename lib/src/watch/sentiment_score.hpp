#pragma once
// The two steps after tokenising: resolve tokens to lexicon units (language detection and
// phrase matching, sentiment_units.cpp), then apply the rules (sentiment_score.cpp).
#include <cstdint>
#include <string_view>
#include <vector>

#include "cmtool/watch/sentiment.hpp"
#include "watch/sentiment_lexicon.hpp"
#include "watch/sentiment_tokens.hpp"

namespace cmtool::watch::detail {

enum class Pick : std::uint8_t { fr, en, both };

// A token, or a phrase of consecutive words, with its meaning in the chosen language.
struct Unit {
    Entry entry;
    std::uint32_t first = 0;  // token indexes, both included
    std::uint32_t last = 0;
    TokenKind kind = TokenKind::word;
    bool caps = false;
    bool elongated = false;
    bool hashtag = false;
};

// French, English or both from stopword counts; a tie (no stopword at all included) is both.
// Stopwords are counted on the post as written (post is the text tokens was built from): an
// accented word is never an English stopword, so "à" does not count as English "a".
Pick detect_language(const Tokens& tokens, const Lexicon& lexicon, std::string_view post);

// One unit per token, phrases matched longest first; unknown words become empty units so
// that negation scopes count them.
std::vector<Unit> resolve_units(const Tokens& tokens, const Lexicon& lexicon, Pick pick);

// The raw sum of the units' weights after negation, intensifiers, contrast, capitals,
// sarcasm and exclamation marks; each weighing unit is appended to explain when not null.
double weigh_units(const std::vector<Unit>& units, const Tokens& tokens, std::string_view post,
                   std::vector<Contribution>* explain);

}  // namespace cmtool::watch::detail
