// The Discord webhook adapter: factory, the webhook URL (a secret), verify (GET the webhook),
// the transport with Discord's rate-limit buckets, and redaction (platforms.md §6.2).

#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/discord_adapter.hpp"

namespace cmtool::platforms {
namespace discord {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds k_api_timeout{30000};
// Discord's buckets refill within seconds (X-RateLimit-Reset-After): waiting this long for one
// beats deferring the delivery to the next run.
constexpr std::chrono::milliseconds k_max_bucket_wait{10000};

}  // namespace

std::optional<Webhook> parse_webhook_url(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos ||
        (!url.starts_with("https://") && !url.starts_with("http://"))) {
        return std::nullopt;
    }
    const auto path_start = url.find('/', scheme + 3);
    if (path_start == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view path = url.substr(path_start);
    path = path.substr(0, path.find_first_of("?#"));
    const auto at = path.find("/webhooks/");
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view rest = path.substr(at + 10);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) {
        return std::nullopt;
    }
    Webhook w;
    w.origin = std::string(url.substr(0, path_start));
    w.id = std::string(rest.substr(0, slash));
    rest.remove_prefix(slash + 1);
    while (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    if (rest.empty() || rest.find('/') != std::string_view::npos ||
        w.id.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    w.token = std::string(rest);
    return w;
}

DiscordAdapter::DiscordAdapter(const AdapterContext& ctx,
                               std::optional<std::chrono::milliseconds> timeout)
    : m_ctx(ctx), m_timeout(timeout.value_or(k_api_timeout)) {}

Capabilities DiscordAdapter::capabilities() const {
    // threads: parts go out as follow-up messages in order (a webhook cannot reply).
    return Capabilities{
        .threads = true, .alt_text = true, .idempotent_publish = false, .lookup = false};
}

Result<Webhook> DiscordAdapter::webhook() {
    if (m_webhook) {
        return *m_webhook;
    }
    const std::string env = credential_env_name(m_ctx.account.name, "webhook_url");
    auto secret = m_ctx.credentials.get(m_ctx.account, "webhook_url");
    if (!secret) {
        return fail(std::move(secret).error());
    }
    if (!*secret || (*secret)->empty()) {
        return fail(ErrorCode::config, "no webhook URL for Discord account " + m_ctx.account.name,
                    "set " + env +
                        " to the channel's webhook URL (Server Settings > Integrations > "
                        "Webhooks) or run `cmtool auth login " +
                        m_ctx.account.name + "`");
    }
    m_secret = **secret;
    auto w = parse_webhook_url(m_secret);
    if (!w) {
        return fail(ErrorCode::config,
                    "the webhook URL of Discord account " + m_ctx.account.name +
                        " is not https://discord.com/api/webhooks/<id>/<token>",
                    "copy it again from the channel's Integrations > Webhooks into " + env);
    }
    if (const std::string base = api_base(m_ctx.account); !base.empty()) {
        w->origin = base;  // `api` replaces scheme and host (tests, proxies)
    }
    m_webhook = *w;
    return *m_webhook;
}

std::string DiscordAdapter::endpoint(const Webhook& w, const std::string& suffix) const {
    return w.origin + k_api_path + w.id + "/" + w.token + suffix;
}

Result<AccountInfo> DiscordAdapter::verify() {
    auto w = webhook();
    if (!w) {
        return fail(std::move(w).error());
    }
    const std::string what = "GET webhook";
    net::HttpRequest req;
    req.method = "GET";
    req.url = endpoint(*w, "");
    const auto r = send(std::move(req), net::Retryable::yes);
    if (!r) {
        return fail(
            Error{r.error().code, redact(what + ": " + r.error().message), redact(r.error().hint)});
    }
    if (r->status == 401 || r->status == 403 || r->status == 404) {
        return fail(ErrorCode::auth, describe(what, *r), webhook_hint());
    }
    if (r->status == 429) {
        return fail(ErrorCode::rate_limited, describe(what, *r), "try again in a moment");
    }
    const json j = json::parse(r->body, nullptr, false);
    if (r->status != 200 || !j.is_object()) {
        return fail(r->status >= 500 ? ErrorCode::network : ErrorCode::unavailable,
                    describe(what, *r));
    }
    AccountInfo info;
    info.id = util::json_string(j, "id");
    info.display_name = util::json_string(j, "name");
    info.handle = info.display_name.empty() ? "webhook " + info.id : info.display_name;
    const std::string guild = util::json_string(j, "guild_id");
    const std::string channel = util::json_string(j, "channel_id");
    if (!guild.empty() && !channel.empty()) {
        info.url = fmt::format("https://discord.com/channels/{}/{}", guild, channel);
    }
    return info;
}

Result<void> DiscordAdapter::ready_to_publish() {
    if (auto w = webhook(); !w) {
        return fail(std::move(w).error());
    }
    return {};
}

Result<HttpResponse> DiscordAdapter::send(net::HttpRequest request, net::Retryable retryable) {
    const auto now = m_ctx.clock.now();
    const auto decision = net::decide(m_rate, now, k_max_bucket_wait);
    if (decision.action == net::RateDecision::Action::wait) {
        if (auto slept = m_ctx.sleeper.sleep_for(decision.wait); !slept) {
            return fail(std::move(slept).error());
        }
    } else if (decision.action == net::RateDecision::Action::defer && m_rate.reset) {
        return fail(ErrorCode::rate_limited, "the webhook's rate-limit bucket is empty",
                    "cmtool retries after the reset");
    }
    request.timeout = m_timeout;
    request.headers.emplace_back("Accept", "application/json");
    auto r =
        net::send_with_retry(m_ctx.http, request, m_policy, m_ctx.sleeper, m_ctx.clock, retryable);
    if (r) {
        if (const auto limit = net::parse_discord_rate_limit(*r, m_ctx.clock.now());
            !limit.empty()) {
            m_rate = limit;
        }
    }
    return r;
}

std::string DiscordAdapter::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text),
                          {m_secret, m_webhook ? std::string_view(m_webhook->token) : ""});
}

std::string DiscordAdapter::webhook_hint() const {
    return "the webhook was deleted or its URL is wrong: copy it again into " +
           credential_env_name(m_ctx.account.name, "webhook_url");
}

PublishResult DiscordAdapter::result(Outcome outcome, const std::string& message,
                                     std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

std::string DiscordAdapter::describe(const std::string& what, const HttpResponse& response) const {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    const json j = json::parse(response.body, nullptr, false);
    if (const std::string message = util::json_string(j, "message"); !message.empty()) {
        text += ": " + message;
    }
    if (const auto code = util::json_int(j, "code"); code && *code != 0) {
        text += fmt::format(" ({})", *code);
    }
    if (j.is_object() && j.contains("errors")) {
        text += ": " + j["errors"].dump();
    }
    return redact(text);
}

}  // namespace discord

Result<std::unique_ptr<Adapter>> make_discord_adapter(const AdapterContext& ctx) {
    auto timeout = timeout_setting(ctx.account, "Discord");
    if (!timeout) {
        return fail(std::move(timeout).error());
    }
    return std::unique_ptr<Adapter>(std::make_unique<discord::DiscordAdapter>(ctx, *timeout));
}

}  // namespace cmtool::platforms
