#pragma once
// The fake Bluesky's data and rules (platforms.md §2), independent of HTTP: accounts, app-password
// sessions with rotating refresh tokens, repos of records under record keys, blobs,
// notifications, engagement counters and rate-limit windows. Every public method locks.
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
using TimePoint = std::chrono::system_clock::time_point;

struct Reply {
    int status = 200;
    Json body;
};

// XRPC's error shape {"error": name, "message": text} (atproto packages/xrpc/src/types.ts).
inline Reply xrpc_error(int status, std::string name, std::string message) {
    return Reply{status, {{"error", std::move(name)}, {"message", std::move(message)}}};
}

struct BlueskyConfig {
    struct AccountSpec {
        std::string handle, password, did;  // did empty: derived from the handle
    };
    std::vector<AccountSpec> accounts;
    int access_ttl_s = 7200;     // 120 minutes, like the reference PDS (§2.1)
    bool strict_facets = false;  // reject facet ranges off UTF-8 boundaries (the PDS doesn't)
    bool search_auth_required = false;  // unauthenticated searchPosts: an HTML 403 (§2.7)
    long rate_limit = 3000;             // requests per 5 minutes per client address (§2.9)
    long session_limit = 30;            // createSession per 5 minutes per identifier
};

struct RateInfo {
    long limit = 0;
    long remaining = 0;
    long window_s = 300;
    TimePoint reset;
    bool exceeded = false;
};

// Who a bearer token belongs to, or the XRPC error refusing it.
struct Auth {
    std::string did;
    std::optional<Reply> refused;
};

struct Query {
    std::size_t limit = 50;
    std::string cursor;
};

class BlueskyState {
  public:
    explicit BlueskyState(BlueskyConfig config);

    // Sessions (bluesky_state.cpp)
    Auth access(const std::optional<std::string>& bearer);
    Reply create_session(const Json& body);
    Reply refresh_session(const std::optional<std::string>& bearer);
    Reply get_session(const std::string& did);
    RateInfo consume(const std::string& client, bool count);
    RateInfo consume_session(const std::string& identifier);

    // Repository (bluesky_repo.cpp)
    Reply create_record(const std::string& did, const Json& body);
    Reply upload_blob(const std::string& did, const std::string& mime, const std::string& bytes);
    Reply get_record(const std::string& repo, const std::string& collection,
                     const std::string& rkey);
    Reply resolve_handle(const std::string& handle);

    // AppView (bluesky_views.cpp)
    Reply get_posts(const std::vector<std::string>& uris);
    Reply get_profile(const std::string& actor);
    Reply author_feed(const std::string& actor, const std::string& filter, const Query& q);
    Reply notifications(const std::string& did, const std::vector<std::string>& reasons,
                        const Query& q);
    Reply search_posts(const std::string& q, const std::string& author,
                       const std::vector<std::string>& tags, const Query& query);

    // Admin
    Json all_records();
    Json accounts_json();
    Reply expire_tokens(const Json& body);
    Reply set_engagement(const Json& body);
    Reply set_profile(const Json& body);
    void set_search_auth_required(bool on);
    bool search_auth_required();
    Json dump();
    void reset();

  private:
    struct Account {
        std::string did, handle, password, display_name;
        long followers = 0, follows = 0;
        int sessions_created = 0, refreshes = 0;
        TimePoint created_at;
    };
    struct Token {
        std::string did;
        bool refresh = false;
        TimePoint expires;
        bool revoked = false;  // a rotated refresh token, or one expired by the admin
    };
    struct Record {
        std::uint64_t seq = 0;
        std::string did, collection, rkey, cid;
        Json value;
        TimePoint indexed_at;
        long likes = 0, reposts = 0, replies = 0, quotes = 0, bookmarks = 0;
        std::string uri() const { return "at://" + did + "/" + collection + "/" + rkey; }
    };
    struct Blob {
        std::string did, mime;
        std::size_t size = 0;
    };
    struct Notification {
        std::uint64_t seq = 0;
        std::string did, reason, record_uri, subject;
    };
    struct Window {
        TimePoint start;
        long count = 0;
    };

    void seed();
    Account* find_actor(const std::string& actor);  // a DID or a handle
    Record* find_uri(const std::string& uri);
    Json issue_session(Account& a);
    std::optional<Reply> check_post(const std::string& did, const Json& record);
    std::optional<Reply> check_embed(const std::string& did, const Json& embed);
    void notify(const Record& r);
    RateInfo window(std::map<std::string, Window>& windows, const std::string& key, long limit,
                    bool count);
    std::string next_tid();

    // Views (bluesky_views.cpp)
    Json profile_basic(const Account& a) const;
    Json post_view(const Record& r);
    Json feed_item(const Record& r);

    std::mutex m_mutex;
    BlueskyConfig m_config;
    std::vector<Account> m_accounts;
    std::map<std::string, Token> m_tokens;
    std::map<std::string, Record> m_records;  // by uri
    std::map<std::string, Blob> m_blobs;      // by cid
    std::vector<Notification> m_notifications;
    std::map<std::string, Window> m_windows, m_session_windows;
    std::uint64_t m_seq = 0;
    std::uint64_t m_last_tid_micros = 0;
    std::uint64_t m_token_counter = 0;
};

}  // namespace cmtool::fakes
