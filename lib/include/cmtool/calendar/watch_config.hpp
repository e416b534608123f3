#pragma once
// The `watch:` section of cmtool.yaml (docs/watch.md): named queries, the sources they run on,
// alert rules and the channels alerts go to. Loaded and validated with the rest of the
// workspace (workspace_watch.cpp); read by `cmtool watch`.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"

namespace cmtool::calendar {

enum class WatchSourceType {
    mastodon_mentions,  // mention notifications of a Mastodon account (platforms.md §1.6)
    mastodon_tag,       // a hashtag timeline
    mastodon_search,    // /api/v2/search type=statuses with the query's terms
    bluesky_mentions,   // app.bsky.notification.listNotifications reason=mention (§2.7)
    bluesky_search,     // app.bsky.feed.searchPosts with the query's terms (§2.7)
    x_search,           // X GET /2/tweets/search/recent with the query's terms (§4.6)
    threads_search,     // Threads GET /keyword_search with the query's terms (§5.3)
    feed,               // an RSS 2.0 or Atom feed, conditional GET
    file,               // JSON lines on disk (imports, benchmarks)
};

struct WatchSourceConfig {
    std::string name;
    WatchSourceType type = WatchSourceType::feed;
    std::string account;  // mastodon_*, bluesky_*: the workspace account whose session is used
    std::string tag;      // mastodon_tag, without '#'
    std::string url;      // feed
    std::string path;     // file, relative to the workspace root
    std::size_t max_pages = 5;  // pages read per run (older ones wait for the next run)
    Pos pos;
};

struct WatchQueryConfig {
    std::string name;
    std::string terms;                   // 'greencart "green cart" +livraison -recrute'
    std::vector<std::string> languages;  // empty: any
    std::vector<std::string> sources;
    Pos pos;
};

enum class WatchRuleType { spike, negative_share, keyword };

struct WatchRuleConfig {
    std::string name;
    WatchRuleType type = WatchRuleType::spike;
    std::vector<std::string> queries;   // empty: every query
    std::vector<std::string> channels;  // empty: every channel
    std::chrono::minutes window{60};
    std::chrono::minutes cooldown{360};
    std::size_t baseline = 24;  // spike: previous windows compared against
    std::size_t min_count = 10;
    double z = 3.0;                  // spike: fire at z-score >= z ...
    double ratio = 3.0;              // ... or count / baseline mean >= ratio
    double threshold = 0.4;          // negative_share: share of negative mentions
    std::vector<std::string> words;  // keyword
    Pos pos;
};

enum class WatchChannelType { stdout_lines, webhook, email };
enum class WebhookFormat { json, slack, discord };

struct WatchChannelConfig {
    std::string name;
    WatchChannelType type = WatchChannelType::stdout_lines;
    std::string url;  // webhook URL, or the SMTP server (smtp://host:port, smtps://host:465)
    WebhookFormat format = WebhookFormat::json;
    std::string from;  // email
    std::vector<std::string> to;
    bool starttls = false;  // email over smtp:// upgraded with STARTTLS (required when true)
    std::string username;   // SMTP login; the password comes from the credential store or env
    Pos pos;
};

struct WatchConfig {
    bool present = false;  // the workspace has a `watch:` section
    std::vector<WatchQueryConfig> queries;
    std::vector<WatchSourceConfig> sources;
    std::vector<WatchRuleConfig> rules;
    std::vector<WatchChannelConfig> channels;
    std::chrono::minutes group_window{1440};  // reposts of the same text within it are grouped

    const WatchSourceConfig* find_source(std::string_view name) const;
};

// "mastodon_mentions", "feed", ...
std::string_view watch_source_type_name(WatchSourceType t);

}  // namespace cmtool::calendar
