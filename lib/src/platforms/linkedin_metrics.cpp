// LinkedIn metrics (platforms.md §3.5, docs/networks/linkedin.md#metrics):
// - organizations: followers from GET /rest/networkSizes/<org>?edgeType=COMPANY_FOLLOWED_BY_MEMBER,
//   post counters from GET /rest/organizationalEntityShareStatistics?q=organizationalEntity with
//   shares=List(...) / ugcPosts=List(...) batches (lifetime totals of organic activity);
// - members: no follower count for ordinary apps [U] and no impressions; likes and comments per
//   post from GET /rest/socialActions/<post> [C], one request each;
// - both: the author's posts (GET /rest/posts?q=author) list unplanned posts without counters
//   (timeline_counts() false: the puller asks for their counters in batches). A post missing
//   from a statistics answer is asked for alone through socialActions, whose 404 means deleted.
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/linkedin_api.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

namespace {

using nlohmann::json;
using namespace linkedin;

// Posts per share-statistics request. LinkedIn states no maximum for List(...) [U]; 20 keeps
// URLs short. One constant to change.
constexpr std::size_t k_batch = 20;
constexpr int k_page = 50;  // posts per page of the author's posts
constexpr std::chrono::milliseconds k_timeout{30000};

std::chrono::sys_seconds from_millis(std::optional<std::int64_t> ms) {
    return ms ? std::chrono::sys_seconds(std::chrono::seconds(*ms / 1000))
              : std::chrono::sys_seconds{};
}

// "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)": Rest.li 2.0 lists, the URNs encoded (§3.5).
std::string restli_list(const std::vector<std::string>& urns) {
    std::string out = "List(";
    for (std::size_t i = 0; i < urns.size(); ++i) {
        out += (i == 0 ? "" : ",") + net::url_encode(urns[i]);
    }
    return out + ")";
}

class LinkedInMetrics final : public MetricsSource {
  public:
    LinkedInMetrics(const AdapterContext& ctx, std::string base, std::string author,
                    std::string version)
        : m_ctx(ctx),
          m_base(std::move(base)),
          m_author(std::move(author)),
          m_version(std::move(version)),
          m_tokens(ctx) {}

    Platform platform() const override { return Platform::linkedin; }
    std::string base_url() const override { return m_base; }
    bool timeline_counts() const override { return false; }

    Result<void> prepare() override {
        auto tok = m_tokens.get();
        if (!tok) {
            return fail(std::move(tok).error());
        }
        m_token = *tok;
        return {};
    }

    Result<void> renew() override {
        auto fresh = m_tokens.renew_after_401(m_token);
        if (!fresh) {
            return fail(std::move(fresh).error());
        }
        m_token = *fresh;
        return {};
    }

    std::optional<AccountAnswer> prepared_account() const override {
        if (is_organization(m_author)) {
            return std::nullopt;
        }
        // A member's follower count has no endpoint for ordinary apps [U]: nothing to ask, and
        // every counter is recorded as not provided (NULL).
        return AccountAnswer{};
    }

    net::HttpRequest account_request() const override {
        return request("/rest/networkSizes/" + net::url_encode(m_author) +
                       "?edgeType=COMPANY_FOLLOWED_BY_MEMBER");
    }

    AccountAnswer read_account(const Result<net::HttpResponse>& response) const override {
        AccountAnswer a;
        a.answer = classify(response, a.message, "GET /rest/networkSizes");
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        a.counters.followers = util::json_int(j, "firstDegreeSize");
        if (!a.counters.followers) {
            a.answer = Answer::failed;
            a.message = "GET /rest/networkSizes: malformed answer (no firstDegreeSize)";
        }
        return a;
    }

    std::size_t batch_size() const override { return is_organization(m_author) ? k_batch : 1; }

    net::HttpRequest batch_request(const std::vector<std::string>& ids) const override {
        if (!is_organization(m_author)) {
            return single_request(ids.front());
        }
        std::vector<std::string> shares, ugc;
        for (const auto& id : ids) {
            (id.starts_with("urn:li:ugcPost:") ? ugc : shares).push_back(id);
        }
        std::string q =
            "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            "&organizationalEntity=" +
            net::url_encode(m_author);
        if (!shares.empty()) {
            q += "&shares=" + restli_list(shares);
        }
        if (!ugc.empty()) {
            q += "&ugcPosts=" + restli_list(ugc);
        }
        return request(q);
    }

    PostsAnswer read_batch(const Result<net::HttpResponse>& response) const override {
        if (!is_organization(m_author)) {
            if (response && response->status == 404) {
                return PostsAnswer{};  // asked alone next, where 404 means deleted
            }
            return read_single(response);
        }
        const std::string what = "GET /rest/organizationalEntityShareStatistics";
        PostsAnswer a;
        a.answer = classify(response, a.message, what);
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        const auto elements = j.is_object() ? j.find("elements") : j.end();
        if (!j.is_object() || elements == j.end() || !elements->is_array()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer (no elements)";
            return a;
        }
        for (const auto& e : *elements) {
            std::string id = util::json_string(e, "share");
            id = id.empty() ? util::json_string(e, "ugcPost") : id;
            const auto stats = e.find("totalShareStatistics");
            if (id.empty() || stats == e.end() || !stats->is_object()) {
                continue;
            }
            RemotePost p;
            p.remote_id = id;
            p.url = "https://www.linkedin.com/feed/update/" + id;
            p.counters.likes = util::json_int(*stats, "likeCount");
            p.counters.reposts = util::json_int(*stats, "shareCount");
            p.counters.replies = util::json_int(*stats, "commentCount");
            p.counters.views = util::json_int(*stats, "impressionCount");
            a.posts.push_back(std::move(p));
        }
        return a;
    }

