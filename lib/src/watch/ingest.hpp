#pragma once
// From fetched items to mentions: match against the queries that use the source (first match
// in configuration order wins), score with the sentiment analyser, group key for reposts.
#include <string>
#include <vector>

#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/watch/query.hpp"
#include "cmtool/watch/run.hpp"
#include "cmtool/watch/source.hpp"

namespace cmtool::watch::detail {

class Ingest {
  public:
    // Fails (config) when a query's terms do not parse.
    static Result<Ingest> make(const calendar::WatchConfig& config, Explain explain);

    // The mentions among `items` fetched by `source`; `only_query` (searches run per query)
    // restricts matching to that query. `matched` counts them.
    std::vector<NewMention> mentions(const std::vector<Item>& items, const std::string& source,
                                     const std::string& only_query, Seconds now) const;
    // The same, moving the texts of the matching items into the mentions instead of copying
    // them (`items` is left with empty strings where it matched): large file imports.
    std::vector<NewMention> take_mentions(std::vector<Item>& items, const std::string& source,
                                          const std::string& only_query, Seconds now) const;

  private:
    template <class Items>
    std::vector<NewMention> collect(Items&& items, const std::string& source,
                                    const std::string& only_query, Seconds now) const;

    struct Named {
        std::string name;
        Query query;
        std::vector<std::string> sources;
    };
    std::vector<Named> m_queries;
    Explain m_explain = Explain::no;
};

}  // namespace cmtool::watch::detail
