// Bluesky sessions: the official agent's rule (atproto packages/api/src/atp-agent.ts): on 401 or
// 400 ExpiredToken, refresh once and repeat once. The local PDS also answers 400 InvalidToken
// for an access token it cannot verify, which gets the same treatment.
#include "platforms/bluesky_session.hpp"

#include <algorithm>
#include <utility>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/encoding.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::bluesky {
namespace {

using net::HttpResponse;
using nlohmann::json;

// An access token this close to its expiry is renewed before use rather than sent and refused.
constexpr std::chrono::seconds k_expiry_margin{60};

Exchange session_failure(Result<HttpResponse> r) {
    return Exchange{std::move(r), Stage::session};
}

}  // namespace

bool Session::needs_renewal(const Result<HttpResponse>& r) {
    if (!r || (r->status != 400 && r->status != 401)) {
        return false;
    }
    const std::string error = xrpc_error(*r).error;
    return r->status == 401 || error == "ExpiredToken" || error == "InvalidToken";
}

XrpcError xrpc_error(const HttpResponse& response) {
    const json j = json::parse(response.body, nullptr, false);
    if (!j.is_object()) {
        return {};
    }
    return {util::json_string(j, "error"), util::json_string(j, "message")};
}

Call query_call(std::string nsid, net::FieldList params) {
    Call call;
    call.nsid = std::move(nsid);
    call.query = std::move(params);
    return call;
}

Call procedure_call(std::string nsid, std::string body, std::string content_type) {
    Call call;
    call.method = "POST";
    call.nsid = std::move(nsid);
    if (!body.empty()) {
        call.body = std::move(body);
        call.content_type = std::move(content_type);
    }
    return call;
}

std::optional<json> jwt_claims(const std::string& token) {
    const auto first = token.find('.');
    const auto second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos) {
        return std::nullopt;
    }
    const auto payload =
        util::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
    if (!payload) {
        return std::nullopt;
    }
    json claims = json::parse(*payload, nullptr, false);
    return claims.is_object() ? std::optional<json>(std::move(claims)) : std::nullopt;
}

Session::Session(const AdapterContext& ctx, std::string base_url, std::string handle)
    : m_ctx(ctx), m_base(std::move(base_url)), m_handle(std::move(handle)) {}

net::HttpRequest Session::request(const Call& call) const {
    net::HttpRequest req;
    req.method = call.method;
    req.url = net::append_query(m_base + "/xrpc/" + call.nsid, call.query);
    req.timeout = call.timeout;
    req.headers.emplace_back("Accept", "application/json");
    if (!m_access.empty()) {
        req.headers.emplace_back("Authorization", "Bearer " + m_access);
    }
    return req;
}

Result<HttpResponse> Session::transmit(const Call& call, const std::string& token) {
    net::HttpRequest req;
    req.method = call.method;
    req.url = net::append_query(m_base + "/xrpc/" + call.nsid, call.query);
    req.timeout = call.timeout;
    req.headers.emplace_back("Accept", "application/json");
    if (!token.empty()) {
        req.headers.emplace_back("Authorization", "Bearer " + token);
    }
    if (!call.content_type.empty()) {
        req.headers.emplace_back("Content-Type", call.content_type);
        req.body = call.body;
    }
    return net::send_with_retry(m_ctx.http, req, m_policy, m_ctx.sleeper, m_ctx.clock,
                                call.retryable);
}

std::optional<std::chrono::sys_seconds> Session::access_expires() const {
    const auto claims = jwt_claims(m_access);
    if (!claims || !claims->contains("exp") || !(*claims)["exp"].is_number_integer()) {
        return std::nullopt;
    }
    return std::chrono::sys_seconds(std::chrono::seconds((*claims)["exp"].get<long long>()));
}

std::string Session::redact(std::string text) const {
    std::vector<std::string> secrets = m_ctx.credentials.known_secrets();
    secrets.insert(secrets.end(), m_secrets.begin(), m_secrets.end());
    return net::redact_text(std::move(text), secrets);
}

void Session::remember_secret(const std::string& s) {
    if (!s.empty() && std::find(m_secrets.begin(), m_secrets.end(), s) == m_secrets.end()) {
        m_secrets.push_back(s);
    }
}

