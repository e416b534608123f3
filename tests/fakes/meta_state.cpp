#include "meta_state.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace cmtool::fakes {

namespace {

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Meta's "2026-11-20T10:00:00+0000".
std::string meta_time(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+0000", &tm);
    return buf;
}

// Top-level members of a Graph `fields` value (commas inside parentheses or braces kept).
std::vector<std::string> split_fields(const std::string& fields) {
    std::vector<std::string> out;
    int depth = 0;
    std::string cur;
    for (const char c : fields) {
        if (c == '(' || c == '{') {
            ++depth;
        } else if (c == ')' || c == '}') {
            --depth;
        }
        if (c == ',' && depth == 0) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto comma = s.find(',', start);
        const std::string part = s.substr(start, comma - start);
        if (!part.empty()) {
            out.push_back(part);
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

// Metrics that exist per network; removed ones are refused like Meta does (§5.1, §5.2).
const std::set<std::string>& valid_metrics(const std::string& network) {
    static const std::set<std::string> fb = {"post_total_media_view_unique", "post_media_view",
                                             "post_clicks", "post_reactions_by_type_total"};
    static const std::set<std::string> ig = {
        "views", "reach", "likes", "comments", "shares", "saved", "total_interactions"};
    static const std::set<std::string> th = {"views",   "likes",  "replies",
                                             "reposts", "quotes", "shares"};
    return network == "facebook" ? fb : network == "instagram" ? ig : th;
}

std::int64_t count_of(const MetaPost& p, const std::string& key) {
    const auto it = p.counts.find(key);
    return it == p.counts.end() ? 0 : it->second;
}

// The insights metric name -> the post's counter.
std::int64_t metric_value(const MetaPost& p, const std::string& metric) {
    if (metric == "post_total_media_view_unique" || metric == "post_media_view") {
        return count_of(p, "views");
    }
    if (metric == "comments") {
        return count_of(p, "comments");
    }
    return count_of(p, metric);
}

Json insight_data(const MetaPost& p, const std::vector<std::string>& metrics) {
    Json data = Json::array();
    for (const auto& m : metrics) {
        if (!valid_metrics(p.network).count(m)) {
            throw std::invalid_argument(
                "(#100) metric[0] must be one of the following values: "
                "the metric " +
                m + " is not valid");
        }
        data.push_back({{"name", m},
                        {"period", "lifetime"},
                        {"values", Json::array({{{"value", metric_value(p, m)}}})},
                        {"title", m},
                        {"description", m},
                        {"id", p.id + "/insights/" + m + "/lifetime"}});
    }
    return data;
}

}  // namespace

MetaReply graph_error(int status, long code, std::string message, long subcode) {
    Json e = {{"message", std::move(message)},
              {"type", code == 190 ? "OAuthException" : "GraphMethodException"},
              {"code", code},
              {"fbtrace_id", "AbCdEfFake"}};
    if (subcode != 0) {
        e["error_subcode"] = subcode;
    }
    return MetaReply{status, {{"error", e}}};
}

MetaState::MetaState(MetaConfig config)
    : m_config(std::move(config)), m_initial_tokens(m_config.tokens) {}

std::string MetaState::new_id() {
    return std::to_string(9000000 + m_next++);
}

MetaState::TokenCheck MetaState::check_token(const std::string& token) {
    std::lock_guard lock(m_mutex);
    m_tokens_seen.push_back(token);
    if (!m_config.tokens.count(token)) {
        return TokenCheck::invalid;
    }
    if (m_expire > 0) {
        --m_expire;
        return TokenCheck::expired;
    }
    return TokenCheck::ok;
}

std::optional<MetaReply> MetaState::take_throttle(std::int64_t& regain_minutes) {
    std::lock_guard lock(m_mutex);
    regain_minutes = 0;
    if (m_throttle_count <= 0) {
        return std::nullopt;
    }
    --m_throttle_count;
    regain_minutes = m_regain;
    const char* what = m_throttle_code == 4    ? "(#4) Application request limit reached"
                       : m_throttle_code == 17 ? "(#17) User request limit reached"
                       : m_throttle_code == 32 ? "(#32) Page request limit reached"
                       : m_throttle_code == 613
                           ? "(#613) Calls to this api have exceeded the rate limit."
                           : "(#80001) There have been too many calls to this Page";
    return graph_error(m_throttle_status, m_throttle_code, what);
}

int MetaState::usage() const {
    std::lock_guard lock(m_mutex);
    return m_throttle_count > 0 ? 100 : static_cast<int>(std::min<std::int64_t>(m_next, 50));
}

MetaReply MetaState::exchange_fb(const std::string& secret, const std::string& token) {
    std::lock_guard lock(m_mutex);
    if (secret != m_config.app_secret) {
        return graph_error(400, 1, "Error validating client secret.");
    }
    if (!m_config.tokens.count(token)) {
        return graph_error(400, 190, "Error validating access token: the session is invalid.", 460);
    }
    const std::string fresh = "fake-long-lived-" + std::to_string(m_next++);
    m_config.tokens.insert(fresh);
    m_exchanges.push_back("fb_exchange_token");
    return MetaReply{200,
                     {{"access_token", fresh}, {"token_type", "bearer"}, {"expires_in", 5184000}}};
}

MetaReply MetaState::exchange_threads(const std::string& grant, const std::string& secret,
                                      const std::string& token) {
    std::lock_guard lock(m_mutex);
    if (grant == "th_exchange_token" && secret != m_config.app_secret) {
        return graph_error(400, 1, "Error validating client secret.");
    }
    if (!m_config.tokens.count(token)) {
        return graph_error(400, 190, "Error validating access token.");
    }
    const std::string fresh = "fake-threads-long-" + std::to_string(m_next++);
    m_config.tokens.insert(fresh);
    m_exchanges.push_back(grant);
    return MetaReply{200,
                     {{"access_token", fresh}, {"token_type", "bearer"}, {"expires_in", 5184000}}};
}

MetaReply MetaState::me_accounts() {
    std::lock_guard lock(m_mutex);
    const std::string page_token = "fake-page-token-" + std::to_string(m_next++);
    m_config.tokens.insert(page_token);
    Json data =
        Json::array({{{"id", "555"}, {"name", "Another Page"}, {"access_token", "fake-other-page"}},
                     {{"id", m_config.page_id},
                      {"name", "Atelier Test"},
                      {"access_token", page_token},
                      {"instagram_business_account", {{"id", m_config.ig_user}}}}});
    return MetaReply{
        200, {{"data", data}, {"paging", {{"cursors", {{"before", "b"}, {"after", "a"}}}}}}};
}

MetaReply MetaState::create_container(const std::string& network,
                                      const std::map<std::string, std::string>& f) {
    std::lock_guard lock(m_mutex);
    auto get = [&](const char* k) {
        const auto it = f.find(k);
        return it == f.end() ? std::string() : it->second;
    };
    const std::string type = get("media_type");
    const std::string text = network == "instagram" ? get("caption") : get("text");
    Container c;
    c.network = network;
    c.fields = f;
    if (type == "CAROUSEL") {
        c.children = split_list(get("children"));
        if (c.children.size() < 2) {
            return graph_error(400, 100, "(#100) A carousel needs at least 2 children");
        }
        for (const auto& ch : c.children) {
            if (!m_containers.count(ch)) {
                return graph_error(400, 100, "(#100) Unknown child container " + ch);
            }
        }
    } else if (network == "threads" && (type == "TEXT" || type.empty())) {
        if (text.empty()) {
            return graph_error(400, 100, "(#100) The parameter text is required");
        }
    } else {
        const std::string url = get("image_url").empty() ? get("video_url") : get("image_url");
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
            return graph_error(400, 9004,
                               "(#9004) Only photo or video can be accepted as media type.");
        }
    }
    if (network == "instagram" && text.size() > 2200 * 4) {
        return graph_error(400, 100, "(#100) The caption is too long");
    }
    if (network == "threads") {
        std::size_t points = 0;
        for (const char c8 : text) {
            const auto ch = static_cast<unsigned char>(c8);
            points += (ch & 0xC0U) != 0x80U ? 1 : 0;
        }
        if (points > 500) {
            return graph_error(400, 100, "(#100) Param text must be at most 500 characters long.");
        }
        const std::string reply_to = get("reply_to_id");
        if (!reply_to.empty() && std::none_of(m_posts.begin(), m_posts.end(),
                                              [&](const auto& p) { return p.id == reply_to; })) {
            return graph_error(400, 100, "(#100) The reply_to_id is not a valid post");
        }
    }
    c.id = "1790" + new_id();
    if (m_container_mode_count > 0) {
        --m_container_mode_count;
        if (m_container_mode == "error") {
            c.status = "IN_PROGRESS";
            c.polls_left = -1;  // ERROR at the first status read
        } else if (m_container_mode == "slow") {
            c.status = "IN_PROGRESS";
            c.polls_left = m_container_mode_polls;
        }
    } else if (m_config.container_polls > 0) {
        c.status = "IN_PROGRESS";
        c.polls_left = m_config.container_polls;
    }
    const std::string id = c.id;
    m_containers[id] = std::move(c);
    return MetaReply{200, {{"id", id}}};
}

MetaReply MetaState::container_status(const std::string& id, const std::string& field) {
    std::lock_guard lock(m_mutex);
    auto& c = m_containers.at(id);
    if (c.status == "IN_PROGRESS") {
        if (c.polls_left < 0) {
            c.status = "ERROR";
        } else if (c.polls_left == 0) {
            c.status = "FINISHED";
        } else {
            --c.polls_left;
        }
    }
    Json body = {{"id", id}, {field, c.status}};
    if (c.status == "ERROR") {
        body["error_message"] =
            "Media download has failed. The media URI doesn't meet our requirements.";
    }
    return MetaReply{200, body};
}

MetaReply MetaState::publish_container(const std::string& network, const std::string& creation_id) {
    std::lock_guard lock(m_mutex);
    const auto it = m_containers.find(creation_id);
    if (it == m_containers.end() || it->second.network != network) {
        return graph_error(400, 100, "(#100) Param creation_id is not a valid container", 33);
    }
    Container& c = it->second;
    if (c.status == "PUBLISHED") {
        return graph_error(400, 9007, "(#9007) The media has already been published", 2207006);
    }
    if (c.status != "FINISHED") {
        return graph_error(400, 9007, "(#9007) Media ID is not available", 2207027);
    }
    if (network == "instagram" && m_published_24h >= 50) {
        return graph_error(400, 9, "(#9) Application request limit reached: 50 posts in 24 hours",
                           2207042);
    }
    ++m_published_24h;
    MetaPost p;
    p.id = (network == "instagram" ? "1791" : "1792") + new_id();
    p.network = network;
    p.text = network == "instagram" ? c.fields["caption"] : c.fields["text"];
    p.reply_to = c.fields["reply_to_id"];
    p.media_type = c.fields.count("media_type") ? c.fields["media_type"] : "IMAGE";
    p.created = now_s();
    auto add_media = [&](const Container& m) {
        Json item = {
            {"media_type", m.fields.count("media_type") ? m.fields.at("media_type") : "IMAGE"}};
        for (const char* k : {"image_url", "video_url", "alt_text"}) {
            if (m.fields.count(k)) {
                item[k] = m.fields.at(k);
            }
        }
        p.media.push_back(item);
    };
    if (c.children.empty()) {
        if (c.fields.count("image_url") || c.fields.count("video_url")) {
            add_media(c);
        }
    } else {
        for (const auto& ch : c.children) {
            add_media(m_containers.at(ch));
        }
    }
    c.status = "PUBLISHED";
    c.published_id = p.id;
    m_posts.push_back(p);
    return MetaReply{200, {{"id", p.id}}};
}

MetaReply MetaState::facebook_post(const std::string& message, const std::string& link,
                                   const std::string& photo) {
    std::lock_guard lock(m_mutex);
    if (message.empty() && link.empty() && photo.empty()) {
        return graph_error(400, 100, "(#100) Missing message or attachment");
    }
    MetaPost p;
    p.id = m_config.page_id + "_" + new_id();
    p.network = "facebook";
    p.text = message;
    p.link = link;
    p.created = now_s();
    if (!photo.empty()) {
        p.media.push_back({{"file", photo}});
        const std::string photo_id = new_id();
        m_posts.push_back(p);
        return MetaReply{200, {{"id", photo_id}, {"post_id", p.id}}};
    }
    m_posts.push_back(p);
    return MetaReply{200, {{"id", p.id}}};
}

Json MetaState::shape_post(const MetaPost& p, const std::string& fields) const {
    Json j = {{"id", p.id}};
    const bool fb = p.network == "facebook";
    for (const auto& f : split_fields(fields)) {
        if (f == "message" && fb) {
            j["message"] = p.text;
        } else if (f == "caption" && p.network == "instagram") {
            j["caption"] = p.text;
        } else if (f == "text" && p.network == "threads") {
            j["text"] = p.text;
        } else if (f == "created_time" || f == "timestamp") {
            j[f] = meta_time(p.created);
        } else if (f == "permalink_url" || f == "permalink") {
            j[f] = fb ? "https://www.facebook.com/" + p.id
                      : (p.network == "instagram"
                             ? "https://www.instagram.com/p/"
                             : "https://www.threads.net/@" +
                                   (p.username.empty() ? std::string("atelier") : p.username) +
                                   "/post/") +
                            p.id;
        } else if (f == "username" && p.network == "threads") {
            j[f] = p.username.empty() ? std::string("atelier") : p.username;
        } else if (f == "like_count") {
            j[f] = count_of(p, "likes");
        } else if (f == "comments_count") {
            j[f] = count_of(p, "comments");
        } else if (f == "shares" && fb && count_of(p, "shares") > 0) {
            j["shares"] = {{"count", count_of(p, "shares")}};  // absent when never shared
        } else if (f.rfind("reactions", 0) == 0 || f.rfind("comments.", 0) == 0) {
            const std::string name = f.substr(0, f.find('.'));
            j[name] = {
                {"data", Json::array()},
                {"summary",
                 {{"total_count", count_of(p, name == "reactions" ? "likes" : "comments")}}}};
        } else if (f.rfind("insights.metric(", 0) == 0) {
            const auto close = f.find(')');
            j["insights"] = {{"data", insight_data(p, split_list(f.substr(16, close - 16)))}};
        } else if (f == "media_type") {
            j[f] = p.media_type;
        } else if (f == "is_reply") {
            j[f] = !p.reply_to.empty();
        }
    }
    return j;
}

std::optional<Json> MetaState::object(const std::string& id, const std::string& fields) {
    std::lock_guard lock(m_mutex);
    if (id == m_config.page_id) {
        return Json{{"id", id},
                    {"name", "Atelier Test"},
                    {"link", "https://www.facebook.com/ateliertest"},
                    {"followers_count", m_followers},
                    {"fan_count", m_followers - 10}};
    }
    if (id == m_config.ig_user) {
        return Json{
            {"id", id},
            {"username", "ateliertest"},
            {"name", "Atelier Test"},
            {"followers_count", m_followers},
            {"follows_count", 80},
            {"media_count", std::count_if(m_posts.begin(), m_posts.end(),
                                          [](const auto& p) { return p.network == "instagram"; })}};
    }
    if (id == m_config.threads_user) {
        return Json{{"id", id}, {"username", "ateliertest"}, {"name", "Atelier Test"}};
    }
    for (const auto& p : m_posts) {
        if (p.id == id) {
            return shape_post(p, fields);
        }
    }
    return std::nullopt;
}

MetaReply MetaState::insights(const std::string& id, const std::string& metrics) {
    std::lock_guard lock(m_mutex);
    for (const auto& p : m_posts) {
        if (p.id == id) {
            try {
                return MetaReply{200, {{"data", insight_data(p, split_list(metrics))}}};
            } catch (const std::invalid_argument& e) {
                return graph_error(400, 100, e.what());
            }
        }
    }
    return graph_error(400, 100, "(#100) Object does not exist", 33);
}

MetaReply MetaState::threads_insights(const std::string& metrics) {
    std::lock_guard lock(m_mutex);
    Json data = Json::array();
    for (const auto& m : split_list(metrics)) {
        if (m != "followers_count") {
            return graph_error(400, 100, "(#100) unsupported metric " + m);
        }
        data.push_back({{"name", m},
                        {"period", "day"},
                        {"total_value", {{"value", m_followers}}},
                        {"title", "followers_count"},
                        {"id", m_config.threads_user + "/insights/followers_count/day"}});
    }
    return MetaReply{200, {{"data", data}}};
}

MetaReply MetaState::list(const std::string& owner, const std::string& edge,
                          const std::string& fields, std::int64_t since, std::size_t limit,
                          const std::string& after) {
    std::lock_guard lock(m_mutex);
    std::string network;
    if (owner == m_config.page_id && (edge == "feed" || edge == "posts")) {
        network = "facebook";
    } else if (owner == m_config.ig_user && edge == "media") {
        network = "instagram";
    } else if (owner == m_config.threads_user && (edge == "threads" || edge == "replies")) {
        network = "threads";
    } else {
        return graph_error(400, 100, "(#100) Tried accessing nonexisting field (" + edge + ")");
    }
    std::vector<const MetaPost*> items;
    for (auto it = m_posts.rbegin(); it != m_posts.rend(); ++it) {  // newest first
        if (it->network != network || it->created < since) {
            continue;
        }
        if (network == "threads" && (edge == "replies") != !it->reply_to.empty()) {
            continue;
        }
        items.push_back(&*it);
    }
    const std::size_t start = after.empty() ? 0 : std::stoul(after.substr(1));
    Json data = Json::array();
    try {
        for (std::size_t i = start; i < items.size() && i < start + limit; ++i) {
            data.push_back(shape_post(*items[i], fields));
        }
    } catch (const std::invalid_argument& e) {
        return graph_error(400, 100, e.what());
    }
    Json paging = {{"cursors",
                    {{"before", "c" + std::to_string(start)},
                     {"after", "c" + std::to_string(start + data.size())}}}};
    if (start + data.size() < items.size()) {
        paging["next"] = "https://graph.example/next";  // only its presence matters
    }
    return MetaReply{200, {{"data", data}, {"paging", paging}}};
}

MetaReply MetaState::keyword_search(const std::string& q, const std::string& fields,
                                    std::int64_t since) {
    std::lock_guard lock(m_mutex);
    if (m_search_forbidden) {
        return graph_error(403, 10, "(#10) Application does not have permission for this action");
    }
    auto lower = [](std::string t) {
        for (char& ch : t) {
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        return t;
    };
    std::vector<std::string> words;
    {
        std::string cur;
        for (const char ch : lower(q) + " ") {
            if (ch == ' ' || ch == '"') {
                if (!cur.empty() && cur != "or") {
                    words.push_back(cur);
                }
                cur.clear();
            } else {
                cur += ch;
            }
        }
    }
    if (words.empty()) {
        return graph_error(400, 100, "(#100) The parameter q is required");
    }
    std::vector<const MetaPost*> found;
    for (const auto* list : {&m_posts, &m_search_posts}) {
        for (const auto& p : *list) {
            if (p.network != "threads" || p.created < since) {
                continue;
            }
            const std::string text = lower(p.text);
            if (std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                    return text.find(w) != std::string::npos;
                })) {
                found.push_back(&p);
            }
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const MetaPost* a, const MetaPost* b) {
        return a->created > b->created;  // newest first
    });
    Json data = Json::array();
    for (const auto* p : found) {
        data.push_back(shape_post(*p, fields));
    }
    return MetaReply{200, {{"data", data}}};
}

Json MetaState::add_search_post(const std::string& text, const std::string& username,
                                std::int64_t created) {
    std::lock_guard lock(m_mutex);
    MetaPost p;
    p.id = new_id();
    p.network = "threads";
    p.text = text;
    p.username = username;
    p.media_type = "TEXT_POST";
    p.created = created > 0 ? created : now_s();
    m_search_posts.push_back(p);
    return {{"id", p.id}, {"created", p.created}};
}

void MetaState::set_search_forbidden(bool on) {
    std::lock_guard lock(m_mutex);
    m_search_forbidden = on;
}

std::string MetaState::owner_network(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    if (id == m_config.page_id) {
        return "facebook";
    }
    if (id == m_config.ig_user) {
        return "instagram";
    }
    if (id == m_config.threads_user) {
        return "threads";
    }
    if (const auto it = m_containers.find(id); it != m_containers.end()) {
        return "container";
    }
    return "";
}

void MetaState::arm_expiry(int count) {
    std::lock_guard lock(m_mutex);
    m_expire = count;
}

void MetaState::arm_throttle(long code, int count, int status, std::int64_t regain_minutes) {
    std::lock_guard lock(m_mutex);
    m_throttle_code = code;
    m_throttle_count = count;
    m_throttle_status = status;
    m_regain = regain_minutes;
}

void MetaState::arm_containers(const std::string& mode, int polls, int count) {
    std::lock_guard lock(m_mutex);
    m_container_mode = mode;
    m_container_mode_polls = polls;
    m_container_mode_count = count;
}

void MetaState::set_counts(const std::string& id, const Json& counts) {
    std::lock_guard lock(m_mutex);
    for (auto& p : m_posts) {
        if (p.id == id) {
            for (const auto& [k, v] : counts.items()) {
                p.counts[k] = v.get<std::int64_t>();
            }
        }
    }
}

void MetaState::set_followers(std::int64_t n) {
    std::lock_guard lock(m_mutex);
    m_followers = n;
}

Json MetaState::dump() {
    std::lock_guard lock(m_mutex);
    Json posts = Json::array();
    for (const auto& p : m_posts) {
        posts.push_back({{"id", p.id},
                         {"network", p.network},
                         {"text", p.text},
                         {"link", p.link},
                         {"reply_to", p.reply_to},
                         {"media_type", p.media_type},
                         {"media", p.media},
                         {"created", p.created}});
    }
    Json containers = Json::array();
    for (const auto& [id, c] : m_containers) {
        containers.push_back({{"id", id},
                              {"network", c.network},
                              {"status", c.status},
                              {"published_id", c.published_id}});
    }
    return {{"posts", posts},
            {"containers", containers},
            {"tokens_seen", m_tokens_seen},
            {"exchanges", m_exchanges}};
}

void MetaState::reset() {
    std::lock_guard lock(m_mutex);
    m_posts.clear();
    m_search_posts.clear();
    m_search_forbidden = false;
    m_containers.clear();
    m_tokens_seen.clear();
    m_exchanges.clear();
    m_config.tokens = m_initial_tokens;
    m_expire = 0;
    m_throttle_count = 0;
    m_container_mode_count = 0;
    m_published_24h = 0;
}

}  // namespace cmtool::fakes
