#pragma once
// The fake Mastodon's data and rules (platforms.md §1), independent of HTTP: accounts and
// tokens, statuses with idempotency keys, media processing, notifications, rate-limit windows.
// Every public method locks, so concurrent requests are serialised like the server's Redis lock.
#include <chrono>
#include <cstdint>
#include <deque>
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

struct Reply {
    int status = 200;
    Json body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// Mastodon's error shape: {"error": message} with `status` (entities/Error.md).
inline Reply error_reply(int status, std::string message) {
    return Reply{status, {{"error", std::move(message)}}, {}};
}

struct MastodonConfig {
    std::vector<std::pair<std::string, std::string>> tokens;  // (username, token)
    long rate_limit = 300;                                    // per token per 5 minutes
    int media_polls = 2;  // 206 answers before a "slow" upload is processed
    std::size_t max_characters = 500;
    std::size_t max_media = 4;
};

struct StatusInput {
    std::string status;
    std::string spoiler_text;
    std::string visibility = "public";
    std::string language;
    bool sensitive = false;
    std::vector<std::string> media_ids;
    std::optional<std::string> in_reply_to_id;
    std::optional<std::string> idempotency_key;
};

struct Page {
    std::size_t limit = 20;
    std::optional<std::uint64_t> max_id, since_id, min_id;
};

// One page of a list, newest first, with what the Link header needs.
struct Paged {
    Json items = Json::array();
    std::optional<std::uint64_t> newest, oldest;
    bool full = false;  // as many items as the limit: a next page may exist
};

struct RateInfo {
    long limit = 0;
    long remaining = 0;
    TimePoint reset;
    bool exceeded = false;
};

class MastodonState {
  public:
    explicit MastodonState(MastodonConfig config);
    void set_base(std::string base);  // "http://127.0.0.1:<port>"
    std::string base();

    // The account id for a valid, unexpired token.
    std::optional<std::string> account_for_token(const std::string& token);
    // Counts one request against the token's 5-minute window.
    RateInfo consume(const std::string& account_id);
    RateInfo peek(const std::string& account_id);

    Reply instance();
    Reply verify_credentials(const std::string& account_id);
    Reply account(const std::string& id);
    Reply create_status(const std::string& account_id, const StatusInput& in);
    Reply get_status(std::uint64_t id, const std::string* viewer);
    Reply get_statuses(const std::vector<std::uint64_t>& ids, const std::string* viewer);
    Reply context(std::uint64_t id, const std::string* viewer);
    Reply delete_status(std::uint64_t id, const std::string& account_id);
    Reply upload_media(const std::string& account_id, const std::string& filename,
                       const std::string& mime, const std::string& description);
    Reply get_media(const std::string& id, const std::string& account_id);
    Paged notifications(const std::string& account_id, const std::vector<std::string>& types,
                        const std::vector<std::string>& exclude_types, const Page& page);
    Reply search(const std::string& q, const std::string& type, const std::string* viewer,
                 std::size_t limit, std::size_t offset);
    Paged tag_timeline(const std::string& tag, const std::string* viewer, const Page& page);
    std::optional<Paged> account_statuses(const std::string& id, const std::string* viewer,
                                          bool exclude_replies, bool only_media, const Page& page);

    // Admin
    Reply set_engagement(const Json& body);
    Reply set_account_counts(const Json& body);
    Reply inject_mention(const Json& body);
    Reply expire_token(const std::string& token);
    // {"limit": N}: the per-token budget from now on, every window restarted.
    Reply set_rate_limit(const Json& body);
    Json all_statuses();
    Json dump();
    void reset();

  private:
    struct Account {
        std::string id, username, domain, token;
        bool token_valid = true;
        long followers = 0, following = 0;
        TimePoint created_at;
    };
    struct Media {
        std::string id, account_id, type, description, filename;
        int polls_left = 0;
        std::optional<std::uint64_t> status_id;
    };
    struct Status {
        std::uint64_t id = 0;
        std::string account_id, text, spoiler_text, visibility, language, idempotency_key;
        bool sensitive = false, deleted = false;
        std::optional<std::uint64_t> in_reply_to;
        std::vector<std::string> media_ids;
        long replies = 0, reblogs = 0, favourites = 0, quotes = 0;
        TimePoint created_at;
    };
    struct Notification {
        std::uint64_t id = 0;
        std::string type, account_id, from_account_id;
        std::optional<std::uint64_t> status_id;
        TimePoint created_at;
    };
    struct Window {
        TimePoint start;
        long count = 0;
    };

    void seed();
    Account* find_account(const std::string& id);
    Account* find_username(const std::string& username, const std::string& domain);
    Account& remote_account(const std::string& username, const std::string& domain);
    Status* find_status(std::uint64_t id);
    bool visible(const Status& s, const std::string* viewer) const;
    Status& insert_status(Status s);
    Paged paginate(std::vector<const Status*> items, const Page& page, const std::string* viewer);
    RateInfo window_info(const std::string& account_id, bool count);

    // JSON entities (mastodon_json.cpp)
    Json account_json(const Account& a);
    Json status_json(const Status& s, const std::string* viewer);
    Json media_json(const Media& m) const;
    Json notification_json(const Notification& n);

    std::mutex m_mutex;
    MastodonConfig m_config;
    std::string m_base;
    std::deque<Account> m_accounts;  // deque: pointers stay valid as remote accounts appear
    std::map<std::uint64_t, Status> m_statuses;
    std::map<std::string, Media> m_media;
    std::vector<Notification> m_notifications;
    std::map<std::string, std::pair<std::uint64_t, TimePoint>> m_idempotency;
    std::map<std::string, Window> m_windows;
    std::uint64_t m_next_status = 113000000000000001ULL;
    std::uint64_t m_next_media = 114000000000000001ULL;
    std::uint64_t m_next_notification = 1;
    int m_next_remote = 1000;
};

}  // namespace cmtool::fakes
