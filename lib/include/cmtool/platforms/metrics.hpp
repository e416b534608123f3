#pragma once
// What `pull-metrics` needs from a network (docs/metrics.md): requests to build and answers to
// read, with no I/O of their own except prepare() and renew(), so that the puller can run every
// account's requests concurrently through one HttpTransport::stream.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/store/metrics.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::platforms {

// A post as the platform shows it, with its counters.
struct RemotePost {
    std::string remote_id;  // Mastodon status id, Bluesky at:// URI
    std::string url;
    std::string excerpt;
    std::chrono::sys_seconds published_at{};
    store::PostCounters counters;
    bool reply = false;  // an answer to another post (a thread's next part, a conversation)
};

// The outcome of reading one answer.
enum class Answer {
    ok,
    gone,          // the post no longer exists (single lookups only)
    unsupported,   // the endpoint does not exist here (an older server): use another way
    auth,          // the token is refused: renew() once, else the account fails
    rate_limited,  // 429: stop this account's requests, the rest waits for the next run
    transient,     // 5xx, timeouts: worth one more try
    failed,        // anything else: the request fails
};

struct PostsAnswer {
    Answer answer = Answer::ok;
    std::vector<RemotePost> posts;
    std::optional<std::string> cursor;  // timelines: the next page, when there is one
    std::string message;                // why, when not ok (redacted)
};

struct AccountAnswer {
    Answer answer = Answer::ok;
    store::AccountCounters counters;
    std::string message;
};

// Classifies a response every source shares: transport errors and 5xx are transient, 429
// rate_limited, 401 auth, 200 ok; `message` gets "<what>: HTTP <status> ..." otherwise.
Answer classify_answer(const Result<net::HttpResponse>& response, std::string& message,
                       const std::string& what);

class MetricsSource {
  public:
    virtual ~MetricsSource() = default;
    virtual Platform platform() const = 0;
    // The API's base URL: accounts on the same server share its connection budget.
    virtual std::string base_url() const = 0;
    // Gets what the requests need (a session, the account's id). Fails (auth/config) with a
    // hint naming what to fix; the account is then skipped.
    virtual Result<void> prepare() = 0;
    // After an `auth` answer: a fresh session, once. Fails when the credentials are refused.
    virtual Result<void> renew() = 0;
    // The account's counters when prepare() already read them (Mastodon's verify_credentials
    // gives the id and the counters at once); nullopt: send account_request().
    virtual std::optional<AccountAnswer> prepared_account() const { return std::nullopt; }

    // The profile counters of the account.
    virtual net::HttpRequest account_request() const = 0;
    virtual AccountAnswer read_account(const Result<net::HttpResponse>& response) const = 0;
    // How many posts one batch request asks for (1: no batch endpoint).
    virtual std::size_t batch_size() const = 0;
    virtual net::HttpRequest batch_request(const std::vector<std::string>& remote_ids) const = 0;
    // A batch answer lists the posts found; the ones missing are looked up one by one.
    virtual PostsAnswer read_batch(const Result<net::HttpResponse>& response) const = 0;
    // One post, to tell "deleted" from "not shown in the batch".
    virtual net::HttpRequest single_request(const std::string& remote_id) const = 0;
    virtual PostsAnswer read_single(const Result<net::HttpResponse>& response) const = 0;
    // The account's own posts, newest first (cursor: from the previous page).
    virtual net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const = 0;
    virtual PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const = 0;
    // Whether a timeline page carries the posts' counters. When not (LinkedIn lists posts
    // without statistics), its posts are tracked and asked for in batches like the others.
    virtual bool timeline_counts() const { return true; }
    // The rate-limit budget an answer announces.
    virtual net::RateLimit rate_limit(const net::HttpResponse& response,
                                      net::SysTime now) const = 0;
    // Which platform field each counter comes from (stored with every snapshot).
    virtual store::FieldMap post_fields() const = 0;
    virtual store::FieldMap account_fields() const = 0;
    // `text` with the account's secrets masked.
    virtual std::string redact(std::string text) const = 0;
};

// The metrics source for an account. Fails (unsupported) when its platform has none yet, and
// (config) when its credentials are missing, with a hint.
Result<std::unique_ptr<MetricsSource>> make_metrics_source(const AdapterContext& ctx);

}  // namespace cmtool::platforms
