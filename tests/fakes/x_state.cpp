#include "x_state.hpp"

#include <algorithm>
#include <ctime>

namespace cmtool::fakes {

namespace {

using std::chrono::system_clock;

std::string iso(TimePoint t) {
    const std::time_t secs = system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return buf;
}

std::optional<TimePoint> parse_iso(const std::string& s) {
    std::tm tm{};
    if (s.size() < 19 || ::strptime(s.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
        return std::nullopt;
    }
    return system_clock::from_time_t(::timegm(&tm));
}

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

XReply x_problem(int status, std::string title, std::string detail, std::string type) {
    return XReply{status,
                  {{"title", std::move(title)},
                   {"detail", std::move(detail)},
                   {"type", std::move(type)},
                   {"status", status}},
                  {}};
}

XState::XState(XConfig config) : m_config(std::move(config)) {
    seed();
}

void XState::seed() {
    m_users.clear();
    m_tokens.clear();
    std::uint64_t id = 1500000000000000001ULL;
    for (const auto& [username, token] : m_config.users) {
        User u{std::to_string(id++), username, "User " + username};
        m_users.push_back(u);
        // Preset tokens never expire (an environment token of a test).
        m_tokens[token] = Token{u.id, system_clock::now() + std::chrono::hours(24 * 365), true};
    }
}

void XState::reset() {
    const std::lock_guard lock(m_mutex);
    m_refresh.clear();
    m_codes.clear();
    m_tweets.clear();
    m_media.clear();
    m_windows.clear();
    m_daily.clear();
    m_deny = false;
    m_search_forbidden = false;
    seed();
}

XState::User* XState::find_user(const std::string& id) {
    for (auto& u : m_users) {
        if (u.id == id) {
            return &u;
        }
    }
    return nullptr;
}

XState::User* XState::find_username(const std::string& username) {
    for (auto& u : m_users) {
        if (u.username == username) {
            return &u;
        }
    }
    return nullptr;
}

XState::Tweet* XState::find_tweet(const std::string& id) {
    const auto it = m_tweets.find(id);
    return it == m_tweets.end() ? nullptr : &it->second;
}

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

// ---------------------------------------------------------------- entities

std::string XState::shown_text(const Tweet& t) const {
    // X shortens links to t.co and appends a link to the media of a post with media.
    std::string out;
    std::size_t i = 0;
    int n = 0;
    while (i < t.text.size()) {
        const auto at = t.text.find("http", i);
        if (at == std::string::npos) {
            out += t.text.substr(i);
            break;
        }
        const bool url =
            t.text.compare(at, 7, "http://") == 0 || t.text.compare(at, 8, "https://") == 0;
        out += t.text.substr(i, at - i);
        if (!url) {
            out += "http";
            i = at + 4;
            continue;
        }
        auto end = t.text.find_first_of(" \n\t", at);
        end = end == std::string::npos ? t.text.size() : end;
        out += "https://t.co/fake" + t.id.substr(t.id.size() - 4) + std::to_string(n++);
        i = end;
    }
    if (!t.media_keys.empty()) {
        out += " https://t.co/media" + t.id.substr(t.id.size() - 4);
    }
    // X escapes these three in post text.
    std::string escaped;
    for (const char c : out) {
        escaped += c == '&'   ? std::string("&amp;")
                   : c == '<' ? std::string("&lt;")
                   : c == '>' ? std::string("&gt;")
                              : std::string(1, c);
    }
    return escaped;
}

Json XState::tweet_json(const Tweet& t, bool metrics) const {
    const bool renamed = m_config.new_field_names;
    Json j = {{"id", t.id},
              {"text", shown_text(t)},
              {"author_id", t.author_id},
              {"created_at", iso(t.created_at)},
              {"conversation_id", t.conversation_id},
              {renamed ? "edit_history_post_ids" : "edit_history_tweet_ids", Json::array({t.id})}};
    if (t.reply_to) {
        j[renamed ? "referenced_posts" : "referenced_tweets"] =
            Json::array({{{"type", "replied_to"}, {"id", *t.reply_to}}});
    }
    if (!t.media_keys.empty()) {
        j["attachments"] = {{"media_keys", t.media_keys}};
    }
    if (metrics) {
        j["public_metrics"] = {{renamed ? "repost_count" : "retweet_count", t.retweets},
                               {"reply_count", t.replies},
                               {"like_count", t.likes},
                               {"quote_count", t.quotes},
                               {"bookmark_count", t.bookmarks},
                               {"impression_count", t.impressions}};
    }
    return j;
}

Json XState::user_json(const User& u, bool metrics) const {
    Json j = {{"id", u.id}, {"name", u.name}, {"username", u.username}};
    if (metrics) {
        long posts = 0;
        for (const auto& [id, t] : m_tweets) {
            posts += t.author_id == u.id ? 1 : 0;
        }
        j["public_metrics"] = {{"followers_count", u.followers},
                               {"following_count", u.following},
                               {m_config.new_field_names ? "post_count" : "tweet_count", posts},
                               {"listed_count", u.listed}};
    }
    return j;
}

// ---------------------------------------------------------------- API

XReply XState::me(const std::string& user_id, bool metrics) {
    const std::lock_guard lock(m_mutex);
    const User* u = find_user(user_id);
    return XReply{200, {{"data", user_json(*u, metrics)}}, {}};
}

XReply XState::create_tweet(const std::string& user_id, const TweetInput& in) {
    const std::lock_guard lock(m_mutex);
    if (in.text.empty() && in.media_ids.empty()) {
        return x_problem(400, "Invalid Request",
                         "One or more parameters to your request was invalid.",
                         "https://api.x.com/2/problems/invalid-request");
    }
    if (x_weighted_length(in.text) > 280) {
        return x_problem(403, "Forbidden", "Your Tweet text is too long.");  // [U] wording
    }
    if (in.media_ids.size() > 4) {
        return x_problem(400, "Invalid Request", "Too many media ids (at most 4).",
                         "https://api.x.com/2/problems/invalid-request");
    }
    Tweet t;
    for (const auto& id : in.media_ids) {
        const auto m = m_media.find(id);
        if (m == m_media.end() || m->second.user_id != user_id) {
            return x_problem(400, "Invalid Request", "Your media IDs are invalid.",
                             "https://api.x.com/2/problems/invalid-request");
        }
        t.media_keys.push_back(m->second.key);
    }
    const auto now = system_clock::now();
    for (const auto& [id, other] : m_tweets) {
        // X refuses the same text twice from one account ([U] on the window and the body).
        if (other.author_id == user_id && other.text == in.text && !in.text.empty() &&
            now - other.created_at < std::chrono::hours(24)) {
            return x_problem(403, "Forbidden",
                             "You are not allowed to create a Tweet with duplicate content.");
        }
    }
    if (in.reply_to) {
        const Tweet* parent = find_tweet(*in.reply_to);
        if (parent == nullptr) {
            return x_problem(400, "Invalid Request",
                             "The `reply.in_reply_to_tweet_id` query parameter value [" +
                                 *in.reply_to + "] does not exist.",
                             "https://api.x.com/2/problems/invalid-request");
        }
        t.conversation_id = parent->conversation_id;
        ++find_tweet(*in.reply_to)->replies;
    }
    t.id = std::to_string(m_next_tweet++);
    if (t.conversation_id.empty()) {
        t.conversation_id = t.id;
    }
    t.author_id = user_id;
    t.text = in.text;
    t.reply_to = in.reply_to;
    t.created_at = now;
    m_tweets[t.id] = t;
    const char* history =
        m_config.new_field_names ? "edit_history_post_ids" : "edit_history_tweet_ids";
    return XReply{
        201,
        {{"data", {{"id", t.id}, {"text", shown_text(t)}, {history, Json::array({t.id})}}}},
        {}};
}

XReply XState::lookup_tweets(const std::vector<std::string>& ids, bool metrics) {
    const std::lock_guard lock(m_mutex);
    if (ids.empty() || ids.size() > 100) {
        return x_problem(400, "Invalid Request",
                         "The `ids` query parameter value must have 1 to 100 items.",
                         "https://api.x.com/2/problems/invalid-request");
    }
    Json data = Json::array();
    Json errors = Json::array();
    for (const auto& id : ids) {
        if (const Tweet* t = find_tweet(id)) {
            data.push_back(tweet_json(*t, metrics));
        } else {
            errors.push_back({{"value", id},
                              {"detail", "Could not find tweet with ids: [" + id + "]."},
                              {"title", "Not Found Error"},
                              {"resource_type", "tweet"},
                              {"parameter", "ids"},
                              {"resource_id", id},
                              {"type", "https://api.x.com/2/problems/resource-not-found"}});
        }
    }
    Json body = Json::object();
    if (!data.empty()) {
        body["data"] = data;
    }
    if (!errors.empty()) {
        body["errors"] = errors;
    }
    return XReply{200, body, {}};
}

XReply XState::lookup_tweet(const std::string& id, bool metrics) {
    const std::lock_guard lock(m_mutex);
    if (const Tweet* t = find_tweet(id)) {
        return XReply{200, {{"data", tweet_json(*t, metrics)}}, {}};
    }
    return XReply{
        200,
        {{"errors", Json::array({{{"value", id},
                                  {"detail", "Could not find tweet with id: [" + id + "]."},
                                  {"title", "Not Found Error"},
                                  {"resource_type", "tweet"},
                                  {"parameter", "id"},
                                  {"resource_id", id},
                                  {"type", "https://api.x.com/2/problems/resource-not-found"}}})}},
        {}};
}

XReply XState::user_tweets(const std::string& user_id, std::size_t max_results,
                           const std::string& pagination_token, const std::string& start_time,
                           const std::string& since_id, bool metrics) {
    const std::lock_guard lock(m_mutex);
    if (find_user(user_id) == nullptr) {
        return x_problem(404, "Not Found Error", "Could not find user with id: [" + user_id + "].",
                         "https://api.x.com/2/problems/resource-not-found");
    }
    const auto start = parse_iso(start_time);
    std::vector<const Tweet*> list;  // newest first
    for (auto it = m_tweets.rbegin(); it != m_tweets.rend(); ++it) {
        const Tweet& t = it->second;
        if (t.author_id != user_id || (start && t.created_at < *start) ||
            (!since_id.empty() && t.id <= since_id) ||
            (!pagination_token.empty() && t.id >= pagination_token)) {
            continue;
        }
        list.push_back(&t);
    }
    max_results = std::clamp<std::size_t>(max_results == 0 ? 10 : max_results, 5, 100);
    Json data = Json::array();
    for (std::size_t i = 0; i < list.size() && i < max_results; ++i) {
        data.push_back(tweet_json(*list[i], metrics));
    }
    Json meta = {{"result_count", data.size()}};
    if (!data.empty()) {
        meta["newest_id"] = data.front()["id"];
        meta["oldest_id"] = data.back()["id"];
        if (list.size() > max_results) {
            meta["next_token"] = data.back()["id"];  // opaque to clients
        }
    }
    Json body = {{"meta", meta}};
    if (!data.empty()) {
        body["data"] = data;
    }
    return XReply{200, body, {}};
}

XReply XState::search_recent(const std::string& query, std::size_t max_results,
                             const std::string& since_id, const std::string& next_token) {
    const std::lock_guard lock(m_mutex);
    if (m_search_forbidden) {
        return XReply{403,
                      {{"client_id", m_config.client_id},
                       {"detail",
                        "When authenticating requests to the Twitter API v2 endpoints, you must "
                        "use keys and tokens from a Twitter developer App that is attached to a "
                        "Project. You can create a project via the developer portal."},
                       {"registration_url", "https://developer.x.com/en/portal/dashboard"},
                       {"title", "Client Forbidden"},
                       {"required_enrollment", "Appropriate Level of API Access"},
                       {"reason", "client-not-enrolled"},
                       {"type", "https://api.x.com/2/problems/client-forbidden"}},
                      {}};
    }
    // Words of the query, all required, case-insensitive (a tiny subset of X's query syntax).
    std::vector<std::string> words;
    std::string word;
    auto lower = [](std::string s) {
        for (char& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    };
    for (const char c : query + " ") {
        if (c == ' ') {
            if (!word.empty() && word.front() != '-') {
                words.push_back(lower(word));
            }
            word.clear();
        } else if (c != '"' && c != '(' && c != ')') {
            word += c;
        }
    }
    max_results = std::clamp<std::size_t>(max_results == 0 ? 10 : max_results, 10, 100);
    Json data = Json::array();
    Json users = Json::array();
    std::string next;
    const auto week = system_clock::now() - std::chrono::hours(24 * 7);
    for (auto it = m_tweets.rbegin(); it != m_tweets.rend(); ++it) {
        const Tweet& t = it->second;
        if (t.created_at < week || (!since_id.empty() && t.id <= since_id) ||
            (!next_token.empty() && t.id >= next_token)) {
            continue;
        }
        const std::string text = lower(t.text);
        if (!std::all_of(words.begin(), words.end(),
                         [&](const std::string& w) { return text.find(w) != std::string::npos; })) {
            continue;
        }
        if (data.size() == max_results) {
            next = data.back()["id"].get<std::string>();
            break;
        }
        data.push_back(tweet_json(t, false));
        if (const User* u = find_user(t.author_id)) {
            users.push_back(user_json(*u, false));
        }
    }
    Json meta = {{"result_count", data.size()}};
    if (!data.empty()) {
        meta["newest_id"] = data.front()["id"];
        meta["oldest_id"] = data.back()["id"];
    }
    if (!next.empty()) {
        meta["next_token"] = next;
    }
    Json body = {{"meta", meta}};
    if (!data.empty()) {
        body["data"] = data;
        body["includes"] = {{"users", users}};
    }
    return XReply{200, body, {}};
}

XReply XState::upload_media(const std::string& user_id, std::size_t size,
                            const std::string& category) {
    const std::lock_guard lock(m_mutex);
    if (size == 0) {
        return x_problem(400, "Invalid Request", "The media field is required.",
                         "https://api.x.com/2/problems/invalid-request");
    }
    Media m;
    m.id = std::to_string(m_next_media++);
    m.key = "3_" + m.id;
    m.user_id = user_id;
    m_media[m.id] = m;
    (void)category;
    return XReply{200,
                  {{"data",
                    {{"id", m.id},
                     {"media_key", m.key},
                     {"size", size},
                     {"expires_after_secs", 86400},
                     {"image", {{"image_type", "image/jpeg"}, {"w", 800}, {"h", 600}}}}}},
                  {}};
}

XReply XState::media_metadata(const std::string& user_id, const Json& body) {
    const std::lock_guard lock(m_mutex);
    const std::string id = body.value("id", std::string());
    const auto m = m_media.find(id);
    if (m == m_media.end() || m->second.user_id != user_id) {
        return x_problem(400, "Invalid Request", "Your media ID is invalid.",
                         "https://api.x.com/2/problems/invalid-request");
    }
    const Json alt = body.value("metadata", Json::object()).value("alt_text", Json::object());
    const std::string text = alt.value("text", std::string());
    if (text.empty() || text.size() > 4000) {  // 1000 characters [C]; bytes here
        return x_problem(400, "Invalid Request", "alt_text.text must be 1 to 1000 characters.",
                         "https://api.x.com/2/problems/invalid-request");
    }
    m->second.alt = text;
    return XReply{
        200,
        {{"data", {{"id", id}, {"associated_metadata", {{"alt_text", {{"text", text}}}}}}}},
        {}};
}

// ---------------------------------------------------------------- admin

XReply XState::set_engagement(const Json& body) {
    const std::lock_guard lock(m_mutex);
    Tweet* t = find_tweet(body.value("id", std::string()));
    if (t == nullptr) {
        return XReply{404, {{"error", "no such post"}}, {}};
    }
    t->likes = body.value("like_count", t->likes);
    t->retweets = body.value("retweet_count", t->retweets);
    t->replies = body.value("reply_count", t->replies);
    t->quotes = body.value("quote_count", t->quotes);
    t->bookmarks = body.value("bookmark_count", t->bookmarks);
    t->impressions = body.value("impression_count", t->impressions);
    return XReply{200, tweet_json(*t, true), {}};
}

XReply XState::set_account(const Json& body) {
    const std::lock_guard lock(m_mutex);
    User* u = find_username(body.value("username", std::string()));
    if (u == nullptr) {
        return XReply{404, {{"error", "no such user"}}, {}};
    }
    u->followers = body.value("followers_count", u->followers);
    u->following = body.value("following_count", u->following);
    u->listed = body.value("listed_count", u->listed);
    return XReply{200, user_json(*u, true), {}};
}

XReply XState::add_other_post(const Json& body) {
    const std::lock_guard lock(m_mutex);
    const std::string username = body.value("username", std::string("someone"));
    User* u = find_username(username);
    if (u == nullptr) {
        m_users.push_back(User{std::to_string(1600000000000000000ULL + m_users.size()), username,
                               "User " + username});
        u = &m_users.back();
    }
    Tweet t;
    t.id = std::to_string(m_next_tweet++);
    t.conversation_id = t.id;
    t.author_id = u->id;
    t.text = body.value("text", std::string());
    t.created_at = system_clock::now();
    m_tweets[t.id] = t;
    return XReply{200, tweet_json(t, false), {}};
}

XReply XState::expire_token(const std::string& token) {
    const std::lock_guard lock(m_mutex);
    const auto it = m_tokens.find(token);
    if (it == m_tokens.end()) {
        return XReply{404, {{"error", "no such token"}}, {}};
    }
    it->second.valid = false;
    return XReply{200, {{"expired", true}}, {}};
}

XReply XState::set_flags(const Json& body) {
    const std::lock_guard lock(m_mutex);
    m_deny = body.value("deny", m_deny);
    m_search_forbidden = body.value("search_forbidden", m_search_forbidden);
    m_config.rate_limit = body.value("limit", m_config.rate_limit);
    m_config.daily_cap = body.value("daily_cap", m_config.daily_cap);
    if (body.contains("limit")) {
        m_windows.clear();
    }
    return XReply{200,
                  {{"deny", m_deny},
                   {"search_forbidden", m_search_forbidden},
                   {"limit", m_config.rate_limit}},
                  {}};
}

XReply XState::add_token(const Json& body) {
    const std::lock_guard lock(m_mutex);
    User* u = find_username(body.value("username", std::string()));
    if (u == nullptr) {
        return XReply{404, {{"error", "no such user"}}, {}};
    }
    const long life = body.value("expires_in", 7200L);
    m_tokens[body.value("token", std::string())] =
        Token{u->id, system_clock::now() + std::chrono::seconds(life), true};
    if (body.contains("refresh_token")) {
        m_refresh[body["refresh_token"].get<std::string>()] = u->id;
    }
    return XReply{200, {{"ok", true}}, {}};
}

Json XState::all_tweets() {
    const std::lock_guard lock(m_mutex);
    Json out = Json::array();
    for (const auto& [id, t] : m_tweets) {
        Json j = {{"id", t.id}, {"text", t.text}, {"author_id", t.author_id}};
        j["reply_to"] = t.reply_to ? Json(*t.reply_to) : Json();
        Json alts = Json::array();
        for (const auto& key : t.media_keys) {
            for (const auto& [mid, m] : m_media) {
                if (m.key == key) {
                    alts.push_back(m.alt);
                }
            }
        }
        j["media_alt"] = alts;
        out.push_back(j);
    }
    return out;
}

Json XState::dump() {
    Json j = {{"tweets", all_tweets()}};
    const std::lock_guard lock(m_mutex);
    j["refresh_tokens"] = m_refresh.size();
    return j;
}

}  // namespace cmtool::fakes
