#include "linkedin_state.hpp"

#include <algorithm>

namespace cmtool::fakes {

namespace {

constexpr std::string_view k_reserved = "\\|{}@[]()<>#*_~";
constexpr auto k_access_life = std::chrono::hours(24 * 60);    // 60 days (§3.1 [V])
constexpr auto k_refresh_life = std::chrono::hours(24 * 365);  // 365 days, not extended
constexpr auto k_duplicate_window = std::chrono::minutes(10);  // [U] window length

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
}

std::int64_t utc_day() {
    return std::chrono::floor<std::chrono::days>(Clock::now()).time_since_epoch().count();
}

long seconds_until(Clock::time_point t) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::seconds>(t - Clock::now()).count());
}

}  // namespace

LiReply li_error(int status, int service_code, std::string code, std::string message) {
    return LiReply{status,
                   {{"status", status},
                    {"serviceErrorCode", service_code},
                    {"code", std::move(code)},
                    {"message", std::move(message)}},
                   {}};
}

std::string render_little(const std::string& commentary) {
    std::string out;
    const std::string tag = "{hashtag|\\#|";
    for (std::size_t i = 0; i < commentary.size(); ++i) {
        const char c = commentary[i];
        if (commentary.compare(i, tag.size(), tag) == 0) {
            const auto close = commentary.find('}', i);
            if (close != std::string::npos) {
                out += "#" + commentary.substr(i + tag.size(), close - i - tag.size());
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < commentary.size() &&
            k_reserved.find(commentary[i + 1]) != std::string_view::npos) {
            out += commentary[++i];
            continue;
        }
        if (k_reserved.find(c) != std::string_view::npos) {
            break;  // strict: the rest is lost
        }
        out += c;
    }
    return out;
}

LinkedInState::LinkedInState(LinkedInConfig config) : m_config(std::move(config)) {
    reset();
}

void LinkedInState::set_base(std::string base) {
    std::lock_guard lock(m_mutex);
    m_base = std::move(base);
}

void LinkedInState::reset() {
    std::lock_guard lock(m_mutex);
    m_posts.clear();
    m_images.clear();
    m_tokens.clear();
    m_refresh.clear();
    m_budget.clear();
    m_followers = 1234;
    for (const auto& t : m_config.tokens) {
        m_tokens[t] = Token{Clock::now() + k_access_life, false};
    }
    for (const auto& r : m_config.refresh_tokens) {
        m_refresh[r] = Clock::now() + k_refresh_life;
    }
}

std::optional<std::string> LinkedInState::member_for(const std::string& token, std::string& why) {
    std::lock_guard lock(m_mutex);
    const auto it = m_tokens.find(token);
    if (it == m_tokens.end() || it->second.revoked) {
        why = "REVOKED_ACCESS_TOKEN";
        return std::nullopt;
    }
    if (Clock::now() >= it->second.expires) {
        why = "EXPIRED_ACCESS_TOKEN";
        return std::nullopt;
    }
    return std::string(k_member);
}

bool LinkedInState::consume(const std::string& token) {
    std::lock_guard lock(m_mutex);
    auto& [day, count] = m_budget[token];
    if (day != utc_day()) {
        day = utc_day();
        count = 0;
    }
    return ++count <= m_config.daily_limit;
}

bool LinkedInState::sunset(const std::string& version) const {
    return m_config.sunset_versions.count(version) != 0;
}

bool LinkedInState::can_act_as(const std::string& member, const std::string& author) const {
    return author == member || author == k_org;  // the member administers the organization
}

LinkedInState::Post* LinkedInState::find_post(const std::string& id) {
    for (auto& p : m_posts) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

Json LinkedInState::post_json(const Post& p) const {
    Json j = {{"id", p.id},
              {"author", p.author},
              {"commentary", p.commentary},
              {"visibility", "PUBLIC"},
              {"distribution", {{"feedDistribution", "MAIN_FEED"}}},
              {"lifecycleState", "PUBLISHED"},
              {"createdAt", p.created_ms},
              {"publishedAt", p.created_ms},
              {"lastModifiedAt", p.created_ms},
              {"isReshareDisabledByAuthor", false}};
    if (!p.content.is_null()) {
        j["content"] = p.content;
    }
    return j;
}

LiReply LinkedInState::create_post(const std::string& member, const Json& body) {
    std::lock_guard lock(m_mutex);
    if (!body.is_object() || !body.contains("author") || !body["author"].is_string() ||
        !body.contains("commentary") || !body["commentary"].is_string() ||
        !body.contains("lifecycleState") || !body.contains("distribution") ||
        !body.contains("visibility")) {
        return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                        "/author, /commentary, /visibility, /distribution and /lifecycleState "
                        "are required");
    }
    const std::string author = body["author"];
    if (!can_act_as(member, author)) {
        return li_error(403, 100, "ACCESS_DENIED",
                        "Not enough permissions to access: partnerApiPostsExternal.CREATE");
    }
    const std::string commentary = body["commentary"];
    if (commentary.size() > 3000 * 4) {  // bytes: a cheap upper bound first
        return li_error(422, 100, "UNPROCESSABLE_ENTITY", "commentary is too long");
    }
    std::size_t units = 0;
    for (const char ch : commentary) {
        const auto c = static_cast<unsigned char>(ch);
        units += (c & 0xC0U) != 0x80U ? ((c >= 0xF0U) ? 2U : 1U) : 0U;  // UTF-16 units
    }
    if (units > 3000) {
        return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                        "/commentary length " + std::to_string(units) + " exceeds 3000");
    }
    const auto now = now_ms();
    for (const auto& p : m_posts) {
        if (!p.deleted && p.author == author && p.commentary == commentary &&
            now - p.created_ms <
                std::chrono::duration_cast<std::chrono::milliseconds>(k_duplicate_window).count()) {
            return li_error(422, 100, "DUPLICATE_POST",
                            "Content is a duplicate of " + p.id);  // [U] exact body
        }
    }
    Json content = body.contains("content") ? body["content"] : Json();
    auto image_ok = [&](const Json& img) {
        if (!img.is_object() || !img.contains("id") || !img["id"].is_string()) {
            return false;
        }
        for (const auto& [id, image] : m_images) {
            if (image.urn == img["id"] && image.uploaded && image.owner == author) {
                return true;
            }
        }
        return false;
    };
    if (content.is_object()) {
        if (content.contains("media") && !image_ok(content["media"])) {
            return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                            "/content/media/id is not an uploaded image of the author");
        }
        if (content.contains("multiImage")) {
            const Json& images = content["multiImage"].value("images", Json::array());
            if (!images.is_array() || images.size() < 2 || images.size() > 20 ||
                !std::all_of(images.begin(), images.end(), image_ok)) {
                return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                                "/content/multiImage/images needs 2 to 20 uploaded images");
            }
        }
        if (content.contains("article")) {
            const std::string source = content["article"].value("source", "");
            if (source.rfind("http://", 0) != 0 && source.rfind("https://", 0) != 0) {
                return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                                "/content/article/source must be a URL");
            }
        }
    }
    Post p;
    p.id = "urn:li:share:" + std::to_string(m_next_post++);
    p.author = author;
    p.commentary = commentary;
    p.text = render_little(commentary);
    p.content = std::move(content);
    p.created_ms = now;
    m_posts.push_back(p);
    return LiReply{201, nullptr, {{m_config.id_header, p.id}}};
}

