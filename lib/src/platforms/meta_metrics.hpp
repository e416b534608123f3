#pragma once
// The metrics source Facebook, Instagram and Threads share, driven by one table per network
// (facebook_metrics.cpp, instagram_metrics.cpp, threads_metrics.cpp): which platform field or
// insights metric fills which counter. The tables are where a metric Meta renames or retires is
// changed (platforms.md §5.1, §5.2, §5.3; the [U]/[C] marks are in docs/networks/*.md).
#include <optional>
#include <string>
#include <vector>

#include "cmtool/platforms/metrics.hpp"

namespace cmtool::platforms::meta {

enum class Counter {
    likes,
    reposts,
    replies,
    quotes,
    bookmarks,
    views,
    followers,
    following,
    posts
};

// `field` is a dotted path in the object ("reactions.summary.total_count"), alternatives
// separated by '|' (the first present wins: "followers_count|fan_count"), or "insights:<name>"
// for an insights metric (values[0].value or total_value.value).
struct MetricField {
    Counter counter;
    const char* field;
};

struct MetricsSpec {
    Platform platform;
    std::string object_setting;  // "page_id" | "user_id"
    std::vector<MetricField> post;
    std::vector<MetricField> account;
    std::string post_fields;   // plain fields of a post ("id,caption,timestamp,permalink")
    const char* text_field;    // message | caption | text
    const char* time_field;    // created_time | timestamp
    const char* url_field;     // permalink_url | permalink
    std::string timeline;      // "/posts", "/media", or "" when the list carries no counters
    bool insights_edge;        // per-post GET /{id}/insights?metric= (Threads) instead of
                               // insights.metric(...) field expansion (Facebook, Instagram)
    std::string account_edge;  // "" (GET /{object}?fields=) or "/threads_insights" (metric=)
    std::size_t batch;         // ids per GET /?ids= (1: one post per request)
};

Result<std::unique_ptr<MetricsSource>> make_meta_metrics(const AdapterContext& ctx,
                                                         MetricsSpec spec);

// "likes=like_count;replies=comments_count" in the store's counter order.
std::string field_map(const std::vector<MetricField>& fields);

}  // namespace cmtool::platforms::meta