std::optional<Exchange> Session::load_cached() {
    m_loaded = true;
    auto access = m_ctx.credentials.get(m_ctx.account, "access_jwt");
    auto refresh = m_ctx.credentials.get(m_ctx.account, "refresh_jwt");
    for (auto* r : {&access, &refresh}) {
        if (!*r) {
            return session_failure(fail(r->error()));
        }
    }
    m_refresh = refresh->value_or(std::string());
    m_access = access->value_or(std::string());
    remember_secret(m_refresh);
    remember_secret(m_access);
    // The DID is the access token's subject; a token without one is of no use to us.
    const auto claims = jwt_claims(m_access);
    m_did = claims ? util::json_string(*claims, "sub") : std::string();
    return std::nullopt;
}

std::optional<Exchange> Session::ensure() {
    if (!m_loaded) {
        if (auto failed = load_cached()) {
            return failed;
        }
    }
    const auto expires = access_expires();
    const bool fresh = !expires || *expires > m_ctx.clock.now() + k_expiry_margin;
    if (!m_access.empty() && !m_did.empty() && fresh) {
        return std::nullopt;
    }
    return renew();
}

std::optional<Exchange> Session::renew() {
    m_access.clear();
    if (!m_refresh.empty()) {
        auto failed = refresh();
        if (!failed) {
            return std::nullopt;
        }
        // Only a refused refresh token (400 ExpiredToken/InvalidToken, 401) calls for a new
        // session; a transport error or a 5xx would fail createSession the same way.
        const auto& r = failed->response;
        if (!r || (r->status != 400 && r->status != 401)) {
            return failed;
        }
        forget();
    }
    return create();
}

std::optional<Exchange> Session::refresh() {
    auto r = transmit(procedure_call("com.atproto.server.refreshSession"), m_refresh);
    if (r && r->status == 200) {
        return adopt(*r);
    }
    return session_failure(std::move(r));
}

std::optional<Exchange> Session::create() {
    auto password = m_ctx.credentials.get(m_ctx.account, "app_password");
    if (!password) {
        return session_failure(fail(password.error()));
    }
    if (!*password || (*password)->empty()) {
        return session_failure(fail(
            ErrorCode::auth,
            "no app password for Bluesky account " + m_ctx.account.name + " and no usable session",
            "run `cmtool auth login " + m_ctx.account.name + "`"));
    }
    remember_secret(**password);
    const json body = {{"identifier", m_handle}, {"password", **password}};
    auto r = transmit(procedure_call("com.atproto.server.createSession", body.dump()), {});
    if (r && r->status == 200) {
        return adopt(*r);
    }
    return session_failure(std::move(r));
}

std::optional<Exchange> Session::adopt(const HttpResponse& response) {
    const json j = json::parse(response.body, nullptr, false);
    const std::string access = j.is_object() ? util::json_string(j, "accessJwt") : std::string();
    const std::string refresh = j.is_object() ? util::json_string(j, "refreshJwt") : std::string();
    const std::string did = j.is_object() ? util::json_string(j, "did") : std::string();
    if (access.empty() || refresh.empty() || did.empty()) {
        return session_failure(fail(ErrorCode::parse, "malformed session answer from " + m_base));
    }
    m_access = access;
    m_refresh = refresh;
    m_did = did;
    if (const std::string handle = util::json_string(j, "handle"); !handle.empty()) {
        m_handle = handle;
    }
    remember_secret(m_access);
    remember_secret(m_refresh);
    // The old refresh token is rotated out (platforms.md §2.1): persist the new one first. A
    // failed write only costs a createSession on the next run, so it does not fail this one.
    (void)m_ctx.credentials.put(m_ctx.account, "refresh_jwt", m_refresh);
    (void)m_ctx.credentials.put(m_ctx.account, "access_jwt", m_access);
    return std::nullopt;
}

void Session::forget() {
    m_access.clear();
    m_refresh.clear();
    (void)m_ctx.credentials.put(m_ctx.account, "access_jwt", std::nullopt);
    (void)m_ctx.credentials.put(m_ctx.account, "refresh_jwt", std::nullopt);
}

Exchange Session::send(const Call& call) {
    if (auto failed = ensure()) {
        return *std::move(failed);
    }
    auto r = transmit(call, m_access);
    if (!needs_renewal(r)) {
        return Exchange{std::move(r), Stage::call};
    }
    // Refused before the handler ran (auth is checked first), so repeating cannot duplicate.
    if (auto failed = renew()) {
        return *std::move(failed);
    }
    return Exchange{transmit(call, m_access), Stage::call};
}

Result<HttpResponse> Session::send_public(const Call& call) {
    return transmit(call, {});
}

}  // namespace cmtool::platforms::bluesky