LiReply LinkedInState::list_posts(const std::string& member, const std::string& author,
                                  std::size_t start, std::size_t count) {
    std::lock_guard lock(m_mutex);
    if (!can_act_as(member, author)) {
        return li_error(403, 100, "ACCESS_DENIED",
                        "Not enough permissions to access: posts.FINDER-author");
    }
    if (author == member && m_config.restricted_member_posts) {
        return li_error(403, 100, "ACCESS_DENIED",
                        "Not enough permissions to access: posts.FINDER-author (r_member_social)");
    }
    std::vector<const Post*> mine;
    for (const auto& p : m_posts) {
        if (p.author == author && !p.deleted) {
            mine.push_back(&p);
        }
    }
    std::reverse(mine.begin(), mine.end());  // most recently modified first
    Json elements = Json::array();
    for (std::size_t i = start; i < mine.size() && elements.size() < count; ++i) {
        elements.push_back(post_json(*mine[i]));
    }
    return LiReply{200,
                   {{"elements", elements},
                    {"paging", {{"start", start}, {"count", count}, {"links", Json::array()}}}},
                   {}};
}

LiReply LinkedInState::init_upload(const std::string& member, const Json& body) {
    std::lock_guard lock(m_mutex);
    const Json req = body.is_object() ? body.value("initializeUploadRequest", Json()) : Json();
    const std::string owner = req.is_object() ? req.value("owner", "") : "";
    if (owner.empty()) {
        return li_error(422, 100, "UNPROCESSABLE_ENTITY",
                        "/initializeUploadRequest/owner is required");
    }
    if (!can_act_as(member, owner)) {
        return li_error(403, 100, "ACCESS_DENIED", "Not enough permissions to access: images");
    }
    const std::string id = std::to_string(m_next_image++);
    Image image{"urn:li:image:D4E10AQ" + id, owner, false, 0};
    m_images[id] = image;
    const auto expires = now_ms() + 24 * 3600 * 1000;
    return LiReply{200,
                   {{"value",
                     {{"uploadUrlExpiresAt", expires},
                      {"uploadUrl", m_base + "/dms-uploads/images/" + id + "?ca=vector_feedshare"},
                      {"image", image.urn}}}},
                   {}};
}

