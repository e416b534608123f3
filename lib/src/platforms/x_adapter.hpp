#pragma once
// The X adapter (platforms.md §4, docs/networks/x.md). X has no idempotency key: a POST
// /2/tweets whose answer was lost may or may not have created the post, so such an outcome is
// `unknown` and lookup() reads the account's recent posts (GET /2/users/:id/tweets since the
// intent) to recognise the part by its text and reply parent.
//
// Tokens: OAuth 2 user tokens (oauth.hpp): access_token() renews a stored token at 80 % of its
// two-hour life, and a 401 renews it once (oauth::renew) and repeats the request once.
//
// Account settings read here: `api` (base URL, default https://api.x.com), `handle` (for post
// URLs; else https://x.com/i/web/status/<id>), `timeout_ms` (per request, default 30000; media
// uploads 120000).
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::x {

// Where a failure happened: before POST /2/tweets nothing can have been published.
enum class Step { prepare, post };

// Paths of the X API v2 (one constant each, platforms.md §4.2, §4.4; metadata is [C]).
inline constexpr const char* k_tweets_path = "/2/tweets";
inline constexpr const char* k_media_path = "/2/media/upload";
inline constexpr const char* k_media_metadata_path = "/2/media/metadata";
inline constexpr const char* k_me_path = "/2/users/me";
inline constexpr const char* k_default_api = "https://api.x.com";

// The text X shows for a post, made comparable with what was sent: HTML entities &amp; &lt;
// &gt; decoded, links (X rewrites them to t.co and appends one for attached media) removed,
// whitespace runs as one space, trimmed.
std::string normalise_for_match(std::string_view text);
// Whether a problem-details body is X's refusal of duplicate content (wording [U], §4.8).
bool is_duplicate_refusal(const nlohmann::json& body);
// The problem's detail (or title) and type for messages: "Forbidden: You are not ...".
std::string problem_text(const nlohmann::json& body);

class XAdapter final : public Adapter {
  public:
    XAdapter(const AdapterContext& ctx, std::string base_url,
             std::optional<std::chrono::milliseconds> timeout);

    Platform platform() const override { return Platform::x; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    Result<void> ready_to_publish() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

  private:
    nlohmann::json tweet_body(const PublishRequest& request,
                              const std::vector<std::string>& media_ids) const;

    // Media (x_publish.cpp): the upload, then the alt text through the metadata endpoint.
    std::optional<PublishResult> upload_media(const MediaFile& media, std::string& id);
    PublishResult interpret_post(const PublishRequest& request,
                                 const Result<net::HttpResponse>& response);
    // A 403 duplicate: the same text is on the account; found there = sent, else refused.
    PublishResult settle_duplicate(const PublishRequest& request, const std::string& message);

    // Lookup (x_lookup.cpp).
    Result<std::string> user_id();

    // Transport (x.cpp).
    Result<std::string> token();
    net::HttpRequest make_request(std::string method, const std::string& path_and_query,
                                  std::chrono::milliseconds timeout) const;
    // Sends with the token and retries transient failures (when `retryable`); a 401 renews the
    // token once and sends again (a 401 was not processed). Refuses with rate_limited, without
    // sending, while the last x-rate-limit-* headers say the budget is spent.
    Result<net::HttpResponse> send(net::HttpRequest request, net::Retryable retryable);
    std::chrono::milliseconds api_timeout() const;
    std::chrono::milliseconds upload_timeout() const;
    std::string post_url(const std::string& id) const;

    // Outcomes (x_outcome.cpp).
    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    PublishResult failure(const Result<net::HttpResponse>& response, const std::string& what,
                          Step step) const;
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    Error as_error(const Result<net::HttpResponse>& response, const std::string& what) const;
    std::optional<std::chrono::sys_seconds> reset_of(const net::HttpResponse& response) const;
    std::string token_hint() const;
    std::string redact(std::string text) const;

    AdapterContext m_ctx;
    std::string m_base;
    std::optional<std::chrono::milliseconds> m_timeout;
    net::RetryPolicy m_policy;
    std::optional<std::string> m_token;
    bool m_renewed = false;  // one renewal per adapter (per run)
    std::string m_user_id;   // from /2/users/me, cached for lookups
    std::string m_username;
    // X budgets each endpoint separately (§4.8): the last x-rate-limit-* headers per path.
    std::map<std::string, net::RateLimit> m_rates;
};

}  // namespace cmtool::platforms::x
