// The sentiment scorer measured on the labelled set (tests/data/sentiment/README.md): dev.tsv
// tuned the lexicon and thresholds, heldout.tsv was written first and only measured at the
// end. Targets from the watch issue: accuracy >= 75 %, no class under 60 % recall.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cmtool/util/files.hpp"
#include "cmtool/watch/sentiment.hpp"
#include "cmtool/watch/sentiment_eval.hpp"

using namespace cmtool::watch;

namespace {

constexpr double k_min_accuracy = 0.75;
constexpr double k_min_recall = 0.60;

std::vector<LabelledPost> load(std::string_view name) {
    const auto path = std::filesystem::path(CMTOOL_TEST_DATA) / "sentiment" / name;
    auto content = cmtool::util::read_file(path);
    REQUIRE_MESSAGE(content.has_value(), path.string());
    auto posts = parse_labelled(*content);
    if (!posts) {
        FAIL(posts.error().message);
    }
    return std::move(*posts);
}

std::string summary(std::string_view set, std::string_view lang, const Evaluation& ev) {
    return fmt::format(
        "{:<8} {:<5} n={:<3} accuracy {:5.1f}%  recall: negative {:5.1f}%  "
        "neutral {:5.1f}%  positive {:5.1f}%",
        set, lang.empty() ? "all" : lang, ev.total, 100 * ev.accuracy(),
        100 * ev.of(Polarity::negative).recall(), 100 * ev.of(Polarity::neutral).recall(),
        100 * ev.of(Polarity::positive).recall());
}

void check_targets(const Evaluation& ev) {
    CHECK(ev.accuracy() >= k_min_accuracy);
    for (Polarity p : {Polarity::negative, Polarity::neutral, Polarity::positive}) {
        INFO(polarity_name(p));
        CHECK(ev.of(p).recall() >= k_min_recall);
    }
}

}  // namespace

TEST_SUITE("watch.sentiment_eval") {
    TEST_CASE("sentiment: parse_labelled reports the line of a broken row") {
        const auto ok = parse_labelled("lang\tlabel\tkind\ttext\nfr\tpositive\tpraise\tsuper\n");
        REQUIRE(ok.has_value());
        REQUIRE(ok->size() == 1);
        CHECK((*ok)[0].label == Polarity::positive);
        CHECK((*ok)[0].text == "super");
        const auto short_row = parse_labelled("header\nfr\tpositive\n");
        REQUIRE_FALSE(short_row.has_value());
        CHECK(short_row.error().message.find("line 2") != std::string::npos);
        const auto bad_label = parse_labelled("header\nen\tangry\tcomplaint\tugh\n");
        REQUIRE_FALSE(bad_label.has_value());
        CHECK(bad_label.error().code == cmtool::ErrorCode::parse);
    }

    TEST_CASE("sentiment: the labelled set is big and balanced enough to mean something") {
        const auto dev = load("dev.tsv");
        const auto heldout = load("heldout.tsv");
        CHECK(dev.size() + heldout.size() >= 340);
        CHECK(heldout.size() * 100 >= (dev.size() + heldout.size()) * 35);  // about 40 %
        for (const auto* set : {&dev, &heldout}) {
            std::size_t fr = 0;
            for (const LabelledPost& p : *set) {
                fr += p.lang == "fr" ? 1U : 0U;
                CHECK((p.lang == "fr" || p.lang == "en"));
            }
            CHECK(fr * 2 == set->size());
        }
    }

    TEST_CASE("sentiment: accuracy and recall per class on dev, heldout and both") {
        const auto dev = load("dev.tsv");
        const auto heldout = load("heldout.tsv");
        std::vector<LabelledPost> all = dev;
        all.insert(all.end(), heldout.begin(), heldout.end());
        const SentimentAnalyzer& a = SentimentAnalyzer::builtin();
        for (std::string_view lang : {"", "fr", "en"}) {
            MESSAGE(summary("dev", lang, evaluate(a, dev, lang)));
            MESSAGE(summary("heldout", lang, evaluate(a, heldout, lang)));
            MESSAGE(summary("combined", lang, evaluate(a, all, lang)));
        }
        check_targets(evaluate(a, heldout));
        check_targets(evaluate(a, all));
    }
}
