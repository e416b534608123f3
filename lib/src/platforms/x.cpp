// The X adapter: factory, preview, verify and the authenticated transport (OAuth 2 token with
// renewal on 401, retries, the per-endpoint x-rate-limit budget).

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/x_adapter.hpp"

namespace cmtool::platforms {
namespace x {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds k_api_timeout{30000};
constexpr std::chrono::milliseconds k_upload_timeout{120000};

// "/2/users/me" out of "https://api.x.com/2/users/me?user.fields=...".
std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (start == std::string::npos) {
        return "/";
    }
    return url.substr(start, url.find('?', start) - start);
}

}  // namespace

XAdapter::XAdapter(const AdapterContext& ctx, std::string base_url,
                   std::optional<std::chrono::milliseconds> timeout)
    : m_ctx(ctx), m_base(std::move(base_url)), m_timeout(timeout) {}

Capabilities XAdapter::capabilities() const {
    // No idempotency key on X: a repeat after a lost answer could post twice, so the engine
    // looks up first.
    return Capabilities{
        .threads = true, .alt_text = true, .idempotent_publish = false, .lookup = true};
}

json XAdapter::tweet_body(const PublishRequest& request,
                          const std::vector<std::string>& media_ids) const {
    json body = {{"text", request.part.text}};
    if (request.parent) {
        body["reply"] = {{"in_reply_to_tweet_id", request.parent->id}};
    }
    if (!media_ids.empty()) {
        body["media"] = {{"media_ids", media_ids}};
    }
    return body;
}

json XAdapter::preview(const PublishRequest& request) const {
    json media = json::array();
    std::vector<std::string> ids;
    for (const MediaFile& m : request.part.media) {
        media.push_back(
            {{"file", m.file},
             {"alt", m.alt},
             {"mime", m.mime},
             {"size", m.size},
             {"upload", "POST " + m_base + k_media_path},
             {"alt_text",
              m.alt.empty() ? json() : json("POST " + m_base + k_media_metadata_path)}});
        ids.push_back("(id of " + m.file + ", assigned on upload)");
    }
    json body = tweet_body(request, ids);
    if (!request.parent && request.part.index > 0) {
        body["reply"] = {
            {"in_reply_to_tweet_id",
             fmt::format("(id of part {}, known once it is published)", request.part.index - 1)}};
    }
    return {{"method", "POST"},
            {"url", m_base + k_tweets_path},
            {"json", std::move(body)},
            {"media", std::move(media)}};
}

Result<AccountInfo> XAdapter::verify() {
    const std::string what = std::string("GET ") + k_me_path;
    const auto r = send(make_request("GET", k_me_path, api_timeout()), net::Retryable::yes);
    if (!r || r->status != 200) {
        return fail(as_error(r, what));
    }
    const json j = json::parse(r->body, nullptr, false);
    const json data = j.is_object() && j.contains("data") ? j["data"] : json();
    AccountInfo info;
    info.id = util::json_string(data, "id");
    if (info.id.empty()) {
        return fail(ErrorCode::parse, what + ": malformed answer (HTTP 200 without data.id)");
    }
    m_user_id = info.id;
    m_username = util::json_string(data, "username");
    info.handle = "@" + m_username;
    info.display_name = util::json_string(data, "name");
    info.url = "https://x.com/" + m_username;
    if (auto tokens = oauth::load_tokens(m_ctx.credentials, m_ctx.account);
        tokens && *tokens && (*tokens)->expires_at) {
        info.token_expires = (*tokens)->expires_at;
    }
    return info;
}

Result<void> XAdapter::ready_to_publish() {
    if (auto tok = token(); !tok) {
        return fail(std::move(tok).error());
    }
    return {};
}

std::string XAdapter::post_url(const std::string& id) const {
    std::string handle = m_ctx.account.get("handle", m_username);
    if (!handle.empty() && handle.front() == '@') {
        handle.erase(0, 1);
    }
    return handle.empty() ? "https://x.com/i/web/status/" + id
                          : "https://x.com/" + handle + "/status/" + id;
}

// ---------------------------------------------------------------- transport

Result<std::string> XAdapter::token() {
    if (m_token) {
        return *m_token;
    }
    auto tok = oauth::access_token(m_ctx);
    if (!tok) {
        return fail(std::move(tok).error());
    }
    m_token = std::move(*tok);
    return *m_token;
}

std::chrono::milliseconds XAdapter::api_timeout() const {
    return m_timeout.value_or(k_api_timeout);
}

std::chrono::milliseconds XAdapter::upload_timeout() const {
    return m_timeout.value_or(k_upload_timeout);
}

net::HttpRequest XAdapter::make_request(std::string method, const std::string& path_and_query,
                                        std::chrono::milliseconds timeout) const {
    net::HttpRequest req;
    req.method = std::move(method);
    req.url = m_base + path_and_query;
    req.timeout = timeout;
    req.headers.emplace_back("Accept", "application/json");
    return req;
}

Result<HttpResponse> XAdapter::send(net::HttpRequest request, net::Retryable retryable) {
    auto tok = token();
    if (!tok) {
        return fail(std::move(tok).error());
    }
    const std::string path = path_of(request.url);
    if (const auto it = m_rates.find(path); it != m_rates.end()) {
        const net::RateLimit& rate = it->second;
        if (rate.remaining && *rate.remaining <= 0 && rate.reset &&
            *rate.reset > m_ctx.clock.now()) {
            return fail(
                ErrorCode::rate_limited,
                fmt::format("the X rate limit of {} is spent until {:%FT%TZ}", path, *rate.reset),
                "cmtool retries after the reset");
        }
    }
    for (int attempt = 0;; ++attempt) {
        net::HttpRequest req = request;
        net::set_header(req, "Authorization", "Bearer " + *m_token);
        auto r =
            net::send_with_retry(m_ctx.http, req, m_policy, m_ctx.sleeper, m_ctx.clock, retryable);
        if (r) {
            if (const auto limit = net::parse_x_rate_limit(*r); !limit.empty()) {
                m_rates[path] = limit;
            }
        }
        if (!r || r->status != 401 || attempt > 0 || m_renewed) {
            return r;
        }
        // 401: the access token expired or was revoked (§8). A 401 was not processed, so the
        // request may be sent again once with a renewed token.
        m_renewed = true;
        auto fresh = oauth::renew(m_ctx, *m_token);
        if (!fresh) {
            return r;  // the 401 stands; its hint says to log in again
        }
        m_token = fresh->access_token;
    }
}

}  // namespace x

Result<std::unique_ptr<Adapter>> make_x_adapter(const AdapterContext& ctx) {
    std::string base = api_base(ctx.account);
    if (base.empty()) {
        base = x::k_default_api;
    }
    auto timeout = timeout_setting(ctx.account, "X");
    if (!timeout) {
        return fail(std::move(timeout).error());
    }
    return std::unique_ptr<Adapter>(std::make_unique<x::XAdapter>(ctx, base, *timeout));
}

}  // namespace cmtool::platforms
