#pragma once
// A watch query (docs/watch.md): terms OR'ed, "quoted phrases", +required and -excluded words,
// matched case- and accent-insensitively on word boundaries, with a language filter. Platform
// searches get the terms; every fetched item is matched again here so results are exact.
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::watch {

// `text` folded for matching: lowercase, accents removed, every run of non-word characters
// one space, with a space at each end (" livraison greencart nickel ").
std::string fold_for_match(std::string_view text);

class Query {
  public:
    // Parses 'greencart "green cart" +livraison -recrute #greencart'. Fails (invalid) when it
    // has no positive term or a quote is not closed.
    static Result<Query> parse(std::string_view terms, std::vector<std::string> languages = {});

    // Whether a text matches: one of the terms (or `assume_term`: the item is about us by
    // construction, a mention notification), every required word, no excluded word, and a
    // language among the query's when both are known.
    enum class AssumeTerm { no, yes };
    bool matches(std::string_view text, std::string_view lang = {},
                 AssumeTerm assume = AssumeTerm::no) const;
    // The same on an already folded text (fold_for_match), to fold once for many queries.
    bool matches_folded(std::string_view folded, std::string_view lang,
                        AssumeTerm assume = AssumeTerm::no) const;

    // The terms as a platform search string: phrases quoted, OR'ed by the platform's syntax
    // ("a OR b" for Bluesky's Lucene-like q, space-separated for Mastodon's).
    std::string search_text(std::string_view separator) const;
    // The #tags among the terms, without '#'.
    std::vector<std::string> hashtags() const;
    const std::vector<std::string>& languages() const { return m_languages; }

  private:
    struct Term {
        std::string written;  // as in the configuration (for platform searches)
        std::string folded;   // " green cart "
        bool phrase = false;
    };
    std::vector<Term> m_any;
    std::vector<Term> m_required;
    std::vector<Term> m_excluded;
    std::vector<std::string> m_languages;
};

}  // namespace cmtool::watch
