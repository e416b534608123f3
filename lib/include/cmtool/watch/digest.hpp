#pragma once
// `cmtool watch digest`: what was said since a time, per query: volume, sentiment split, the
// most reposted or most telling mentions, and the alerts of the period.
#include <chrono>
#include <string>
#include <vector>

#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/store/mentions.hpp"
#include "cmtool/watch/alerts.hpp"

namespace cmtool::watch {

struct QueryDigest {
    std::string query;
    std::int64_t total = 0;
    std::int64_t negative = 0;
    std::int64_t neutral = 0;
    std::int64_t positive = 0;
    std::vector<store::Mention> top;  // biggest repost groups first, then newest
};

struct Digest {
    Seconds from{};
    Seconds to{};
    std::vector<QueryDigest> queries;  // in configuration order
    std::vector<store::AlertRecord> alerts;
};

// The digest of [from, to) with `top` mentions per query. Fails (io) when the store cannot be
// read.
Result<Digest> make_digest(const calendar::WatchConfig& config, store::MentionStore& mentions,
                           Seconds from, Seconds to, std::size_t top = 5);

nlohmann::json digest_json(const Digest& d);

// The digest as an Alert-shaped message (type "digest") so every channel can carry it.
Alert digest_message(const Digest& d, std::string_view lang);

}  // namespace cmtool::watch
