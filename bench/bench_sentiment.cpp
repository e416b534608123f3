// bench_sentiment: how many mentions per second the sentiment scorer handles on one core.
// Posts are the labelled set's texts (tests/data/sentiment/*.tsv) repeated to N, each with a
// different @mention in front so no two strings are equal. Three loops over the same posts:
//   read      the floor: every byte read once (a checksum), nothing else
//   tokenize  the scorer's tokenizer alone
//   score     SentimentAnalyzer::score without explanations
// and, on a tenth of the posts, score with Explain::yes. Prints posts/s and the ratios.
//   bench_sentiment [N]   (default 1000000)
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/files.hpp"
#include "cmtool/watch/sentiment.hpp"
#include "cmtool/watch/sentiment_eval.hpp"
#include "watch/sentiment_tokens.hpp"

using namespace cmtool;

namespace {

using Clock = std::chrono::steady_clock;

struct Timing {
    double seconds = 0;
    std::uint64_t checksum = 0;  // printed so the optimiser keeps the work
};

std::vector<std::string> make_posts(std::size_t n) {
    std::vector<std::string> texts;
    for (const char* name : {"dev.tsv", "heldout.tsv"}) {
        const auto path = std::filesystem::path(CMTOOL_TEST_DATA) / "sentiment" / name;
        auto content = util::read_file(path);
        auto posts = content ? watch::parse_labelled(*content) : fail(content.error());
        if (!posts) {
            throw std::runtime_error(path.string() + ": " + posts.error().message);
        }
        for (watch::LabelledPost& p : *posts) {
            texts.push_back(std::move(p.text));
        }
    }
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(fmt::format("@user{} {}", i % 9973, texts[i % texts.size()]));
    }
    return out;
}

template <class F>
Timing timed(const std::vector<std::string>& posts, std::size_t count, F&& f) {
    Timing t;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        t.checksum += f(posts[i]);
    }
    t.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return t;
}

void report(std::string_view what, std::size_t count, const Timing& t, const Timing& floor) {
    const double rate = static_cast<double>(count) / t.seconds;
    fmt::print("{:<16} {:>9} posts {:>8.3f} s {:>12.0f} posts/s {:>7.2f}x read  (checksum {})\n",
               what, count, t.seconds, rate, t.seconds / floor.seconds, t.checksum);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 1'000'000;
    if (argc > 1) {
        const std::string_view a = argv[1];
        if (std::from_chars(a.data(), a.data() + a.size(), n).ec != std::errc{} || n == 0) {
            fmt::print(stderr, "usage: bench_sentiment [N]\n");
            return 2;
        }
    }
    const std::vector<std::string> posts = make_posts(n);
    const auto& analyzer = watch::SentimentAnalyzer::builtin();  // built before timing
    std::size_t bytes = 0;
    for (const std::string& p : posts) {
        bytes += p.size();
    }
    fmt::print("{} posts, {:.1f} bytes on average, one thread\n", n,
               static_cast<double>(bytes) / static_cast<double>(n));

    const Timing read = timed(posts, n, [](const std::string& p) {
        std::uint64_t h = 0;
        for (const char c : p) {
            h = h * 31U + static_cast<unsigned char>(c);
        }
        return h;
    });
    const Timing tokenize = timed(posts, n, [](const std::string& p) {
        return static_cast<std::uint64_t>(watch::detail::Tokens(p).list().size());
    });
    const Timing score = timed(posts, n, [&](const std::string& p) {
        return static_cast<std::uint64_t>(analyzer.score(p).polarity);
    });
    const std::size_t explained = n / 10;
    const Timing explain = timed(posts, explained, [&](const std::string& p) {
        return analyzer.score(p, watch::Lang::detect, watch::Explain::yes).contributions.size();
    });
    report("read (floor)", n, read, read);
    report("tokenize", n, tokenize, read);
    report("score", n, score, read);
    const Timing explain_per_floor{
        explain.seconds * static_cast<double>(n) / static_cast<double>(explained),
        explain.checksum};
    report("score+explain", explained, explain, Timing{read.seconds / 10, 0});
    fmt::print("score / tokenize: {:.2f}x; explain costs {:.2f}x plain scoring\n",
               score.seconds / tokenize.seconds, explain_per_floor.seconds / score.seconds);
    return 0;
}
