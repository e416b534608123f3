// The fake Bluesky's accounts, sessions (platforms.md §2.1), rate-limit windows (§2.9) and
// admin operations.
#include "bluesky_state.hpp"

#include <algorithm>

#include "bluesky_text.hpp"

namespace cmtool::fakes {
namespace {

using std::chrono::system_clock;

std::string did_for(const std::string& handle) {
    // did:plc identifiers are 24 base32 characters; derive a stable one from the handle.
    return "did:plc:" + fake_cid("", handle).substr(0, 24);
}

}  // namespace

BlueskyState::BlueskyState(BlueskyConfig config) : m_config(std::move(config)) {
    seed();
}

void BlueskyState::seed() {
    m_accounts.clear();
    for (const auto& spec : m_config.accounts) {
        Account a;
        a.handle = spec.handle;
        a.password = spec.password;
        a.did = spec.did.empty() ? did_for(spec.handle) : spec.did;
        a.display_name = spec.handle.substr(0, spec.handle.find('.'));
        a.created_at = system_clock::now();
        m_accounts.push_back(std::move(a));
    }
}

void BlueskyState::reset() {
    std::lock_guard lock(m_mutex);
    seed();
    m_tokens.clear();
    m_records.clear();
    m_blobs.clear();
    m_notifications.clear();
    m_windows.clear();
    m_session_windows.clear();
}

BlueskyState::Account* BlueskyState::find_actor(const std::string& actor) {
    std::string key = actor;
    std::ranges::transform(key, key.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    for (auto& a : m_accounts) {
        if (a.did == actor || a.handle == key) {
            return &a;
        }
    }
    return nullptr;
}

Json BlueskyState::issue_session(Account& a) {
    const auto now = system_clock::now();
    const auto iat = system_clock::to_time_t(now);
    const auto access_exp = now + std::chrono::seconds(m_config.access_ttl_s);
    const auto refresh_exp = now + std::chrono::hours(24 * 90);  // 90 days (§2.1)
    const std::string jti = "jti" + std::to_string(++m_token_counter);
    const std::string access = make_jwt({{"typ", "at+jwt"}, {"alg", "HS256"}},
                                        {{"scope", "com.atproto.appPass"},
                                         {"aud", "did:web:localhost"},
                                         {"sub", a.did},
                                         {"iat", iat},
                                         {"exp", system_clock::to_time_t(access_exp)}},
                                        "fake-access-" + jti);
    const std::string refresh = make_jwt({{"typ", "refresh+jwt"}, {"alg", "HS256"}},
                                         {{"scope", "com.atproto.refresh"},
                                          {"aud", "did:web:localhost"},
                                          {"sub", a.did},
                                          {"jti", jti},
                                          {"iat", iat},
                                          {"exp", system_clock::to_time_t(refresh_exp)}},
                                         "fake-refresh-" + jti);
    m_tokens[access] = Token{a.did, false, access_exp, false};
    m_tokens[refresh] = Token{a.did, true, refresh_exp, false};
    return {{"accessJwt", access},
            {"refreshJwt", refresh},
            {"handle", a.handle},
            {"did", a.did},
            {"email", a.handle + "@example.com"},
            {"emailConfirmed", false},
            {"active", true}};
}

// auth-verifier.ts: no header 401 AuthMissing; a token it cannot verify 400 InvalidToken
// ("Token could not be verified", as the local PDS answers); the wrong kind 400 InvalidToken
// "Invalid token type"; an expired one 400 ExpiredToken.
Auth BlueskyState::access(const std::optional<std::string>& bearer) {
    std::lock_guard lock(m_mutex);
    if (!bearer) {
        return {{}, xrpc_error(401, "AuthMissing", "Authentication Required")};
    }
    const auto it = m_tokens.find(*bearer);
    if (it == m_tokens.end()) {
        return {{}, xrpc_error(400, "InvalidToken", "Token could not be verified")};
    }
    if (it->second.refresh) {
        return {{}, xrpc_error(400, "InvalidToken", "Invalid token type")};
    }
    if (it->second.revoked || it->second.expires <= system_clock::now()) {
        return {{}, xrpc_error(400, "ExpiredToken", "Token has expired")};
    }
    return {it->second.did, std::nullopt};
}

Reply BlueskyState::create_session(const Json& body) {
    std::lock_guard lock(m_mutex);
    const std::string identifier = json_str(body, "identifier");
    const std::string password = json_str(body, "password");
    if (identifier.empty() || password.empty()) {
        return xrpc_error(400, "InvalidRequest",
                          "Input must have the properties identifier and password");
    }
    Account* a = find_actor(identifier);
    if (a == nullptr) {
        for (auto& candidate : m_accounts) {
            a = identifier == candidate.handle + "@example.com" ? &candidate : a;
        }
    }
    if (a == nullptr || a->password != password) {
        return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password");
    }
    ++a->sessions_created;
    return {200, issue_session(*a)};
}

// refreshSession.ts: only a refresh token; a rotated or revoked one is refused with 400
// ExpiredToken "Token has been revoked". (The reference PDS gives a rotated token a 2-hour grace
// period; the fake is stricter so that a client that forgets the new token is caught.)
Reply BlueskyState::refresh_session(const std::optional<std::string>& bearer) {
    std::lock_guard lock(m_mutex);
    if (!bearer) {
        return xrpc_error(401, "AuthMissing", "Authentication Required");
    }
    const auto it = m_tokens.find(*bearer);
    if (it == m_tokens.end()) {
        return xrpc_error(400, "InvalidToken", "Token could not be verified");
    }
    if (!it->second.refresh) {
        return xrpc_error(400, "InvalidToken", "Invalid token type");
    }
    if (it->second.revoked || it->second.expires <= system_clock::now()) {
        return xrpc_error(400, "ExpiredToken", "Token has been revoked");
    }
    it->second.revoked = true;
    Account* a = find_actor(it->second.did);
    ++a->refreshes;
    return {200, issue_session(*a)};
}

Reply BlueskyState::get_session(const std::string& did) {
    std::lock_guard lock(m_mutex);
    const Account* a = find_actor(did);
    return {200,
            {{"handle", a->handle},
             {"did", a->did},
             {"email", a->handle + "@example.com"},
             {"emailConfirmed", false},
             {"active", true}}};
}

RateInfo BlueskyState::window(std::map<std::string, Window>& windows, const std::string& key,
                              long limit, bool count) {
    constexpr auto k_window = std::chrono::minutes(5);
    const auto now = system_clock::now();
    Window& w = windows[key];
    if (w.start + k_window <= now) {
        w = Window{now, 0};
    }
    if (count) {
        ++w.count;
    }
    RateInfo info;
    info.limit = limit;
    info.remaining = std::max(0L, limit - w.count);
    info.reset = w.start + k_window;
    info.exceeded = w.count > limit;
    return info;
}

RateInfo BlueskyState::consume(const std::string& client, bool count) {
    std::lock_guard lock(m_mutex);
    return window(m_windows, client, m_config.rate_limit, count);
}

RateInfo BlueskyState::consume_session(const std::string& identifier) {
    std::lock_guard lock(m_mutex);
    return window(m_session_windows, identifier, m_config.session_limit, true);
}

Reply BlueskyState::expire_tokens(const Json& body) {
    std::lock_guard lock(m_mutex);
    const std::string did = json_str(body, "did");
    const bool refresh_too = body.contains("refresh") && body["refresh"] == true;
    int expired = 0;
    for (auto& [token, t] : m_tokens) {
        if ((did.empty() || t.did == did) && (!t.refresh || refresh_too) && !t.revoked) {
            t.revoked = true;
            ++expired;
        }
    }
    return {200, {{"expired", expired}}};
}

Json BlueskyState::accounts_json() {
    std::lock_guard lock(m_mutex);
    Json out = Json::array();
    for (const auto& a : m_accounts) {
        out.push_back({{"did", a.did},
                       {"handle", a.handle},
                       {"sessions_created", a.sessions_created},
                       {"refreshes", a.refreshes},
                       {"followers", a.followers},
                       {"follows", a.follows}});
    }
    return out;
}

void BlueskyState::set_search_auth_required(bool on) {
    std::lock_guard lock(m_mutex);
    m_config.search_auth_required = on;
}

bool BlueskyState::search_auth_required() {
    std::lock_guard lock(m_mutex);
    return m_config.search_auth_required;
}

Json BlueskyState::dump() {
    Json out = {{"accounts", accounts_json()}, {"records", all_records()}};
    return out;
}

}  // namespace cmtool::fakes
