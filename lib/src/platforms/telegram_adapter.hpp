#pragma once
// The Telegram Bot API adapter (platforms.md §6.1, docs/networks/telegram.md). Every call is
// POST <api>/bot<token>/<method>: the bot token is in the URL path, so every URL, error and log
// line passes through redaction (redact_url masks /bot<id>:<secret>/, redact_text the token).
//
// Exactly-once: the Bot API has no idempotency key and no way for a bot to read back the
// messages it sent (no history call), so lookup() always answers cannot_tell. A part whose
// outcome is unknown (the request left, no answer came) is held in `intent` and reported at
// every run, never resent automatically: a human checks the chat.
//
// Account settings read here: `chat_id` (required: "@channelname" or a numeric id), `api`
// (base URL, default https://api.telegram.org) and `timeout_ms`.
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::telegram {

// The Bot API's default host (core.telegram.org/bots/api "Making requests").
inline constexpr const char* k_default_api = "https://api.telegram.org";

class TelegramAdapter final : public Adapter {
  public:
    TelegramAdapter(const AdapterContext& ctx, std::string base_url,
                    std::optional<std::chrono::milliseconds> timeout);

    Platform platform() const override { return Platform::telegram; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    Result<void> ready_to_publish() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

  private:
    // The sendMessage body (text, chat_id, reply_parameters of the parent).
    nlohmann::json message_body(const PublishRequest& request) const;
    PublishResult interpret(const Result<net::HttpResponse>& response, const std::string& what);

    Result<std::string> token();
    // POST <base>/bot<token>/<method>. Repeats only attempts that certainly did not reach the
    // server (or any failed attempt for Retryable::yes); a 429 is returned, never repeated
    // here: the engine waits or defers with the retry_after it carries.
    Result<net::HttpResponse> call(const std::string& method, net::HttpRequest request,
                                   net::Retryable retryable);

    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    // "sendMessage: HTTP 400: Bad Request: message is too long", redacted.
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    std::string token_hint() const;
    std::string redact(std::string text) const;

    AdapterContext m_ctx;
    std::string m_base;
    std::string m_chat_id;
    std::chrono::milliseconds m_timeout;
    net::RetryPolicy m_policy;
    std::optional<std::string> m_token;
};

// The Bot API envelope of a response: `ok`, and for failures `error_code` and `description`
// (§6.1). A body that is not such an object gives ok = false and an empty description.
struct Envelope {
    bool ok = false;
    long error_code = 0;
    std::string description;
    nlohmann::json result;
};
Envelope read_envelope(const std::string& body);

}  // namespace cmtool::platforms::telegram
