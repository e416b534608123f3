// The LinkedIn adapter: factory, preview, verify and the authenticated transport (versioned
// headers, retries, one token renewal after a 401, the daily 429 block).

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/linkedin_adapter.hpp"

namespace cmtool::platforms {
namespace linkedin {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds k_api_timeout{30000};
constexpr std::chrono::milliseconds k_upload_timeout{120000};

std::string origin_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    return url.substr(0, url.find('/', start));
}

}  // namespace

LinkedInAdapter::LinkedInAdapter(const AdapterContext& ctx, std::string base, std::string author,
                                 std::string version,
                                 std::optional<std::chrono::milliseconds> timeout)
    : m_ctx(ctx),
      m_base(std::move(base)),
      m_author(std::move(author)),
      m_version(std::move(version)),
      m_timeout(timeout),
      m_tokens(ctx) {}

Capabilities LinkedInAdapter::capabilities() const {
    // No idempotency key: a repeated POST /rest/posts creates a second post, so the engine must
    // look up first; lookup() can tell when the author's posts can be listed.
    return Capabilities{
        .threads = false, .alt_text = true, .idempotent_publish = false, .lookup = true};
}

json LinkedInAdapter::post_body(const PublishRequest& request,
                                const std::vector<Image>& images) const {
    json body = {{"author", m_author},
                 {"commentary", escape_little(request.part.text)},
                 {"visibility", "PUBLIC"},
                 {"distribution",
                  {{"feedDistribution", "MAIN_FEED"},
                   {"targetEntities", json::array()},
                   {"thirdPartyDistributionChannels", json::array()}}},
                 {"lifecycleState", "PUBLISHED"},
                 {"isReshareDisabledByAuthor", false}};
    auto image_json = [](const Image& i) {
        json j = {{"id", i.urn}};
        if (!i.alt.empty()) {
            j["altText"] = i.alt;
        }
        return j;
    };
    if (images.size() == 1) {
        body["content"] = {{"media", image_json(images.front())}};
    } else if (images.size() > 1) {
        json list = json::array();
        for (const auto& i : images) {
            list.push_back(image_json(i));
        }
        body["content"] = {{"multiImage", {{"images", std::move(list)}}}};
    } else if (!request.part.link.empty()) {
        // An article post: the link card. Its title is the link itself (cmtool does not fetch
        // the page); LinkedIn requires one [C].
        body["content"] = {
            {"article", {{"source", request.part.link}, {"title", request.part.link}}}};
    }
    return body;
}

json LinkedInAdapter::preview(const PublishRequest& request) const {
    json media = json::array();
    std::vector<Image> images;
    for (const MediaFile& m : request.part.media) {
        media.push_back({{"file", m.file}, {"alt", m.alt}, {"mime", m.mime}, {"size", m.size}});
        images.push_back({"(urn:li:image of " + m.file + ", assigned on upload)", m.alt});
    }
    return {{"method", "POST"},
            {"url", m_base + "/rest/posts"},
            {"headers",
             {{"LinkedIn-Version", m_version},
              {"X-Restli-Protocol-Version", std::string(k_restli_protocol)}}},
            {"json", post_body(request, images)},
            {"media", std::move(media)}};
}

Result<AccountInfo> LinkedInAdapter::verify() {
    AccountInfo info;
    if (auto stored = oauth::load_tokens(m_ctx.credentials, m_ctx.account); stored && *stored) {
        info.token_expires = (*stored)->expires_at;
    }
    if (is_organization(m_author)) {
        // The organization lookup [U: field names localizedName / vanityName].
        const std::string what = "GET /rest/organizations/" + urn_id(m_author);
        const auto r =
            send(request("GET", "/rest/organizations/" + urn_id(m_author), api_timeout()),
                 net::Retryable::yes);
        if (!r || r->status != 200) {
            return fail(as_error(r, what));
        }
        const json j = json::parse(r->body, nullptr, false);
        info.id = m_author;
        info.display_name = util::json_string(j, "localizedName");
        const std::string vanity = util::json_string(j, "vanityName");
        info.handle = vanity.empty() ? m_author : vanity;
        if (!vanity.empty()) {
            info.url = "https://www.linkedin.com/company/" + vanity;
        }
        return info;
    }
    const std::string what = "GET /v2/userinfo";
    const auto r = send(request("GET", "/v2/userinfo", api_timeout()), net::Retryable::yes);
    if (!r || r->status != 200) {
        return fail(as_error(r, what));
    }
    const json j = json::parse(r->body, nullptr, false);
    const std::string sub = util::json_string(j, "sub");
    if (sub.empty()) {
        return fail(ErrorCode::parse, what + ": malformed answer (HTTP 200 without `sub`)");
    }
    info.id = "urn:li:person:" + sub;
    info.handle = info.id;
    info.display_name = util::json_string(j, "name");
    if (info.id != m_author) {
        return fail(ErrorCode::config,
                    fmt::format("the LinkedIn token of {} belongs to {}, but its `author` is {}",
                                m_ctx.account.name, info.id, m_author),
                    fmt::format("set `author: {}` for account {}, or log in as that member",
                                info.id, m_ctx.account.name));
    }
    return info;
}

