// The fake X's OAuth 2 (platforms.md §4.1): the consent redirect, the token endpoint (codes
// with PKCE S256, refresh tokens rotated), token checks and the rate-limit windows.
#include <algorithm>

#include "x_state.hpp"

namespace cmtool::fakes {

namespace {

using std::chrono::system_clock;

std::string param(const std::map<std::string, std::string>& m, const char* key) {
    const auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4U];
            out += hex[c & 15U];
        }
    }
    return out;
}

XReply oauth_error(const std::string& error, const std::string& description) {
    return XReply{400, {{"error", error}, {"error_description", description}}, {}};
}

}  // namespace

// ---------------------------------------------------------------- OAuth 2

std::string XState::authorize(const std::map<std::string, std::string>& query) {
    const std::lock_guard lock(m_mutex);
    const std::string redirect = param(query, "redirect_uri");
    const std::string state = param(query, "state");
    const std::string sep = redirect.find('?') == std::string::npos ? "?" : "&";
    if (m_deny || m_users.empty()) {
        return redirect + sep + "error=access_denied&state=" + url_encode(state);
    }
    if (param(query, "response_type") != "code" ||
        param(query, "client_id") != m_config.client_id ||
        param(query, "code_challenge_method") != "S256" || param(query, "code_challenge").empty()) {
        return redirect + sep + "error=invalid_request&state=" + url_encode(state);
    }
    const std::string code = "fake-code-" + std::to_string(m_next_secret++);
    m_codes[code] = Code{m_users.front().id,
                         param(query, "client_id"),
                         redirect,
                         param(query, "code_challenge"),
                         param(query, "scope"),
                         system_clock::now() + std::chrono::seconds(30)};
    return redirect + sep + "state=" + url_encode(state) + "&code=" + url_encode(code);
}

XReply XState::issue_tokens(const std::string& user_id, const std::string& scope) {
    const std::string access = "fake-x-access-" + std::to_string(m_next_secret++);
    m_tokens[access] = Token{user_id, system_clock::now() + m_config.access_life, true};
    Json body = {{"token_type", "bearer"},
                 {"expires_in", m_config.access_life.count()},
                 {"access_token", access},
                 {"scope", scope}};
    if (scope.find("offline.access") != std::string::npos) {
        const std::string refresh = "fake-x-refresh-" + std::to_string(m_next_secret++);
        m_refresh[refresh] = user_id;
        body["refresh_token"] = refresh;
    }
    return XReply{200, body, {}};
}

XReply XState::token(const std::map<std::string, std::string>& fields, const std::string& basic_id,
                     const std::string& basic_secret) {
    const std::lock_guard lock(m_mutex);
    // Confidential clients authenticate with Basic; public ones send client_id (§4.1).
    const std::string client_id = basic_id.empty() ? param(fields, "client_id") : basic_id;
    if (client_id != m_config.client_id ||
        (!m_config.client_secret.empty() && basic_secret != m_config.client_secret)) {
        return XReply{401,
                      {{"error", "unauthorized_client"},
                       {"error_description", "Missing valid authorization header"}},
                      {}};
    }
    const std::string grant = param(fields, "grant_type");
    if (grant == "authorization_code") {
        const auto it = m_codes.find(param(fields, "code"));
        if (it == m_codes.end() || it->second.expires < system_clock::now()) {
            return oauth_error("invalid_request",
                               "Value passed for the authorization code was invalid.");
        }
        const Code code = it->second;
        m_codes.erase(it);  // a code works once
        if (code.redirect_uri != param(fields, "redirect_uri") || code.client_id != client_id) {
            return oauth_error("invalid_request", "Value passed for the redirect uri was invalid.");
        }
        if (!pkce_matches(param(fields, "code_verifier"), code.challenge)) {
            return oauth_error("invalid_request",
                               "Value passed for the code verifier did not match the challenge.");
        }
        return issue_tokens(code.user_id, code.scope);
    }
    if (grant == "refresh_token") {
        const auto it = m_refresh.find(param(fields, "refresh_token"));
        if (it == m_refresh.end()) {
            return oauth_error("invalid_request", "Value passed for the token was invalid.");
        }
        const std::string user = it->second;
        m_refresh.erase(it);  // rotated: the old refresh token is spent ([U] on X, §4.1)
        return issue_tokens(user, "tweet.read tweet.write users.read media.write offline.access");
    }
    return oauth_error("unsupported_grant_type", "Unsupported grant type");
}

std::optional<std::string> XState::user_for_token(const std::string& token) {
    const std::lock_guard lock(m_mutex);
    const auto it = m_tokens.find(token);
    if (it == m_tokens.end() || !it->second.valid || it->second.expires < system_clock::now()) {
        return std::nullopt;
    }
    return it->second.user_id;
}

XRate XState::consume(const std::string& token, const std::string& endpoint) {
    const std::lock_guard lock(m_mutex);
    const auto now = system_clock::now();
    auto& [start, count] = m_windows[{token, endpoint}];
    if (count == 0 || now - start >= std::chrono::minutes(15)) {
        start = now;
        count = 0;
    }
    ++count;
    XRate r;
    r.limit = m_config.rate_limit;
    r.remaining = std::max(0L, m_config.rate_limit - count);
    r.reset = std::chrono::duration_cast<std::chrono::seconds>(
                  (start + std::chrono::minutes(15)).time_since_epoch())
                  .count();
    r.exceeded = count > m_config.rate_limit;
    return r;
}

XRate XState::consume_daily(const std::string& user_id) {
    const std::lock_guard lock(m_mutex);
    XRate r;
    if (m_config.daily_cap <= 0) {
        return r;
    }
    const auto now = system_clock::now();
    auto& [start, count] = m_daily[user_id];
    if (count == 0 || now - start >= std::chrono::hours(24)) {
        start = now;
        count = 0;
    }
    ++count;
    r.limit = m_config.daily_cap;
    r.remaining = std::max(0L, m_config.daily_cap - count);
    r.reset = std::chrono::duration_cast<std::chrono::seconds>(
                  (start + std::chrono::hours(24)).time_since_epoch())
                  .count();
    r.exceeded = count > m_config.daily_cap;
    return r;
}

}  // namespace cmtool::fakes
