#pragma once
// Measuring the sentiment scorer on a labelled set (tests/data/sentiment/*.tsv): accuracy and
// recall per class, as reported in docs/sentiment.md.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"
#include "cmtool/watch/sentiment.hpp"

namespace cmtool::watch {

// One line of a labelled file: lang<TAB>label<TAB>kind<TAB>text.
struct LabelledPost {
    std::string lang;  // "fr" or "en"
    Polarity label = Polarity::neutral;
    std::string kind;  // complaint, praise, sarcasm, news, question, other
    std::string text;
};

// Parses a labelled TSV whose first line is the header. Fails with ErrorCode::parse and the
// line number when a line has fewer than four columns or an unknown label.
Result<std::vector<LabelledPost>> parse_labelled(std::string_view tsv);

struct ClassCount {
    std::size_t total = 0;    // posts labelled with this class
    std::size_t correct = 0;  // of which the scorer found this class
    double recall() const {
        return total == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(total);
    }
};

struct Evaluation {
    std::size_t total = 0;
    std::size_t correct = 0;
    std::array<ClassCount, 3> by_class{};  // indexed by Polarity
    std::vector<std::size_t> misses;       // indexes of misclassified posts
    double accuracy() const {
        return total == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(total);
    }
    const ClassCount& of(Polarity p) const { return by_class[static_cast<std::size_t>(p)]; }
};

// Scores every post whose lang matches lang_filter (all when empty) with language detection,
// as `cmtool watch` would, and counts the agreements with the labels.
Evaluation evaluate(const SentimentAnalyzer& analyzer, const std::vector<LabelledPost>& posts,
                    std::string_view lang_filter = {});

}  // namespace cmtool::watch