LiReply LinkedInState::upload(const std::string& id, std::size_t bytes) {
    std::lock_guard lock(m_mutex);
    const auto it = m_images.find(id);
    if (it == m_images.end()) {
        return li_error(404, 0, "NOT_FOUND", "no such upload");
    }
    if (bytes == 0) {
        return li_error(400, 0, "BAD_REQUEST", "empty upload");
    }
    it->second.uploaded = true;
    it->second.bytes = bytes;
    return LiReply{201, nullptr, {}};
}

LiReply LinkedInState::userinfo(const std::string& member) {
    return LiReply{200,
                   {{"sub", member.substr(member.rfind(':') + 1)},
                    {"name", "Alice Martin"},
                    {"given_name", "Alice"},
                    {"family_name", "Martin"},
                    {"locale", {{"country", "FR"}, {"language", "fr"}}}},
                   {}};
}

LiReply LinkedInState::organization(const std::string& member, const std::string& id) {
    if (std::string("urn:li:organization:") + id != k_org) {
        return li_error(404, 0, "NOT_FOUND", "Organization " + id + " not found");
    }
    if (!can_act_as(member, k_org)) {
        return li_error(403, 100, "ACCESS_DENIED", "Not enough permissions");
    }
    return LiReply{
        200,
        {{"id", std::stoll(id)}, {"localizedName", "Atelier Test"}, {"vanityName", "atelier-test"}},
        {}};
}

LiReply LinkedInState::share_statistics(const std::string& member, const std::string& org,
                                        const std::vector<std::string>& urns) {
    std::lock_guard lock(m_mutex);
    if (org != k_org || !can_act_as(member, org)) {
        return li_error(403, 100, "ACCESS_DENIED",
                        "Not enough permissions to access: organizationalEntityShareStatistics");
    }
    Json elements = Json::array();
    for (const auto& urn : urns) {
        const Post* p = find_post(urn);
        if (p == nullptr || p->deleted || p->author != org) {
            continue;
        }
        const long engaged = p->clicks + p->likes + p->comments + p->shares;
        const double engagement =
            p->impressions > 0 ? static_cast<double>(engaged) / static_cast<double>(p->impressions)
                               : 0.0;
        elements.push_back({{"organizationalEntity", org},
                            {urn.find(":ugcPost:") != std::string::npos ? "ugcPost" : "share", urn},
                            {"totalShareStatistics",
                             {{"uniqueImpressionsCount", p->impressions / 2},
                              {"shareCount", p->shares},
                              {"engagement", engagement},
                              {"clickCount", p->clicks},
                              {"likeCount", p->likes},
                              {"impressionCount", p->impressions},
                              {"commentCount", p->comments}}}});
    }
    return LiReply{200, {{"elements", elements}, {"paging", {{"start", 0}, {"count", 10}}}}, {}};
}

LiReply LinkedInState::network_size(const std::string& member, const std::string& urn,
                                    const std::string& edge) {
    std::lock_guard lock(m_mutex);
    if (edge == "CompanyFollowedByMember") {  // the pre-202305 spelling (§3.5 [C])
        return li_error(400, 100, "ILLEGAL_ARGUMENT", "Invalid edgeType CompanyFollowedByMember");
    }
    if (edge != "COMPANY_FOLLOWED_BY_MEMBER" || urn != k_org) {
        return li_error(400, 100, "ILLEGAL_ARGUMENT",
                        "edgeType COMPANY_FOLLOWED_BY_MEMBER "
                        "needs an organization");
    }
    if (!can_act_as(member, urn)) {
        return li_error(403, 100, "ACCESS_DENIED", "Not enough permissions");
    }
    return LiReply{200, {{"firstDegreeSize", m_followers}}, {}};
}

LiReply LinkedInState::social_actions(const std::string& urn) {
    std::lock_guard lock(m_mutex);
    const Post* p = find_post(urn);
    if (p == nullptr || p->deleted) {
        return li_error(404, 0, "NOT_FOUND", "Not Found");
    }
    return LiReply{
        200,
        {{"target", urn},
         {"likesSummary", {{"totalLikes", p->likes}, {"likedByCurrentUser", false}}},
         {"commentsSummary",
          {{"aggregatedTotalComments", p->comments}, {"totalFirstLevelComments", p->comments}}}},
        {}};
}

std::string LinkedInState::issue_access() {
    std::string t = "li-access-" + std::to_string(m_next_token++) + "-fake";
    m_tokens[t] = Token{Clock::now() + k_access_life, false};
    return t;
}

