// The fake X's admin side (x_routes.hpp): engagement, account counters, other users' posts,
// token expiry, switches (deny, search_forbidden, limits), and the state for tests.
#include "x_state.hpp"

namespace cmtool::fakes {

using std::chrono::system_clock;

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
