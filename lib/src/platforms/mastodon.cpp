// The Mastodon adapter: factory, preview, verify and the authenticated transport (token, timeouts,
// retries, the X-RateLimit budget).

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/mastodon_adapter.hpp"

namespace cmtool::platforms {
namespace mastodon {

using net::HttpResponse;
using nlohmann::json;

namespace {

// Per-request timeouts when the account sets none: API calls, and media uploads, which carry
// whole files.
constexpr std::chrono::milliseconds k_api_timeout{30000};
constexpr std::chrono::milliseconds k_upload_timeout{120000};

// "mastodon.social" out of "https://mastodon.social/@alice".
std::string host_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    return url.substr(start, url.find('/', start) - start);
}

// Mastodon wants ISO 639-1 (§1.2): the primary subtag of a BCP 47 tag, lower-cased.
std::string language_code(std::string tag) {
    tag = tag.substr(0, tag.find_first_of("-_"));
    for (char& c : tag) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return tag;
}

}  // namespace

MastodonAdapter::MastodonAdapter(const AdapterContext& ctx, std::string base_url,
                                 std::optional<std::chrono::milliseconds> timeout)
    : m_ctx(ctx), m_base(std::move(base_url)), m_timeout(timeout) {}

Capabilities MastodonAdapter::capabilities() const {
    // Not idempotent_publish: the Idempotency-Key only holds for one hour (§1.2), so a repeat
    // after that could post twice; the engine must look up first.
    return Capabilities{
        .threads = true, .alt_text = true, .idempotent_publish = false, .lookup = true};
}

json MastodonAdapter::status_body(const PublishRequest& request,
                                  const std::vector<std::string>& media_ids) const {
    json body = {{"status", request.part.text},
                 {"visibility", m_ctx.account.get("visibility", "public")}};
    if (!media_ids.empty()) {
        body["media_ids"] = media_ids;
    }
    if (request.parent) {
        body["in_reply_to_id"] = request.parent->id;
    }
    const std::string lang = language_code(!request.langs.empty() ? request.langs.front()
                                                                  : m_ctx.account.get("language"));
    if (!lang.empty()) {
        body["language"] = lang;
    }
    return body;
}

json MastodonAdapter::preview(const PublishRequest& request) const {
    json media = json::array();
    std::vector<std::string> ids;
    for (const MediaFile& m : request.part.media) {
        media.push_back({{"file", m.file}, {"alt", m.alt}, {"mime", m.mime}, {"size", m.size}});
        ids.push_back("(id of " + m.file + ", assigned on upload)");
    }
    json body = status_body(request, ids);
    if (!request.parent && request.part.index > 0) {
        body["in_reply_to_id"] =
            fmt::format("(id of part {}, known once it is published)", request.part.index - 1);
    }
    return {{"method", "POST"},
            {"url", m_base + "/api/v1/statuses"},
            {"headers", {{"Idempotency-Key", request.key}}},
            {"json", std::move(body)},
            {"media", std::move(media)}};
}

Result<AccountInfo> MastodonAdapter::verify() {
    const std::string what = "GET /api/v1/accounts/verify_credentials";
    const auto r = send(make_request("GET", "/api/v1/accounts/verify_credentials", api_timeout()),
                        net::Retryable::yes);
    if (!r || r->status != 200) {
        return fail(as_error(r, what));
    }
    const json j = json::parse(r->body, nullptr, false);
    AccountInfo info;
    info.id = util::json_string(j, "id");
    if (info.id.empty()) {
        return fail(ErrorCode::parse, what + ": malformed answer (HTTP 200 without an id)");
    }
    m_account_id = info.id;
    const std::string acct = util::json_string(j, "acct");
    info.url = util::json_string(j, "url");
    info.display_name = util::json_string(j, "display_name");
    // `acct` is "user" for a local account: the instance is the web host of its profile URL.
    const std::string host = host_of(info.url.empty() ? m_base : info.url);
    info.handle = "@" + acct + (acct.find('@') == std::string::npos ? "@" + host : "");
    return info;
}

Result<void> MastodonAdapter::ready_to_publish() {
    // Only the token's presence: preview() works without one, publish() cannot.
    if (auto tok = token(); !tok) {
        return fail(std::move(tok).error());
    }
    return {};
}

// ---------------------------------------------------------------- transport

Result<std::string> MastodonAdapter::token() {
    if (m_token) {
        return *m_token;
    }
    auto secret = m_ctx.credentials.get(m_ctx.account, "token");
    if (!secret) {
        return fail(std::move(secret).error());
    }
    if (!*secret || (*secret)->empty()) {
        return fail(ErrorCode::config, "no access token for Mastodon account " + m_ctx.account.name,
                    "set " + credential_env_name(m_ctx.account.name, "token") +
                        " or run `cmtool auth login " + m_ctx.account.name + "`");
    }
    m_token = **secret;
    return *m_token;
}

std::chrono::milliseconds MastodonAdapter::api_timeout() const {
    return m_timeout.value_or(k_api_timeout);
}

std::chrono::milliseconds MastodonAdapter::upload_timeout() const {
    return m_timeout.value_or(k_upload_timeout);
}

net::HttpRequest MastodonAdapter::make_request(std::string method,
                                               const std::string& path_and_query,
                                               std::chrono::milliseconds timeout) const {
    net::HttpRequest req;
    req.method = std::move(method);
    req.url = m_base + path_and_query;
    req.timeout = timeout;
    req.headers.emplace_back("Accept", "application/json");
    return req;
}

Result<HttpResponse> MastodonAdapter::send(net::HttpRequest request, net::Retryable retryable) {
    auto tok = token();
    if (!tok) {
        return fail(std::move(tok).error());
    }
    if (m_rate.remaining && *m_rate.remaining <= 0 && m_rate.reset &&
        *m_rate.reset > m_ctx.clock.now()) {
        return fail(
            ErrorCode::rate_limited,
            fmt::format("rate limit of {} spent until {:%FT%TZ}", host_of(m_base), *m_rate.reset),
            "cmtool retries after the reset");
    }
    request.headers.emplace_back("Authorization", "Bearer " + *tok);
    auto r =
        net::send_with_retry(m_ctx.http, request, m_policy, m_ctx.sleeper, m_ctx.clock, retryable);
    if (r) {
        if (const auto limit = net::parse_mastodon_rate_limit(*r); !limit.empty()) {
            m_rate = limit;
        }
    }
    return r;
}

}  // namespace mastodon

Result<std::unique_ptr<Adapter>> make_mastodon_adapter(const AdapterContext& ctx) {
    // No token check here: --dry-run previews work without credentials; verify(), publish()
    // and lookup() report a missing token.
    const std::string& name = ctx.account.name;
    const std::string base = api_base(ctx.account);
    if (base.empty()) {
        return fail(ErrorCode::config, "Mastodon account " + name + " has no `instance` setting",
                    "add `instance: https://<your instance>` to the account in cmtool.yaml");
    }
    auto timeout = timeout_setting(ctx.account, "Mastodon");
    if (!timeout) {
        return fail(std::move(timeout).error());
    }
    return std::unique_ptr<Adapter>(
        std::make_unique<mastodon::MastodonAdapter>(ctx, base, *timeout));
}

}  // namespace cmtool::platforms