    net::HttpRequest single_request(const std::string& id) const override {
        return request("/rest/socialActions/" + net::url_encode(id));
    }

    PostsAnswer read_single(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && (response->status == 404 || response->status == 410)) {
            a.answer = Answer::gone;
            return a;
        }
        const std::string what = "GET /rest/socialActions";
        a.answer = classify(response, a.message, what);
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer";
            return a;
        }
        RemotePost p;
        p.remote_id = util::json_string(j, "target");
        if (const auto likes = j.find("likesSummary"); likes != j.end()) {
            p.counters.likes = util::json_int(*likes, "totalLikes");
        }
        if (const auto comments = j.find("commentsSummary"); comments != j.end()) {
            p.counters.replies = util::json_int(*comments, "aggregatedTotalComments");
            if (!p.counters.replies) {
                p.counters.replies = util::json_int(*comments, "totalFirstLevelComments");
            }
        }
        if (!p.remote_id.empty()) {
            p.url = "https://www.linkedin.com/feed/update/" + p.remote_id;
        }
        a.posts.push_back(std::move(p));
        return a;
    }

    net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const override {
        return request(
            fmt::format("/rest/posts?q=author&author={}&sortBy=LAST_MODIFIED&start={}"
                        "&count={}",
                        net::url_encode(m_author), cursor.value_or("0"), k_page));
    }

    PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const override {
        const std::string what = "GET /rest/posts?q=author";
        PostsAnswer a;
        if (response && response->status == 403) {
            // Members' posts need r_member_social (restricted): unplanned posts are not found;
            // the ones cmtool published are still pulled.
            a.answer = Answer::unsupported;
            a.message = describe(what, *response);
            return a;
        }
        a.answer = classify(response, a.message, what);
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        const auto elements = j.is_object() ? j.find("elements") : j.end();
        if (!j.is_object() || elements == j.end() || !elements->is_array()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer (no elements)";
            return a;
        }
        for (const auto& e : *elements) {
            RemotePost p;
            p.remote_id = util::json_string(e, "id");
            if (p.remote_id.empty()) {
                continue;
            }
            p.url = "https://www.linkedin.com/feed/update/" + p.remote_id;
            p.excerpt = excerpt_of(unescape_little(util::json_string(e, "commentary")));
            const auto published = util::json_int(e, "publishedAt");
            p.published_at = from_millis(published ? published : util::json_int(e, "createdAt"));
            a.posts.push_back(std::move(p));
        }
        if (elements->size() >= static_cast<std::size_t>(k_page)) {
            std::size_t start = 0;
            if (const auto s = util::json_int(j.value("paging", json::object()), "start")) {
                start = static_cast<std::size_t>(*s);
            }
            a.cursor = std::to_string(start + elements->size());
        }
        return a;
    }

    net::RateLimit rate_limit(const net::HttpResponse& response, net::SysTime now) const override {
        return net::parse_linkedin_rate_limit(response, now);
    }

    store::FieldMap post_fields() const override {
        if (is_organization(m_author)) {
            return {"linkedin",
                    "likes=totalShareStatistics.likeCount|likesSummary.totalLikes;"
                    "reposts=totalShareStatistics.shareCount;"
                    "replies=totalShareStatistics.commentCount|"
                    "commentsSummary.aggregatedTotalComments;"
                    "views=totalShareStatistics.impressionCount"};
        }
        return {"linkedin",
                "likes=likesSummary.totalLikes;replies=commentsSummary.aggregatedTotalComments"};
    }

    store::FieldMap account_fields() const override {
        return {"linkedin", is_organization(m_author) ? "followers=firstDegreeSize" : ""};
    }

    std::string redact(std::string text) const override {
        auto secrets = m_ctx.credentials.known_secrets();
        secrets.push_back(m_token);
        return net::redact_text(std::move(text), secrets);
    }

  private:
    net::HttpRequest request(const std::string& path_and_query) const {
        return make_request("GET", m_base + path_and_query, m_token, m_version, k_timeout);
    }

    Answer classify(const Result<net::HttpResponse>& response, std::string& message,
                    const std::string& what) const {
        const Answer a = classify_answer(response, message, what);
        if (a == Answer::failed && response) {
            message = describe(what, *response);
            if (version_refused(*response)) {
                message += ": " + version_hint(m_ctx.account, m_version);
            }
        }
        return a;
    }

    AdapterContext m_ctx;
    std::string m_base;
    std::string m_author;
    std::string m_version;
    Tokens m_tokens;
    std::string m_token;
};

}  // namespace

Result<std::unique_ptr<MetricsSource>> make_linkedin_metrics(const AdapterContext& ctx) {
    auto author = author_of(ctx.account);
    if (!author) {
        return fail(std::move(author).error());
    }
    auto version = version_of(ctx.account);
    if (!version) {
        return fail(std::move(version).error());
    }
    return std::unique_ptr<MetricsSource>(
        std::make_unique<LinkedInMetrics>(ctx, api_base(ctx.account), *author, *version));
}

}  // namespace cmtool::platforms
