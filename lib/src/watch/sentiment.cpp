// The public face of the sentiment scorer: language choice, the builtin analyser and the
// dead zone that turns a score into a polarity (sentiment.hpp).
#include "cmtool/watch/sentiment.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "watch/sentiment_lexicon.hpp"
#include "watch/sentiment_score.hpp"
#include "watch/sentiment_tokens.hpp"

namespace cmtool::watch {
namespace {

// VADER's normalisation constant: sum / sqrt(sum^2 + alpha) maps a raw sum into (-1, 1),
// reaching +-0.5 at a raw sum of about 2.2 (one clear word, or two mild ones).
constexpr double k_alpha = 15.0;

std::string_view pick_name(detail::Pick p) {
    return p == detail::Pick::fr ? "fr" : p == detail::Pick::en ? "en" : "mixed";
}

}  // namespace

std::string_view polarity_name(Polarity p) {
    switch (p) {
        case Polarity::negative:
            return "negative";
        case Polarity::positive:
            return "positive";
        case Polarity::neutral:
            break;
    }
    return "neutral";
}

Result<Lang> parse_lang(std::string_view name) {
    if (name.empty() || name == "auto") {
        return Lang::detect;
    }
    if (name == "fr") {
        return Lang::fr;
    }
    if (name == "en") {
        return Lang::en;
    }
    return fail(ErrorCode::usage, "unknown sentiment language '" + std::string(name) + "'",
                "use fr, en or auto");
}

SentimentAnalyzer::SentimentAnalyzer(std::unique_ptr<const detail::Lexicon> lexicon,
                                     SentimentThresholds thresholds)
    : m_lexicon(std::move(lexicon)), m_thresholds(thresholds) {}

SentimentAnalyzer::SentimentAnalyzer(SentimentAnalyzer&&) noexcept = default;
SentimentAnalyzer& SentimentAnalyzer::operator=(SentimentAnalyzer&&) noexcept = default;
SentimentAnalyzer::~SentimentAnalyzer() = default;

const SentimentAnalyzer& SentimentAnalyzer::builtin() {
    // Immutable once built; C++11 guarantees the initialisation runs once, thread-safely.
    static const SentimentAnalyzer analyzer(
        std::make_unique<const detail::Lexicon>(detail::Lexicon::builtin()), SentimentThresholds{});
    return analyzer;
}

Sentiment SentimentAnalyzer::score(std::string_view text, Lang lang, Explain explain) const {
    const detail::Tokens tokens(text);
    const detail::Pick pick = lang == Lang::fr ? detail::Pick::fr
                              : lang == Lang::en
                                  ? detail::Pick::en
                                  : detail::detect_language(tokens, *m_lexicon, text);
    const std::vector<detail::Unit> units = detail::resolve_units(tokens, *m_lexicon, pick);
    Sentiment out;
    out.lang = pick_name(pick);
    const double sum = detail::weigh_units(units, tokens, text,
                                           explain == Explain::yes ? &out.contributions : nullptr);
    out.score = sum / std::sqrt(sum * sum + k_alpha);
    out.polarity = out.score >= m_thresholds.positive   ? Polarity::positive
                   : out.score <= m_thresholds.negative ? Polarity::negative
                                                        : Polarity::neutral;
    return out;
}

}  // namespace cmtool::watch
