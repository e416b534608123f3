#pragma once
// The Discord webhook adapter (platforms.md §6.2, docs/networks/discord.md). The secret is the
// webhook URL itself (https://discord.com/api/webhooks/<id>/<token>): kind "webhook_url", env
// CMTOOL_<ACCOUNT>_WEBHOOK_URL. Every URL and message passes through redaction.
//
// Messages are executed with ?wait=true, so the answer is the created message (its id) instead
// of a bare 204. Exactly-once: a webhook can read back a message it created only by its id
// (GET /webhooks/<id>/<token>/messages/<message id>), and after an unknown outcome the id is
// exactly what is missing; there is no idempotency key and no history a webhook may list. So
// lookup() answers cannot_tell: the part is held and reported for a human, never resent.
//
// Account settings read here: `api` (replaces the webhook URL's scheme and host; tests point it
// at the fake), `username` (overrides the webhook's name), `thread_id` (post into a thread of a
// forum or text channel), `guild_id` (to build message links), `timeout_ms`.
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::discord {

// The API version cmtool calls (§6.2: v10 [U] as a choice; the unversioned path is v6-era).
inline constexpr const char* k_api_path = "/api/v10/webhooks/";

// The parts of a webhook URL; nullopt when it is not .../webhooks/<id>/<token>.
struct Webhook {
    std::string origin;  // "https://discord.com"
    std::string id;
    std::string token;
};
std::optional<Webhook> parse_webhook_url(std::string_view url);

class DiscordAdapter final : public Adapter {
  public:
    DiscordAdapter(const AdapterContext& ctx, std::optional<std::chrono::milliseconds> timeout);

    Platform platform() const override { return Platform::discord; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    Result<void> ready_to_publish() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

  private:
    nlohmann::json payload(const PublishRequest& request) const;
    PublishResult interpret(const Result<net::HttpResponse>& response, const std::string& what);

    // The webhook from the credentials, with `api` applied to its origin.
    Result<Webhook> webhook();
    // base + /api/v10/webhooks/<id>/<token> + suffix.
    std::string endpoint(const Webhook& w, const std::string& suffix) const;
    // Sends with retries; waits (at most a few seconds) or refuses with rate_limited, without
    // sending, while the last X-RateLimit headers say the bucket is empty.
    Result<net::HttpResponse> send(net::HttpRequest request, net::Retryable retryable);

    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    // "POST webhook message: HTTP 400: Invalid Form Body (50035)", redacted.
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    std::string webhook_hint() const;
    std::string redact(std::string text) const;

    AdapterContext m_ctx;
    std::chrono::milliseconds m_timeout;
    net::RetryPolicy m_policy;
    std::optional<Webhook> m_webhook;
    std::string m_secret;  // the webhook URL as stored, for redaction
    net::RateLimit m_rate;
};

}  // namespace cmtool::platforms::discord
