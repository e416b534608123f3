// Labelled-set parsing and evaluation (sentiment_eval.hpp).
#include "cmtool/watch/sentiment_eval.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::watch {
namespace {

bool parse_polarity(std::string_view s, Polarity& out) {
    for (Polarity p : {Polarity::negative, Polarity::neutral, Polarity::positive}) {
        if (s == polarity_name(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

// Splits a line on its first three tabs; the text keeps any later ones.
bool split_line(std::string_view line, std::string_view (&cols)[4]) {
    for (std::size_t c = 0; c < 3; ++c) {
        const std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos) {
            return false;
        }
        cols[c] = line.substr(0, tab);
        line.remove_prefix(tab + 1);
    }
    cols[3] = line;
    return true;
}

}  // namespace

Result<std::vector<LabelledPost>> parse_labelled(std::string_view tsv) {
    std::vector<LabelledPost> posts;
    std::size_t line_no = 0;
    while (!tsv.empty()) {
        const std::size_t nl = tsv.find('\n');
        std::string_view line = tsv.substr(0, nl);
        tsv.remove_prefix(nl == std::string_view::npos ? tsv.size() : nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line_no == 1 || line.empty()) {
            continue;  // the header, or a trailing blank line
        }
        std::string_view cols[4];
        LabelledPost post;
        if (!split_line(line, cols)) {
            return fail(ErrorCode::parse, "line " + std::to_string(line_no) +
                                              ": expected lang, label, kind and text");
        }
        if (!parse_polarity(cols[1], post.label)) {
            return fail(ErrorCode::parse,
                        "line " + std::to_string(line_no) + ": unknown label '" +
                            std::string(cols[1]) + "'",
                        "use negative, neutral or positive");
        }
        post.lang = cols[0];
        post.kind = cols[2];
        post.text = cols[3];
        posts.push_back(std::move(post));
    }
    return posts;
}

Evaluation evaluate(const SentimentAnalyzer& analyzer, const std::vector<LabelledPost>& posts,
                    std::string_view lang_filter) {
    Evaluation ev;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        const LabelledPost& p = posts[i];
        if (!lang_filter.empty() && p.lang != lang_filter) {
            continue;
        }
        const Polarity got = analyzer.score(p.text).polarity;
        ClassCount& c = ev.by_class[static_cast<std::size_t>(p.label)];
        ++ev.total;
        ++c.total;
        if (got == p.label) {
            ++ev.correct;
            ++c.correct;
        } else {
            ev.misses.push_back(i);
        }
    }
    return ev;
}

}  // namespace cmtool::watch