LiReply LinkedInState::token(const std::map<std::string, std::string>& form) {
    std::lock_guard lock(m_mutex);
    auto field = [&](const char* k) {
        const auto it = form.find(k);
        return it == form.end() ? std::string() : it->second;
    };
    if (field("client_id") != m_config.client_id ||
        field("client_secret") != m_config.client_secret) {
        return LiReply{
            401,
            {{"error", "invalid_client"}, {"error_description", "Client authentication failed"}},
            {}};
    }
    const std::string grant = field("grant_type");
    Json answer = {{"expires_in", std::chrono::seconds(k_access_life).count()},
                   {"scope", "openid,profile,w_member_social"}};
    if (grant == "authorization_code") {
        if (field("code").empty() || field("redirect_uri").empty()) {
            return LiReply{400,
                           {{"error", "invalid_request"},
                            {"error_description", "code and redirect_uri are required"}},
                           {}};
        }
        answer["access_token"] = issue_access();
        if (!m_config.refresh_tokens.empty()) {  // partner apps only
            const std::string r = "li-refresh-" + std::to_string(m_next_token++) + "-fake";
            m_refresh[r] = Clock::now() + k_refresh_life;
            answer["refresh_token"] = r;
            answer["refresh_token_expires_in"] = seconds_until(m_refresh[r]);
        }
        return LiReply{200, answer, {}};
    }
    if (grant == "refresh_token") {
        const std::string r = field("refresh_token");
        const auto it = m_refresh.find(r);
        if (it == m_refresh.end() || Clock::now() >= it->second) {
            return LiReply{400,
                           {{"error", "invalid_grant"},
                            {"error_description", "The provided refresh token is invalid"}},
                           {}};
        }
        answer["access_token"] = issue_access();
        answer["refresh_token"] = r;  // the same token, its TTL not extended (§3.1 [V])
        answer["refresh_token_expires_in"] = seconds_until(it->second);
        return LiReply{200, answer, {}};
    }
    return LiReply{400,
                   {{"error", "unsupported_grant_type"},
                    {"error_description", "grant_type " + grant + " is not supported"}},
                   {}};
}

LiReply LinkedInState::set_stats(const Json& body) {
    std::lock_guard lock(m_mutex);
    Post* p = find_post(body.value("post", ""));
    if (p == nullptr) {
        return li_error(404, 0, "NOT_FOUND", "no such post");
    }
    p->likes = body.value("likes", p->likes);
    p->comments = body.value("comments", p->comments);
    p->shares = body.value("shares", p->shares);
    p->impressions = body.value("impressions", p->impressions);
    p->clicks = body.value("clicks", p->clicks);
    return LiReply{200, post_json(*p), {}};
}

LiReply LinkedInState::set_followers(const Json& body) {
    std::lock_guard lock(m_mutex);
    m_followers = body.value("count", m_followers);
    return LiReply{200, {{"firstDegreeSize", m_followers}}, {}};
}

LiReply LinkedInState::expire_token(const Json& body) {
    std::lock_guard lock(m_mutex);
    const auto it = m_tokens.find(body.value("token", ""));
    if (it == m_tokens.end()) {
        return li_error(404, 0, "NOT_FOUND", "no such token");
    }
    it->second.expires = Clock::now() - std::chrono::seconds(1);
    return LiReply{200, {{"expired", true}}, {}};
}

LiReply LinkedInState::set_daily_limit(const Json& body) {
    std::lock_guard lock(m_mutex);
    m_config.daily_limit = body.value("limit", m_config.daily_limit);
    m_budget.clear();
    return LiReply{200, {{"limit", m_config.daily_limit}}, {}};
}

LiReply LinkedInState::delete_post(const Json& body) {
    std::lock_guard lock(m_mutex);
    Post* p = find_post(body.value("id", ""));
    if (p == nullptr) {
        return li_error(404, 0, "NOT_FOUND", "no such post");
    }
    p->deleted = true;
    return LiReply{200, {{"deleted", p->id}}, {}};
}

Json LinkedInState::dump() {
    std::lock_guard lock(m_mutex);
    Json posts = Json::array();
    for (const auto& p : m_posts) {
        Json j = post_json(p);
        j["text"] = p.text;
        j["deleted"] = p.deleted;
        posts.push_back(std::move(j));
    }
    Json images = Json::array();
    for (const auto& [id, i] : m_images) {
        images.push_back(
            {{"urn", i.urn}, {"owner", i.owner}, {"uploaded", i.uploaded}, {"bytes", i.bytes}});
    }
    return {{"posts", posts}, {"images", images}, {"followers", m_followers}};
}

}  // namespace cmtool::fakes
