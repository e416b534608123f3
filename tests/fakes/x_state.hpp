#pragma once
// The fake X's data and rules (platforms.md §4), independent of HTTP: users, OAuth 2 codes and
// tokens (PKCE S256, 2-hour access tokens, rotating refresh tokens), posts, media, the
// per-token 15-minute rate-limit windows. Every public method locks.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cmtool::fakes {

using Json = nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

struct XReply {
    int status = 200;
    Json body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// X's problem-details error body (§4.8): {"title","detail","type","status"}.
XReply x_problem(int status, std::string title, std::string detail,
                 std::string type = "about:blank");

struct XConfig {
    std::vector<std::pair<std::string, std::string>> users;  // (username, preset access token)
    std::string client_id = "fake-client-id";
    std::string client_secret;     // empty: a public client (PKCE only)
    long rate_limit = 300;         // requests per token per endpoint per 15 minutes
    bool new_field_names = false;  // repost_count / post_count / edit_history_post_ids (§4.0)
    std::chrono::seconds access_life{7200};  // 2 hours (§4.1)
    long daily_cap = 0;  // POST /2/tweets per user per 24 h (x-user-limit-24hour-*); 0: none
};

struct XRate {
    long limit = 0;
    long remaining = 0;
    long reset = 0;  // epoch seconds
    bool exceeded = false;
};

struct TweetInput {
    std::string text;
    std::optional<std::string> reply_to;
    std::vector<std::string> media_ids;
};

class XState {
  public:
    explicit XState(XConfig config);

    // OAuth 2 (§4.1). authorize() returns the redirect Location for the consent of the first
    // user (or an error=access_denied redirect while deny is set); token() answers
    // POST /2/oauth2/token for form `fields` and the client from Basic auth (may be empty).
    std::string authorize(const std::map<std::string, std::string>& query);
    XReply token(const std::map<std::string, std::string>& fields, const std::string& basic_id,
                 const std::string& basic_secret);
    // The user id of a valid, unexpired access token.
    std::optional<std::string> user_for_token(const std::string& token);
    XRate consume(const std::string& token, const std::string& endpoint);
    // The 24-hour posting cap of a user ([C] §4.8); limit 0 when there is none.
    XRate consume_daily(const std::string& user_id);

    XReply me(const std::string& user_id, bool metrics);
    XReply create_tweet(const std::string& user_id, const TweetInput& in);
    XReply lookup_tweets(const std::vector<std::string>& ids, bool metrics);
    XReply lookup_tweet(const std::string& id, bool metrics);
    XReply user_tweets(const std::string& user_id, std::size_t max_results,
                       const std::string& pagination_token, const std::string& start_time,
                       const std::string& since_id, bool metrics);
    XReply search_recent(const std::string& query, std::size_t max_results,
                         const std::string& since_id, const std::string& next_token);
    XReply upload_media(const std::string& user_id, std::size_t size, const std::string& category);
    XReply media_metadata(const std::string& user_id, const Json& body);

    // Admin
    XReply set_engagement(const Json& body);  // {"id", "like_count", ...}
    XReply set_account(const Json& body);     // {"username", "followers_count", ...}
    XReply add_other_post(const Json& body);  // {"username", "text"}: someone else's post
    XReply expire_token(const std::string& token);
    // {"deny": bool, "search_forbidden": bool, "limit": N, "daily_cap": N}
    XReply set_flags(const Json& body);
    XReply add_token(const Json& body);  // {"username","token","expires_in"?,"refresh_token"?}
    Json all_tweets();
    Json dump();
    void reset();

  private:
    struct User {
        std::string id, username, name;
        long followers = 0, following = 0, listed = 0;
    };
    struct Token {
        std::string user_id;
        TimePoint expires;
        bool valid = true;
    };
    struct Code {
        std::string user_id, client_id, redirect_uri, challenge, scope;
        TimePoint expires;
    };
    struct Tweet {
        std::string id, author_id, text, conversation_id;
        std::optional<std::string> reply_to;
        std::vector<std::string> media_keys;
        long retweets = 0, replies = 0, likes = 0, quotes = 0, bookmarks = 0, impressions = 0;
        TimePoint created_at;
    };
    struct Media {
        std::string id, key, user_id, alt;
    };

    void seed();
    User* find_user(const std::string& id);
    User* find_username(const std::string& username);
    Tweet* find_tweet(const std::string& id);
    Json tweet_json(const Tweet& t, bool metrics) const;
    Json user_json(const User& u, bool metrics) const;
    XReply issue_tokens(const std::string& user_id, const std::string& scope);
    std::string shown_text(const Tweet& t) const;

    std::mutex m_mutex;
    XConfig m_config;
    std::vector<User> m_users;
    std::map<std::string, Token> m_tokens;
    std::map<std::string, std::string> m_refresh;  // refresh token -> user id
    std::map<std::string, Code> m_codes;
    std::map<std::string, Tweet> m_tweets;  // id (19 digits, ordered by time) -> tweet
    std::map<std::string, Media> m_media;
    std::map<std::pair<std::string, std::string>, std::pair<TimePoint, long>> m_windows;
    std::map<std::string, std::pair<TimePoint, long>> m_daily;  // user id -> (start, count)
    bool m_deny = false;
    bool m_search_forbidden = false;
    std::uint64_t m_next_tweet = 1860000000000000001ULL;
    std::uint64_t m_next_media = 1870000000000000001ULL;
    std::uint64_t m_next_secret = 1;
};

// Whether `verifier` hashes (SHA-256, base64url without padding) to `challenge` (RFC 7636 S256).
bool pkce_matches(const std::string& verifier, const std::string& challenge);
// The twitter-text v3 weighted length, simplified (§4.7): URLs 23, code points in the weight-1
// ranges 1, everything else 2 (emoji sequences are not merged: the fake only refuses > 280).
std::size_t x_weighted_length(const std::string& text);

}  // namespace cmtool::fakes
