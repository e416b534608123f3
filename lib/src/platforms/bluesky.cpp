// The Bluesky adapter: factory, preview, verify, lookup and the outcome helpers shared with
// bluesky_publish.cpp.
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/image_info.hpp"
#include "cmtool/platforms/tid.hpp"
#include "platforms/adapters.hpp"
#include "platforms/bluesky_adapter.hpp"

namespace cmtool::platforms {
namespace bluesky {

using net::HttpResponse;
using nlohmann::json;

BlueskyAdapter::BlueskyAdapter(const AdapterContext& ctx, std::string base_url, std::string handle)
    : m_ctx(ctx), m_session(m_ctx, std::move(base_url), std::move(handle)) {}

Capabilities BlueskyAdapter::capabilities() const {
    return Capabilities{
        .threads = true, .alt_text = true, .idempotent_publish = true, .lookup = true};
}

json BlueskyAdapter::preview(const PublishRequest& request) const {
    const auto facets = text::detect_facets(request.part.text);
    std::map<std::string, std::string> dids;
    for (const auto& f : facets) {
        if (f.kind == text::FacetKind::mention) {
            dids[f.value] = "(DID of @" + f.value + ", resolved when publishing)";
        }
    }
    json uploads = json::array();
    std::vector<EmbeddedImage> images;
    for (const MediaFile& m : request.part.media) {
        const auto info = read_image_info(m.path);
        const std::string mime = !m.mime.empty() ? m.mime : info ? info->mime : std::string();
        uploads.push_back({{"nsid", "com.atproto.repo.uploadBlob"},
                           {"file", m.file},
                           {"mimeType", mime},
                           {"size", m.size}});
        const json blob = {{"$type", "blob"},
                           {"ref", {{"$link", "(blob of " + m.file + ")"}}},
                           {"mimeType", mime},
                           {"size", m.size}};
        images.push_back(
            {blob, m.alt, info ? info->width : m.width, info ? info->height : m.height});
    }
    std::optional<json> embed;
    if (!images.empty()) {
        embed = images_embed(images);
    }
    const json record =
        post_record(request, rfc3339_millis(m_ctx.clock.now()), facets_json(facets, dids), embed);
    const std::string repo = m_session.did().empty() ? m_session.handle() : m_session.did();
    return {{"method", "POST"},
            {"url", m_session.base_url() + "/xrpc/com.atproto.repo.createRecord"},
            {"uploads", std::move(uploads)},
            {"body",
             {{"repo", repo},
              {"collection", k_post_collection},
              {"rkey", record_key_tid(request.key, request.scheduled_at, request.part.index)},
              {"record", record}}}};
}

Result<AccountInfo> BlueskyAdapter::verify() {
    const Exchange ex = m_session.send(query_call("com.atproto.server.getSession"));
    if (ex.response && ex.response->status == 200) {
        const json j = json::parse(ex.response->body, nullptr, false);
        if (!json_string(j, "did").empty()) {
            AccountInfo info;
            info.id = json_string(j, "did");
            info.handle =
                json_string(j, "handle").empty() ? m_session.handle() : json_string(j, "handle");
            info.url = "https://bsky.app/profile/" + info.handle;
            info.token_expires = m_session.access_expires();
            return info;
        }
    }
    return fail(as_error(not_published(ex.response, "getSession")));
}

Exchange BlueskyAdapter::get_record(const std::string& rkey) {
    if (auto failed = m_session.ensure()) {
        return *std::move(failed);
    }
    return m_session.send(
        query_call("com.atproto.repo.getRecord",
                   {{"repo", m_session.did()}, {"collection", k_post_collection}, {"rkey", rkey}}));
}

Result<LookupResult> BlueskyAdapter::lookup(const PublishRequest& request,
                                            std::chrono::sys_seconds /*intent_at*/) {
    // The record key does not depend on when the intent was written: no time window to scan.
    const std::string rkey = record_key_tid(request.key, request.scheduled_at, request.part.index);
    const Exchange ex = get_record(rkey);
    LookupResult out;
    out.how = fmt::format("getRecord at://{}/{}/{}", m_session.did(), k_post_collection, rkey);
    if (!ex.response || ex.stage == Stage::session) {
        return fail(as_error(not_published(ex.response, "getRecord")));
    }
    const HttpResponse& res = *ex.response;
    const std::string error = xrpc_error(res).error;
    if (res.status == 401 || res.status == 429 || error == "ExpiredToken" ||
        error == "InvalidToken") {
        return fail(as_error(not_published(ex.response, "getRecord")));  // the PDS cannot be asked
    }
    const json j = json::parse(res.body, nullptr, false);
    if (res.status == 200 && !json_string(j, "uri").empty() && !json_string(j, "cid").empty()) {
        out.found = Found::yes;
        out.ref = RemoteRef{.id = rkey,
                            .url = post_url(m_session.handle(), rkey),
                            .uri = json_string(j, "uri"),
                            .cid = json_string(j, "cid")};
    } else if (res.status == 400 && error == "RecordNotFound") {
        out.found = Found::no;
    }
    return out;
}

// ---------------------------------------------------------------- outcome helpers

Error BlueskyAdapter::as_error(const PublishResult& r) {
    const ErrorCode code = r.outcome == Outcome::permanent_failure ? ErrorCode::auth
                           : r.outcome == Outcome::rate_limited    ? ErrorCode::rate_limited
                                                                   : ErrorCode::network;
    return Error{code, r.message, r.hint};
}

std::string BlueskyAdapter::login_hint() const {
    return "run `cmtool auth login " + m_ctx.account.name + "`";
}

PublishResult BlueskyAdapter::result(Outcome outcome, const std::string& message,
                                     std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = m_session.redact(message);
    r.hint = std::move(hint);
    return r;
}

std::string BlueskyAdapter::describe(const std::string& what, const HttpResponse& response) const {
    const XrpcError e = xrpc_error(response);
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    if (!e.error.empty()) {
        text += " " + e.error;
    }
    if (!e.message.empty()) {
        text += ": " + e.message;
    }
    return text;
}

PublishResult BlueskyAdapter::rate_limited(const HttpResponse& response,
                                           const std::string& message) const {
    PublishResult r = result(Outcome::rate_limited, message);
    r.retry_at = net::parse_bluesky_rate_limit(response, m_ctx.clock.now()).reset;
    return r;
}

PublishResult BlueskyAdapter::not_published(const Result<HttpResponse>& response,
                                            const std::string& what) const {
    if (!response) {
        const Error& e = response.error();
        if (e.code == ErrorCode::auth || e.code == ErrorCode::config) {
            return result(Outcome::permanent_failure, what + ": " + e.message,
                          e.hint.empty() ? login_hint() : e.hint);
        }
        return result(Outcome::transient_failure, what + ": " + e.message, e.hint);
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    const std::string error = xrpc_error(res).error;
    if (res.status == 429) {
        return rate_limited(res, message);
    }
    if (res.status == 401 || error == "ExpiredToken" || error == "InvalidToken") {
        return result(Outcome::permanent_failure, message, login_hint());
    }
    if (res.status == 408 || res.status >= 500) {
        return result(Outcome::transient_failure, message);
    }
    return result(Outcome::permanent_failure, message);
}

PublishResult BlueskyAdapter::sent(const json& answer, const std::string& rkey,
                                   const std::string& message) const {
    PublishResult r = result(Outcome::sent, message);
    r.ref = RemoteRef{.id = rkey,
                      .url = post_url(m_session.handle(), rkey),
                      .uri = json_string(answer, "uri"),
                      .cid = json_string(answer, "cid")};
    return r;
}

}  // namespace bluesky

Result<std::unique_ptr<Adapter>> make_bluesky_adapter(const AdapterContext& ctx) {
    const std::string& name = ctx.account.name;
    const std::string handle = ctx.account.get("handle");
    if (handle.empty()) {
        return fail(ErrorCode::config, "Bluesky account " + name + " has no `handle` setting",
                    "add `handle: <you>.bsky.social` to the account in cmtool.yaml");
    }
    // An app password, or at least a cached session to refresh, must be there.
    for (const char* kind : {"app_password", "refresh_jwt"}) {
        auto secret = ctx.credentials.get(ctx.account, kind);
        if (!secret) {
            return fail(std::move(secret).error());
        }
        if (*secret && !(*secret)->empty()) {
            return std::unique_ptr<Adapter>(
                std::make_unique<bluesky::BlueskyAdapter>(ctx, api_base(ctx.account), handle));
        }
    }
    return fail(ErrorCode::config, "no app password for Bluesky account " + name,
                "set " + credential_env_name(name, "app_password") +
                    " to an app password (bsky.app: Settings > Privacy and security > App "
                    "passwords) or run `cmtool auth login " +
                    name + "`");
}

}  // namespace cmtool::platforms
