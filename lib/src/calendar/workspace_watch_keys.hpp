#pragma once
// The key tables of the `watch:` section (workspace_watch_keys.cpp): one table per kind of
// entry (query, source, rule, channel) drives loading and validation, like workspace.cpp's.
#include <functional>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "yaml_util.hpp"

namespace cmtool::calendar::watch_keys {

using yaml::Reporter;

struct SourceTypeName {
    WatchSourceType type;
    std::string_view name;
    Platform platform;  // manual: no account
};

inline constexpr SourceTypeName k_source_types[] = {
    {WatchSourceType::mastodon_mentions, "mastodon_mentions", Platform::mastodon},
    {WatchSourceType::mastodon_tag, "mastodon_tag", Platform::mastodon},
    {WatchSourceType::mastodon_search, "mastodon_search", Platform::mastodon},
    {WatchSourceType::bluesky_mentions, "bluesky_mentions", Platform::bluesky},
    {WatchSourceType::bluesky_search, "bluesky_search", Platform::bluesky},
    {WatchSourceType::x_search, "x_search", Platform::x},
    {WatchSourceType::threads_search, "threads_search", Platform::threads},
    {WatchSourceType::feed, "feed", Platform::manual},
    {WatchSourceType::file, "file", Platform::manual},
};

inline std::vector<std::string> names_of(const auto& table) {
    std::vector<std::string> out;
    for (const auto& e : table) {
        out.emplace_back(e.name);
    }
    return out;
}

// A key's loader: reads the value into the entry, reporting problems.
template <class Entry>
using Loader = std::function<void(const YAML::Node&, Entry&, const Reporter&)>;

template <class Entry>
struct Key {
    std::string name;
    Loader<Entry> load;
};

template <class Entry>
void load_keys(const YAML::Node& map, Entry& e, const std::vector<Key<Entry>>& keys,
               const std::string& where, const Reporter& r) {
    std::vector<std::string> names;
    for (const auto& k : keys) {
        names.push_back(k.name);
    }
    for (const auto& kv : map) {
        const std::string& k = kv.first.Scalar();
        const auto it = std::find_if(keys.begin(), keys.end(),
                                     [&](const Key<Entry>& key) { return key.name == k; });
        if (it == keys.end()) {
            r.unknown_key(kv.first, names, where);
        } else {
            it->load(kv.second, e, r);
        }
    }
}

// Reads a duration such as 90m, 2h or 1d into `out`, reporting anything else.
void duration(const YAML::Node& n, std::string_view key, std::chrono::minutes& out,
              const Reporter& r);

const std::vector<Key<WatchQueryConfig>>& query_keys();
const std::vector<Key<WatchSourceConfig>>& source_keys();
const std::vector<Key<WatchRuleConfig>>& rule_keys();
const std::vector<Key<WatchChannelConfig>>& channel_keys();

}  // namespace cmtool::calendar::watch_keys
