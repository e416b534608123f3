// Matching and scoring fetched items (ingest.hpp).
#include "watch/ingest.hpp"

#include <algorithm>
#include <type_traits>

namespace cmtool::watch::detail {

Result<Ingest> Ingest::make(const calendar::WatchConfig& config, Explain explain) {
    Ingest in;
    in.m_explain = explain;
    for (const auto& q : config.queries) {
        auto parsed = Query::parse(q.terms, q.languages);
        if (!parsed) {
            return fail(ErrorCode::config,
                        "watch query `" + q.name + "`: " + parsed.error().message,
                        parsed.error().hint);
        }
        in.m_queries.push_back({q.name, std::move(*parsed), q.sources});
    }
    return in;
}

template <class Items>
std::vector<NewMention> Ingest::collect(Items&& items, const std::string& source,
                                        const std::string& only_query, Seconds now) const {
    // Copies an item's string, or moves it when the items are given away (not const).
    const auto take = [](auto& s) -> std::string {
        if constexpr (std::is_const_v<std::remove_reference_t<decltype(s)>>) {
            return s;
        } else {
            return std::move(s);
        }
    };
    std::vector<const Named*> candidates;
    for (const auto& q : m_queries) {
        const bool uses = std::find(q.sources.begin(), q.sources.end(), source) != q.sources.end();
        if (uses && (only_query.empty() || q.name == only_query)) {
            candidates.push_back(&q);
        }
    }
    const auto& analyzer = SentimentAnalyzer::builtin();
    std::vector<NewMention> out;
    out.reserve(items.size());
    for (auto& it : items) {
        const std::string folded = fold_for_match(it.text);
        const std::string tag = it.lang.substr(0, 2);
        const auto assume = it.about_us ? Query::AssumeTerm::yes : Query::AssumeTerm::no;
        std::vector<const Named*> hits;
        for (const Named* q : candidates) {
            if (q->query.matches_folded(folded, tag, assume)) {
                hits.push_back(q);
            }
        }
        if (hits.empty()) {
            continue;
        }
        // Platforms tag a post with the author's default language more often than with the
        // post's, so the tone is read with the analyser's own detection.
        Sentiment s = analyzer.score(it.text, Lang::detect, m_explain);
        const std::string lang = tag.empty() ? s.lang : tag;
        const Named* hit = nullptr;
        for (const Named* q : hits) {
            // Without a platform tag, the language filter uses the detected language.
            if (!tag.empty() || q->query.matches_folded(folded, lang, assume)) {
                hit = q;
                break;
            }
        }
        if (hit == nullptr) {
            continue;
        }
        NewMention n;
        store::Mention& m = n.mention;
        m.source = source;
        m.query = hit->name;
        m.group_key = store::repost_group_key(it.text);
        m.platform = take(it.platform);
        m.remote_uri = take(it.remote_uri);
        m.url = take(it.url);
        m.author = take(it.author);
        m.author_url = take(it.author_url);
        m.published_at = it.published_at == Seconds{} ? now : it.published_at;
        m.fetched_at = now;
        m.text = take(it.text);
        m.lang = lang;
        m.sentiment = std::string(polarity_name(s.polarity));
        m.score = s.score;
        n.explain = std::move(s.contributions);
        out.push_back(std::move(n));
    }
    return out;
}

std::vector<NewMention> Ingest::mentions(const std::vector<Item>& items, const std::string& source,
                                         const std::string& only_query, Seconds now) const {
    return collect(items, source, only_query, now);
}

std::vector<NewMention> Ingest::take_mentions(std::vector<Item>& items, const std::string& source,
                                              const std::string& only_query, Seconds now) const {
    return collect(items, source, only_query, now);
}

}  // namespace cmtool::watch::detail