Result<void> LinkedInAdapter::ready_to_publish() {
    if (auto tok = m_tokens.get(); !tok) {
        return fail(std::move(tok).error());
    }
    return {};
}

// ---------------------------------------------------------------- transport

std::chrono::milliseconds LinkedInAdapter::api_timeout() const {
    return m_timeout.value_or(k_api_timeout);
}

std::chrono::milliseconds LinkedInAdapter::upload_timeout() const {
    return m_timeout.value_or(k_upload_timeout);
}

net::HttpRequest LinkedInAdapter::request(std::string method, const std::string& path_or_url,
                                          std::chrono::milliseconds timeout) const {
    const bool absolute = path_or_url.find("://") != std::string::npos;
    // No token yet: send() adds it, only for LinkedIn's hosts.
    net::HttpRequest r = make_request(
        std::move(method), absolute ? path_or_url : m_base + path_or_url, "", m_version, timeout);
    return r;
}

Result<HttpResponse> LinkedInAdapter::send(net::HttpRequest request, net::Retryable retryable) {
    const auto now = m_ctx.clock.now();
    if (m_blocked_until && *m_blocked_until > now) {
        return fail(ErrorCode::rate_limited,
                    fmt::format("LinkedIn's daily request budget is spent until {:%FT%TZ}",
                                *m_blocked_until),
                    "cmtool tries again after the reset (daily budgets reset at 00:00 UTC)");
    }
    auto tok = m_tokens.get();
    if (!tok) {
        return fail(std::move(tok).error());
    }
    // The token goes to the API host and to LinkedIn's own upload hosts, nowhere else.
    const std::string origin = origin_of(request.url);
    const bool trusted = origin == origin_of(m_base) ||
                         (origin.starts_with("https://") && origin.ends_with(".linkedin.com"));
    if (trusted) {
        net::set_header(request, "Authorization", "Bearer " + *tok);
    }
    auto r =
        net::send_with_retry(m_ctx.http, request, m_policy, m_ctx.sleeper, m_ctx.clock, retryable);
    if (trusted && r && r->status == 401) {
        // Expired or revoked (§8: LinkedIn's "expired" signal): renew once, send once more. A
        // 401 means the request was not processed, so repeating even a POST is safe.
        auto fresh = m_tokens.renew_after_401(*tok);
        if (!fresh) {
            return fail(std::move(fresh).error());
        }
        net::set_header(request, "Authorization", "Bearer " + *fresh);
        r = net::send_with_retry(m_ctx.http, request, m_policy, m_ctx.sleeper, m_ctx.clock,
                                 retryable);
    }
    if (r && r->status == 429) {
        m_blocked_until = reset_after_429(*r);
    }
    return r;
}

}  // namespace linkedin

Result<std::unique_ptr<Adapter>> make_linkedin_adapter(const AdapterContext& ctx) {
    auto author = linkedin::author_of(ctx.account);
    if (!author) {
        return fail(std::move(author).error());
    }
    auto version = linkedin::version_of(ctx.account);
    if (!version) {
        return fail(std::move(version).error());
    }
    auto timeout = timeout_setting(ctx.account, "LinkedIn");
    if (!timeout) {
        return fail(std::move(timeout).error());
    }
    return std::unique_ptr<Adapter>(std::make_unique<linkedin::LinkedInAdapter>(
        ctx, api_base(ctx.account), *author, *version, *timeout));
}

}  // namespace cmtool::platforms
