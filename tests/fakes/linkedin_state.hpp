#pragma once
// The fake LinkedIn's data and rules (platforms.md §3), independent of HTTP: one member
// (urn:li:person:abc123) who administers one organization, access and refresh tokens, posts with
// their little-format commentary, images, statistics, followers and a daily request budget.
// Every public method locks.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cmtool::fakes {

using Json = nlohmann::json;
using Clock = std::chrono::system_clock;

struct LiReply {
    int status = 200;
    Json body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// LinkedIn's error body {status, serviceErrorCode, code, message} (§3.8).
LiReply li_error(int status, int service_code, std::string code, std::string message);

struct LinkedInConfig {
    std::vector<std::string> tokens;          // valid access tokens of the member
    std::vector<std::string> refresh_tokens;  // partner refresh tokens (365 days)
    std::string client_id = "fake-client-id";
    std::string client_secret = "fake-client-secret";
    std::set<std::string> sunset_versions;  // answered with 426
    bool restricted_member_posts = false;   // GET /rest/posts?author=urn:li:person:... → 403
    std::string id_header = "x-restli-id";  // where POST /rest/posts names the post
    long daily_limit = 100000;              // requests per token per UTC day, then 429
};

class LinkedInState {
  public:
    static constexpr const char* k_member = "urn:li:person:abc123";
    static constexpr const char* k_org = "urn:li:organization:5515715";

    explicit LinkedInState(LinkedInConfig config);
    void set_base(std::string base);

    // The member of a valid access token; nullopt with the reason (expired, revoked).
    std::optional<std::string> member_for(const std::string& token, std::string& why);
    // Counts one request against the token's daily budget; false when it is spent.
    bool consume(const std::string& token);
    bool sunset(const std::string& version) const;

    LiReply create_post(const std::string& member, const Json& body);
    LiReply list_posts(const std::string& member, const std::string& author, std::size_t start,
                       std::size_t count);
    LiReply init_upload(const std::string& member, const Json& body);
    LiReply upload(const std::string& id, std::size_t bytes);
    LiReply userinfo(const std::string& member);
    LiReply organization(const std::string& member, const std::string& id);
    LiReply share_statistics(const std::string& member, const std::string& org,
                             const std::vector<std::string>& urns);
    LiReply network_size(const std::string& member, const std::string& urn,
                         const std::string& edge);
    LiReply social_actions(const std::string& urn);
    // POST /oauth/v2/accessToken with the form's fields.
    LiReply token(const std::map<std::string, std::string>& form);

    // Admin
    LiReply set_stats(const Json& body);  // {post, likes, comments, shares, impressions, clicks}
    LiReply set_followers(const Json& body);    // {count}
    LiReply expire_token(const Json& body);     // {token}
    LiReply set_daily_limit(const Json& body);  // {limit}
    LiReply delete_post(const Json& body);      // {id}
    Json dump();
    void reset();

  private:
    struct Post {
        std::string id, author, commentary, text;  // text: what the feed shows (little parsed)
        Json content;
        std::int64_t created_ms = 0;
        bool deleted = false;
        long likes = 0, comments = 0, shares = 0, impressions = 0, clicks = 0;
    };
    struct Image {
        std::string urn, owner;
        bool uploaded = false;
        std::size_t bytes = 0;
    };
    struct Token {
        Clock::time_point expires;
        bool revoked = false;
    };

    bool can_act_as(const std::string& member, const std::string& author) const;
    Post* find_post(const std::string& id);
    Json post_json(const Post& p) const;
    std::string issue_access();

    std::mutex m_mutex;
    LinkedInConfig m_config;
    std::string m_base;
    std::vector<Post> m_posts;
    std::map<std::string, Image> m_images;  // by upload id
    std::map<std::string, Token> m_tokens;
    std::map<std::string, Clock::time_point> m_refresh;  // refresh token → its fixed expiry
    std::map<std::string, std::pair<std::int64_t, long>> m_budget;  // token → (UTC day, count)
    long m_followers = 1234;
    std::uint64_t m_next_post = 7000000000000000001ULL;
    std::uint64_t m_next_image = 1;
    std::uint64_t m_next_token = 1;
};

// The text LinkedIn shows for little-format `commentary` [U: strict mode]: escapes undone,
// hashtag templates as #tag, cut at the first reserved character that is neither escaped nor
// part of a template (§3.2: unescaped reserved characters may truncate the text).
std::string render_little(const std::string& commentary);

}  // namespace cmtool::fakes
