// X metrics (platforms.md §4.5): GET /2/users/me?user.fields=public_metrics for the account's
// counters and id, GET /2/tweets?ids= batches of up to 100 with tweet.fields=public_metrics, a
// single GET /2/tweets/:id to tell a deleted post (resource-not-found), and the account's own
// posts (GET /2/users/:id/tweets) to discover unplanned ones. Counters are read under both
// spellings of the v2.167 spec drift (§4.0): retweet_count or repost_count, tweet_count or
// post_count; the field actually present is what metric_sources records.
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/metrics_sources.hpp"
#include "platforms/x_adapter.hpp"

namespace cmtool::platforms {

namespace {

using nlohmann::json;

constexpr std::size_t k_batch = 100;  // GET /2/tweets ids: 1-100 (§4.5)
constexpr int k_page = 100;           // GET /2/users/:id/tweets max_results: 5-100 (§4.6)
constexpr std::chrono::milliseconds k_timeout{30000};
constexpr const char* k_tweet_fields =
    "public_metrics,created_at,conversation_id,referenced_tweets";

// The first of `keys` present as an integer.
store::Count first_int(const json& j, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        if (auto v = util::json_int(j, key)) {
            return v;
        }
    }
    return std::nullopt;
}

std::optional<RemotePost> read_post(const json& t, const std::string& username) {
    if (!t.is_object() || util::json_string(t, "id").empty()) {
        return std::nullopt;
    }
    RemotePost p;
    p.remote_id = util::json_string(t, "id");
    p.url = "https://x.com/" + (username.empty() ? std::string("i/web") : username) + "/status/" +
            p.remote_id;
    p.excerpt = excerpt_of(x::normalise_for_match(util::json_string(t, "text")));
    p.published_at =
        parse_created_at(util::json_string(t, "created_at")).value_or(std::chrono::sys_seconds{});
    const json m = t.value("public_metrics", json::object());
    p.counters.likes = util::json_int(m, "like_count");
    p.counters.reposts = first_int(m, {"retweet_count", "repost_count"});
    p.counters.replies = util::json_int(m, "reply_count");
    p.counters.quotes = util::json_int(m, "quote_count");
    p.counters.bookmarks = util::json_int(m, "bookmark_count");
    p.counters.views = util::json_int(m, "impression_count");
    for (const char* key : {"referenced_tweets", "referenced_posts"}) {
        for (const json& r : t.value(key, json::array())) {
            p.reply = p.reply || util::json_string(r, "type") == "replied_to";
        }
    }
    return p;
}

bool not_found_error(const json& body) {
    for (const json& e : body.value("errors", json::array())) {
        if (util::json_string(e, "type").ends_with("/resource-not-found")) {
            return true;
        }
    }
    return false;
}

class XMetrics final : public MetricsSource {
  public:
    XMetrics(const AdapterContext& ctx, std::string base) : m_ctx(ctx), m_base(std::move(base)) {}

    Platform platform() const override { return Platform::x; }
    std::string base_url() const override { return m_base; }

    Result<void> prepare() override {
        auto tok = oauth::access_token(m_ctx);
        if (!tok) {
            return fail(std::move(tok).error());
        }
        m_token = std::move(*tok);
        auto r = m_ctx.http.send(account_request());
        if (r && r->status == 401) {
            if (auto renewed = renew(); renewed) {
                r = m_ctx.http.send(account_request());
            }
        }
        m_account = read_account(r);
        if (m_account->answer == Answer::rate_limited) {
            return fail(ErrorCode::rate_limited, m_account->message,
                        "the rate limit is spent: everything is left for the next run");
        }
        if (m_account->answer != Answer::ok) {
            const bool refused = m_account->answer == Answer::auth;
            return fail(refused ? ErrorCode::auth : ErrorCode::network, m_account->message,
                        refused ? token_hint() : std::string());
        }
        return {};
    }

    Result<void> renew() override {
        auto fresh = oauth::renew(m_ctx, m_token);
        if (!fresh) {
            return fail(std::move(fresh).error());
        }
        m_token = fresh->access_token;
        return {};
    }

    std::optional<AccountAnswer> prepared_account() const override { return m_account; }

    net::HttpRequest account_request() const override {
        return request(std::string(x::k_me_path) + "?user.fields=public_metrics");
    }

