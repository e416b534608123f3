#pragma once
// The Mastodon adapter (platforms.md §1). Exactly-once rests on two things:
// - the Idempotency-Key header (the request's key) on POST /api/v1/statuses: Mastodon keeps
//   it for one hour per account and answers a repeat with the status it already created
//   (§1.2), so the status POST may be retried, and a publish repeated within the hour is safe;
// - lookup(), which finds a part among the account's recent statuses by its text, because
//   Mastodon cannot be asked "what did key K create?" and the key is forgotten after an hour.
//
// Account settings read here: `instance` / `api` (base URL), `visibility` (default public),
// `language` (when the post has no langs), and `timeout_ms`, the per-request timeout in
// milliseconds (default 30000, and 120000 for media uploads).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::mastodon {

// Where a failure happened: before the status POST nothing can have been published, so even an
// unanswered request is only a transient failure; at the status POST it may have been.
enum class Step { prepare, status };

class MastodonAdapter final : public Adapter {
  public:
    MastodonAdapter(const AdapterContext& ctx, std::string base_url,
                    std::optional<std::chrono::milliseconds> timeout);

    Platform platform() const override { return Platform::mastodon; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    Result<void> ready_to_publish() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

  private:
    // The status body of POST /api/v1/statuses, with `media_ids` as given.
    nlohmann::json status_body(const PublishRequest& request,
                               const std::vector<std::string>& media_ids) const;

    // Media (mastodon_publish.cpp). Each returns the PublishResult that ends the publish.
    std::optional<PublishResult> upload_media(const MediaFile& media, std::string& id);
    std::optional<PublishResult> wait_until_processed(const std::string& id,
                                                      const std::string& file);
    PublishResult interpret_status(const PublishRequest& request,
                                   const Result<net::HttpResponse>& response);

    // Lookup (mastodon_lookup.cpp).
    Result<std::string> account_id();
    bool matches(const nlohmann::json& status, const PublishRequest& request,
                 const std::string& expected_text) const;

    // Transport (mastodon.cpp).
    Result<std::string> token();
    net::HttpRequest make_request(std::string method, const std::string& path_and_query,
                                  std::chrono::milliseconds timeout) const;
    // Sends with the token and retries; refuses with ErrorCode::rate_limited, without sending,
    // while the last X-RateLimit headers say the budget is spent until a future reset.
    Result<net::HttpResponse> send(net::HttpRequest request, net::Retryable retryable);
    std::chrono::milliseconds api_timeout() const;
    std::chrono::milliseconds upload_timeout() const;

    // Outcomes (mastodon_outcome.cpp).
    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    PublishResult failure(const Result<net::HttpResponse>& response, const std::string& what,
                          Step step) const;
    // "POST /api/v1/statuses: HTTP 422: Validation failed: ...", redacted.
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    // The error verify() and lookup() return for a failure.
    Error as_error(const Result<net::HttpResponse>& response, const std::string& what) const;
    std::string token_hint() const;
    std::string redact(std::string text) const;

    AdapterContext m_ctx;
    std::string m_base;
    std::optional<std::chrono::milliseconds> m_timeout;
    net::RetryPolicy m_policy;
    std::optional<std::string> m_token;
    std::string m_account_id;  // from verify_credentials, cached for lookups
    net::RateLimit m_rate;     // from the last response that carried X-RateLimit-* headers
};

}  // namespace cmtool::platforms::mastodon
