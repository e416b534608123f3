// The adapter factory and the small shared pieces of the platform interface.
#include "cmtool/platforms/adapter.hpp"

#include <fmt/format.h>

#include <charconv>

#include "adapters.hpp"
#include "cmtool/net/redact.hpp"

namespace cmtool::platforms {

nlohmann::json RemoteRef::to_json() const {
    nlohmann::json j = {{"id", id}};
    if (!url.empty())
        j["url"] = url;
    if (!uri.empty())
        j["uri"] = uri;
    if (!cid.empty())
        j["cid"] = cid;
    return j;
}

RemoteRef RemoteRef::from_json(const nlohmann::json& j) {
    RemoteRef r;
    if (!j.is_object()) {
        return r;
    }
    r.id = j.value("id", "");
    r.url = j.value("url", "");
    r.uri = j.value("uri", "");
    r.cid = j.value("cid", "");
    return r;
}

std::string_view outcome_name(Outcome o) {
    switch (o) {
        case Outcome::sent:
            return "sent";
        case Outcome::permanent_failure:
            return "failed";
        case Outcome::transient_failure:
            return "transient_failure";
        case Outcome::rate_limited:
            return "rate_limited";
        case Outcome::unknown:
            return "unknown";
    }
    return "unknown";
}

TransportVerdict transport_verdict(const Error& e, MayHavePublished may,
                                   std::string_view unknown_hint,
                                   std::string_view interrupted_hint) {
    const bool maybe = may == MayHavePublished::yes;
    switch (e.code) {
        case ErrorCode::rate_limited:
            return {Outcome::rate_limited, e.hint};
        case ErrorCode::network: {
            const auto failure = net::classify_transport_error(e);
            const bool not_sent = failure && failure->delivery == net::Delivery::not_sent;
            if (maybe && !not_sent) {
                return {Outcome::unknown, std::string(unknown_hint)};
            }
            return {Outcome::transient_failure, {}};
        }
        case ErrorCode::interrupted:
            // A wait was cut short; an earlier attempt of the request may have landed.
            if (maybe) {
                return {Outcome::unknown, std::string(interrupted_hint)};
            }
            return {Outcome::transient_failure, {}};
        default:
            return {Outcome::permanent_failure, e.hint};
    }
}

std::string redact_secrets(const CredentialStore& credentials, std::string text,
                           std::initializer_list<std::string_view> extra) {
    std::vector<std::string> secrets = credentials.known_secrets();
    for (const std::string_view s : extra) {
        secrets.emplace_back(s);
    }
    return net::redact_text(std::move(text), secrets);
}

Result<std::optional<std::chrono::milliseconds>> timeout_setting(const calendar::Account& account,
                                                                 std::string_view network) {
    const std::string text = account.get("timeout_ms");
    if (text.empty()) {
        return std::optional<std::chrono::milliseconds>();
    }
    long ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || end != text.data() + text.size() || ms <= 0) {
        return fail(ErrorCode::config,
                    fmt::format("{} account {}: timeout_ms must be a positive number of "
                                "milliseconds, not `{}`",
                                network, account.name, text));
    }
    return std::optional(std::chrono::milliseconds(ms));
}

std::string api_base(const calendar::Account& account) {
    std::string base = account.get("api");
    if (base.empty()) {
        switch (account.platform) {
            case Platform::mastodon:
                base = account.get("instance");
                break;
            case Platform::bluesky:
                base = account.get("service", "https://bsky.social");
                break;
            case Platform::linkedin:
                base = "https://api.linkedin.com";  // platforms.md §3.1
                break;
            default:
                break;
        }
    }
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base;
}

Result<std::unique_ptr<Adapter>> make_adapter(const AdapterContext& ctx) {
    switch (ctx.account.platform) {
        case Platform::mastodon:
            return make_mastodon_adapter(ctx);
        case Platform::bluesky:
            return make_bluesky_adapter(ctx);
        case Platform::telegram:
            return make_telegram_adapter(ctx);
        case Platform::discord:
            return make_discord_adapter(ctx);
        case Platform::linkedin:
            return make_linkedin_adapter(ctx);
        case Platform::facebook:
            return make_facebook_adapter(ctx);
        case Platform::instagram:
            return make_instagram_adapter(ctx);
        case Platform::threads:
            return make_threads_adapter(ctx);
        case Platform::x:
            return make_x_adapter(ctx);
        default:
            break;
    }
    return fail(ErrorCode::unavailable,
                fmt::format("publishing to {} ({}) is not supported yet", ctx.account.name,
                            platform_name(ctx.account.platform)),
                "docs/platforms.md lists what each network supports");
}

}  // namespace cmtool::platforms
