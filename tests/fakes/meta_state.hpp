#pragma once
// The fake Meta Graph's data and rules (platforms.md §5.0-§5.4), independent of HTTP: one
// Facebook Page, one Instagram professional user and one Threads user, the tokens that reach
// them, posts, containers (IN_PROGRESS -> FINISHED after N polls, or ERROR), the throttling and
// expired-token modes, and the usage percentages sent in X-App-Usage on every answer.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cmtool::fakes {

using Json = nlohmann::json;

struct MetaConfig {
    std::string page_id = "1001";
    std::string ig_user = "17841400000000001";
    std::string threads_user = "2002";
    std::set<std::string> tokens;                     // valid user/page tokens
    std::string app_secret = "fake-meta-app-secret";  // for the exchanges
    int container_polls = 0;                          // IN_PROGRESS answers before FINISHED
};

struct MetaReply {
    int status = 200;
    Json body;
};

// Meta's error envelope (§5.0).
MetaReply graph_error(int status, long code, std::string message, long subcode = 0);

struct MetaPost {
    std::string id;
    std::string network;  // facebook | instagram | threads
    std::string text;     // message | caption | text
    std::string link;
    std::string reply_to;  // Threads
    std::string username;  // Threads: the author (empty: the account itself, "atelier")
    std::string media_type;
    Json media = Json::array();  // image/video URLs or uploaded file names, with alt text
    std::int64_t created = 0;    // epoch seconds
    std::map<std::string, std::int64_t> counts;  // likes, comments, shares, views, saved...
};

struct Container {
    std::string id;
    std::string network;  // instagram | threads
    std::map<std::string, std::string> fields;
    std::vector<std::string> children;
    std::string status = "FINISHED";
    int polls_left = 0;
    std::string published_id;
};

class MetaState {
  public:
    explicit MetaState(MetaConfig config);

    // Whether `token` is valid; records it as seen. Consumes an armed expiry (190 once).
    enum class TokenCheck { ok, invalid, expired };
    TokenCheck check_token(const std::string& token);
    // Throttling armed through /__admin/throttle: the error to answer, once per call.
    std::optional<MetaReply> take_throttle(std::int64_t& regain_minutes);
    // The usage percentage for the headers (raised by the throttle mode).
    int usage() const;

    MetaReply exchange_fb(const std::string& secret, const std::string& token);
    MetaReply exchange_threads(const std::string& grant, const std::string& secret,
                               const std::string& token);
    MetaReply me_accounts();

    MetaReply create_container(const std::string& network,
                               const std::map<std::string, std::string>& f);
    MetaReply container_status(const std::string& id, const std::string& field);
    MetaReply publish_container(const std::string& network, const std::string& creation_id);
    MetaReply facebook_post(const std::string& message, const std::string& link,
                            const std::string& photo);

    // The object with `id` shaped by `fields` (Graph field syntax, incl. insights.metric(...)),
    // or nullopt when there is none.
    std::optional<Json> object(const std::string& id, const std::string& fields);
    MetaReply insights(const std::string& id, const std::string& metrics);
    MetaReply threads_insights(const std::string& metrics);
    // A newest-first list: `edge` is feed|posts (Page), media (IG), threads|replies (Threads).
    MetaReply list(const std::string& owner, const std::string& edge, const std::string& fields,
                   std::int64_t since, std::size_t limit, const std::string& after);

    // GET /keyword_search (§5.3): the Threads posts (the account's and those added by
    // add_search_post) containing any of q's words (case-insensitive, quotes ignored), newest
    // first, created at or after `since` (unix seconds, 0: all); the permission error (#10, HTTP
    // 403) while search_forbidden is set.
    MetaReply keyword_search(const std::string& q, const std::string& fields, std::int64_t since);

    // Admin.
    // Someone else's Threads post, found only by keyword_search; `created` 0 means now.
    Json add_search_post(const std::string& text, const std::string& username,
                         std::int64_t created);
    void set_search_forbidden(bool on);
    void arm_expiry(int count);
    void arm_throttle(long code, int count, int status, std::int64_t regain_minutes);
    void arm_containers(const std::string& mode, int polls, int count);
    void set_counts(const std::string& id, const Json& counts);
    void set_followers(std::int64_t n);
    Json dump();
    void reset();
    std::string owner_network(const std::string& id) const;

  private:
    Json shape_post(const MetaPost& p, const std::string& fields) const;
    std::string new_id();

    mutable std::mutex m_mutex;
    MetaConfig m_config;
    std::set<std::string> m_initial_tokens;
    std::vector<MetaPost> m_posts;
    std::vector<MetaPost> m_search_posts;  // other users' Threads posts (keyword_search only)
    bool m_search_forbidden = false;
    std::map<std::string, Container> m_containers;
    std::vector<std::string> m_tokens_seen;
    std::vector<std::string> m_exchanges;
    std::int64_t m_next = 1;
    int m_expire = 0;
    long m_throttle_code = 0;
    int m_throttle_count = 0;
    int m_throttle_status = 400;
    std::int64_t m_regain = 0;
    std::string m_container_mode;  // "" | "error" | "slow"
    int m_container_mode_count = 0;
    int m_container_mode_polls = 0;
    std::int64_t m_followers = 1200;
    int m_published_24h = 0;
};

}  // namespace cmtool::fakes
