#pragma once
// Sentiment of a social-media post (French and English) for `cmtool watch`: a lexicon scorer
// with negation, intensifiers, emoji, contrast and a few sarcasm patterns (docs/sentiment.md).
// Scoring is pure and allocation-light so that a million mentions score in seconds.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::watch {

enum class Polarity { negative, neutral, positive };

// "negative", "neutral" or "positive".
std::string_view polarity_name(Polarity p);

// Which lexicons to use: detect picks French, English or both from stopword counts.
enum class Lang { detect, fr, en };

// "fr" and "en" name a language; "" and "auto" mean detect. Anything else is an
// ErrorCode::usage error whose hint lists the accepted values.
Result<Lang> parse_lang(std::string_view name);

enum class Explain { no, yes };

// One piece of evidence: the words as written in the post, their signed weight in the raw sum
// and why they weigh that much ("negated by 'pas'", "intensified by 'très'", "emoji").
struct Contribution {
    std::string token;
    double weight = 0;
    std::string why;
};

struct Sentiment {
    Polarity polarity = Polarity::neutral;
    double score = 0;  // normalised raw sum, in (-1, 1)
    // The words that decided, in text order; filled only with Explain::yes.
    std::vector<Contribution> contributions;
    std::string lang;  // "fr", "en", or "mixed" when both lexicons were used
};

// Where the neutral dead zone ends, measured on tests/data/sentiment/dev.tsv.
struct SentimentThresholds {
    double positive = 0.2;   // score >= positive: positive
    double negative = -0.2;  // score <= negative: negative
};

namespace detail {
class Lexicon;
}

class SentimentAnalyzer {
  public:
    // The analyser with the built-in French and English lexicons, built once on first use
    // (thread-safe) and immutable afterwards.
    static const SentimentAnalyzer& builtin();

    // Scores one post. Never fails: empty text, URLs only or invalid UTF-8 score neutral 0;
    // contributions are filled only when explain is Explain::yes.
    Sentiment score(std::string_view text, Lang lang = Lang::detect,
                    Explain explain = Explain::no) const;

    // The neutral dead zone in use.
    const SentimentThresholds& thresholds() const { return m_thresholds; }

    SentimentAnalyzer(SentimentAnalyzer&&) noexcept;
    SentimentAnalyzer& operator=(SentimentAnalyzer&&) noexcept;
    ~SentimentAnalyzer();

  private:
    SentimentAnalyzer(std::unique_ptr<const detail::Lexicon> lexicon,
                      SentimentThresholds thresholds);

    std::unique_ptr<const detail::Lexicon> m_lexicon;
    SentimentThresholds m_thresholds;
};

}  // namespace cmtool::watch
