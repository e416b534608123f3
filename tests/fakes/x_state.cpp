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

}  // namespace cmtool::fakes