    AccountAnswer read_account(const Result<net::HttpResponse>& response) const override {
        AccountAnswer a;
        a.answer = classify_answer(response, a.message, "GET /2/users/me");
        if (a.answer != Answer::ok) {
            a.message = redact(a.message);
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        const json data = j.is_object() ? j.value("data", json::object()) : json::object();
        if (util::json_string(data, "id").empty()) {
            a.answer = Answer::failed;
            a.message = "GET /2/users/me: malformed answer";
            return a;
        }
        m_user_id = util::json_string(data, "id");
        m_username = util::json_string(data, "username");
        const json m = data.value("public_metrics", json::object());
        a.counters.followers = util::json_int(m, "followers_count");
        a.counters.following = util::json_int(m, "following_count");
        a.counters.posts = first_int(m, {"tweet_count", "post_count"});
        return a;
    }

    std::size_t batch_size() const override { return k_batch; }

    net::HttpRequest batch_request(const std::vector<std::string>& ids) const override {
        std::string list;
        for (const auto& id : ids) {
            list += (list.empty() ? "" : ",") + id;
        }
        return request(
            net::append_query(x::k_tweets_path, {{"ids", list}, {"tweet.fields", k_tweet_fields}}));
    }

    PostsAnswer read_batch(const Result<net::HttpResponse>& response) const override {
        // Partial answers are 200 with data and errors[] (§4.8): the missing ones are asked
        // for one by one, which tells deleted from hidden.
        return read_list(response, "GET /2/tweets");
    }

    net::HttpRequest single_request(const std::string& id) const override {
        return request(net::append_query(std::string(x::k_tweets_path) + "/" + net::url_encode(id),
                                         {{"tweet.fields", k_tweet_fields}}));
    }

    PostsAnswer read_single(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && response->status == 404) {
            a.answer = Answer::gone;
            return a;
        }
        a.answer = classify_answer(response, a.message, "GET /2/tweets/:id");
        if (a.answer != Answer::ok) {
            a.message = redact(a.message);
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (j.is_object() && j.contains("data")) {
            if (auto p = read_post(j["data"], m_username)) {
                a.posts.push_back(std::move(*p));
                return a;
            }
        }
        if (j.is_object() && not_found_error(j)) {
            a.answer = Answer::gone;  // 200 with a resource-not-found error: deleted
            return a;
        }
        a.answer = Answer::failed;
        a.message = "GET /2/tweets/:id: malformed answer";
        return a;
    }

    net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const override {
        net::FieldList q{{"max_results", std::to_string(k_page)}, {"tweet.fields", k_tweet_fields}};
        if (cursor) {
            q.emplace_back("pagination_token", *cursor);
        }
        return request(net::append_query("/2/users/" + net::url_encode(m_user_id) + "/tweets", q));
    }

    PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a = read_list(response, "GET /2/users/:id/tweets");
        if (a.answer == Answer::ok) {
            const json j = json::parse(response->body, nullptr, false);
            const std::string next = util::json_string(
                j.is_object() ? j.value("meta", json::object()) : json(), "next_token");
            if (!next.empty()) {
                a.cursor = next;
            }
        }
        return a;
    }

    net::RateLimit rate_limit(const net::HttpResponse& response, net::SysTime) const override {
        return net::parse_x_rate_limit(response);
    }

    store::FieldMap post_fields() const override {
        return {"x",
                "likes=like_count;reposts=retweet_count|repost_count;replies=reply_count;"
                "quotes=quote_count;bookmarks=bookmark_count;views=impression_count"};
    }

    store::FieldMap account_fields() const override {
        return {"x",
                "followers=followers_count;following=following_count;posts=tweet_count|"
                "post_count"};
    }

    std::string redact(std::string text) const override {
        std::vector<std::string> secrets = m_ctx.credentials.known_secrets();
        secrets.push_back(m_token);
        return net::redact_text(std::move(text), secrets);
    }

  private:
    net::HttpRequest request(const std::string& path_and_query) const {
        net::HttpRequest r;
        r.url = m_base + path_and_query;
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept", "application/json");
        r.headers.emplace_back("Authorization", "Bearer " + m_token);
        return r;
    }

    PostsAnswer read_list(const Result<net::HttpResponse>& response,
                          const std::string& what) const {
        PostsAnswer a;
        a.answer = classify_answer(response, a.message, what);
        if (a.answer != Answer::ok) {
            a.message = redact(a.message);
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer (not an object)";
            return a;
        }
        for (const auto& t : j.value("data", json::array())) {  // absent when nothing matched
            if (auto p = read_post(t, m_username)) {
                a.posts.push_back(std::move(*p));
            }
        }
        return a;
    }

    std::string token_hint() const {
        return "the token may have expired or been revoked: run `cmtool auth login " +
               m_ctx.account.name + "` or set " + credential_env_name(m_ctx.account.name, "token");
    }

    AdapterContext m_ctx;
    std::string m_base;
    std::string m_token;
    mutable std::string m_user_id;
    mutable std::string m_username;
    std::optional<AccountAnswer> m_account;
};

}  // namespace

Result<std::unique_ptr<MetricsSource>> make_x_metrics(const AdapterContext& ctx) {
    std::string base = api_base(ctx.account);
    if (base.empty()) {
        base = x::k_default_api;
    }
    return std::unique_ptr<MetricsSource>(std::make_unique<XMetrics>(ctx, base));
}

}  // namespace cmtool::platforms
