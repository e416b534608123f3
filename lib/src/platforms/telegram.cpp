// The Telegram adapter: factory, preview, verify (getMe), the bot-token transport and the
// redaction every message passes through (platforms.md §6.1).
#include <algorithm>

#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/telegram_adapter.hpp"

namespace cmtool::platforms {
namespace telegram {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds k_api_timeout{30000};

}  // namespace

Envelope read_envelope(const std::string& body) {
    Envelope e;
    const json j = json::parse(body, nullptr, false);
    if (!j.is_object()) {
        return e;
    }
    e.ok = j.value("ok", false) == true;
    e.error_code = static_cast<long>(util::json_int(j, "error_code").value_or(0));
    e.description = util::json_string(j, "description");
    if (j.contains("result")) {
        e.result = j["result"];
    }
    return e;
}

TelegramAdapter::TelegramAdapter(const AdapterContext& ctx, std::string base_url,
                                 std::optional<std::chrono::milliseconds> timeout)
    : m_ctx(ctx),
      m_base(std::move(base_url)),
      m_chat_id(ctx.account.get("chat_id")),
      m_timeout(timeout.value_or(k_api_timeout)) {}

Capabilities TelegramAdapter::capabilities() const {
    // No idempotency key and no way to read a sent message back (§6.1): an unknown outcome is
    // held for a human, never resent.
    return Capabilities{
        .threads = true, .alt_text = false, .idempotent_publish = false, .lookup = false};
}

json TelegramAdapter::preview(const PublishRequest& request) const {
    const bool photo = !request.part.media.empty();
    json body = message_body(request);
    if (!request.parent && request.part.index > 0) {
        body["reply_parameters"] = {
            {"message_id",
             fmt::format("(message_id of part {}, known once it is sent)", request.part.index)}};
    }
    json out = {{"method", "POST"},
                // The token is part of the real URL: never shown.
                {"url", fmt::format("{}/bot{}/{}", m_base, net::k_redacted,
                                    photo ? "sendPhoto" : "sendMessage")}};
    if (photo) {
        body["caption"] = body["text"];
        body.erase("text");
        const MediaFile& m = request.part.media.front();
        body["photo"] = {{"file", m.file}, {"mime", m.mime}, {"size", m.size}};
        out["multipart"] = std::move(body);
    } else {
        out["json"] = std::move(body);
    }
    return out;
}

Result<AccountInfo> TelegramAdapter::verify() {
    const auto r = call("getMe", net::HttpRequest{}, net::Retryable::yes);
    const std::string what = "getMe";
    if (!r) {
        return fail(
            Error{r.error().code, redact(what + ": " + r.error().message), redact(r.error().hint)});
    }
    const Envelope env = read_envelope(r->body);
    if (r->status == 401 || r->status == 404) {
        return fail(ErrorCode::auth, describe(what, *r), token_hint());
    }
    if (r->status == 429) {
        return fail(ErrorCode::rate_limited, describe(what, *r), "try again later");
    }
    if (r->status != 200 || !env.ok || !env.result.is_object()) {
        return fail(r->status >= 500 ? ErrorCode::network : ErrorCode::unavailable,
                    describe(what, *r));
    }
    AccountInfo info;
    if (const auto id = util::json_int(env.result, "id")) {
        info.id = std::to_string(*id);
    }
    const std::string username = util::json_string(env.result, "username");
    info.handle = username.empty() ? info.id : "@" + username;
    info.display_name = util::json_string(env.result, "first_name");
    info.url = username.empty() ? "" : "https://t.me/" + username;
    return info;
}

Result<void> TelegramAdapter::ready_to_publish() {
    if (auto tok = token(); !tok) {
        return fail(std::move(tok).error());
    }
    return {};
}

// ---------------------------------------------------------------- transport

Result<std::string> TelegramAdapter::token() {
    if (m_token) {
        return *m_token;
    }
    auto secret = m_ctx.credentials.get(m_ctx.account, "token");
    if (!secret) {
        return fail(std::move(secret).error());
    }
    if (!*secret || (*secret)->empty()) {
        return fail(ErrorCode::config, "no bot token for Telegram account " + m_ctx.account.name,
                    "set " + credential_env_name(m_ctx.account.name, "token") +
                        " (the token @BotFather gave) or run `cmtool auth login " +
                        m_ctx.account.name + "`");
    }
    m_token = **secret;
    return *m_token;
}

Result<HttpResponse> TelegramAdapter::call(const std::string& method, net::HttpRequest request,
                                           net::Retryable retryable) {
    auto tok = token();
    if (!tok) {
        return fail(std::move(tok).error());
    }
    request.method = "POST";
    request.url = m_base + "/bot" + *tok + "/" + method;
    request.timeout = m_timeout;
    request.headers.emplace_back("Accept", "application/json");
    std::chrono::milliseconds delay = m_policy.base_delay;
    for (int attempt = 1;; ++attempt) {
        auto r = m_ctx.http.send(request);
        const bool last = attempt >= m_policy.max_attempts;
        bool again = false;
        if (!r) {
            const auto failure = net::classify_transport_error(r.error());
            again = retryable == net::Retryable::yes ||
                    (failure && failure->delivery == net::Delivery::not_sent);
        } else if (r->status >= 500 || r->status == 408) {
            again = retryable == net::Retryable::yes;  // a 5xx write may have been processed
        }
        if (!again || last) {
            return r;
        }
        if (auto slept = m_ctx.sleeper.sleep_for(delay); !slept) {
            return fail(std::move(slept).error());
        }
        delay = std::min(delay * 2, m_policy.max_delay);
    }
}

// ---------------------------------------------------------------- messages and redaction

std::string TelegramAdapter::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text), {m_token.value_or("")});
}

std::string TelegramAdapter::token_hint() const {
    return "check the bot token in " + credential_env_name(m_ctx.account.name, "token") +
           " (from @BotFather; `cmtool auth status` checks it)";
}

PublishResult TelegramAdapter::result(Outcome outcome, const std::string& message,
                                      std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

std::string TelegramAdapter::describe(const std::string& what, const HttpResponse& response) const {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    if (const Envelope env = read_envelope(response.body); !env.description.empty()) {
        text += ": " + env.description;
    }
    return redact(text);
}

}  // namespace telegram

Result<std::unique_ptr<Adapter>> make_telegram_adapter(const AdapterContext& ctx) {
    const std::string& name = ctx.account.name;
    if (ctx.account.get("chat_id").empty()) {
        return fail(ErrorCode::config, "Telegram account " + name + " has no `chat_id` setting",
                    "add `chat_id: \"@yourchannel\"` (or the chat's numeric id, quoted)");
    }
    std::string base = api_base(ctx.account);
    if (base.empty()) {
        base = telegram::k_default_api;
    }
    auto timeout = timeout_setting(ctx.account, "Telegram");
    if (!timeout) {
        return fail(std::move(timeout).error());
    }
    return std::unique_ptr<Adapter>(
        std::make_unique<telegram::TelegramAdapter>(ctx, std::move(base), *timeout));
}

}  // namespace cmtool::platforms
