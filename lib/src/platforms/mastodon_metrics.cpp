// Mastodon metrics (platforms.md §1.5): verify_credentials for the account's counters and id,
// batches of GET /api/v1/statuses?id[]= (4.3+; older instances answer 404 and get one
// GET /api/v1/statuses/:id per post), and the account's own statuses for unplanned posts.
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/mastodon_text.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

namespace {

using nlohmann::json;

// Ids per batch. The documentation gives no maximum for id[] [U]; 20 is Mastodon's usual page
// size and keeps URLs short. One constant to change.
constexpr std::size_t k_batch = 20;
constexpr int k_page = 40;  // statuses per timeline page (max 40, §1.6)
constexpr std::chrono::milliseconds k_timeout{30000};

std::optional<RemotePost> read_status(const json& s) {
    if (!s.is_object() || util::json_string(s, "id").empty()) {
        return std::nullopt;
    }
    RemotePost p;
    p.remote_id = util::json_string(s, "id");
    p.url = util::json_string(s, "url");
    p.excerpt = excerpt_of(mastodon::html_to_text(util::json_string(s, "content")));
    p.published_at =
        parse_created_at(util::json_string(s, "created_at")).value_or(std::chrono::sys_seconds{});
    p.counters.likes = util::json_int(s, "favourites_count");
    p.counters.reposts = util::json_int(s, "reblogs_count");
    p.counters.replies = util::json_int(s, "replies_count");
    p.counters.quotes = util::json_int(s, "quotes_count");  // 4.5+: before, unavailable (not 0)
    const auto reply = s.find("in_reply_to_id");
    p.reply = reply != s.end() && !reply->is_null();
    return p;
}

class MastodonMetrics final : public MetricsSource {
  public:
    MastodonMetrics(const AdapterContext& ctx, std::string base)
        : m_ctx(ctx), m_base(std::move(base)) {}

    Platform platform() const override { return Platform::mastodon; }
    std::string base_url() const override { return m_base; }

    Result<void> prepare() override {
        auto secret = m_ctx.credentials.get(m_ctx.account, "token");
        if (!secret) {
            return fail(std::move(secret).error());
        }
        if (!*secret || (*secret)->empty()) {
            return fail(ErrorCode::config,
                        "no access token for Mastodon account " + m_ctx.account.name,
                        "set " + credential_env_name(m_ctx.account.name, "token") +
                            " or run `cmtool auth login " + m_ctx.account.name + "`");
        }
        m_token = **secret;
        // The account id (for its statuses) comes with its counters: one request.
        const auto r = m_ctx.http.send(request("/api/v1/accounts/verify_credentials"));
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
        // A Mastodon token is not refreshed: refused once, refused again.
        return fail(ErrorCode::auth, "the access token of " + m_ctx.account.name + " was refused",
                    token_hint());
    }

    std::optional<AccountAnswer> prepared_account() const override { return m_account; }

    net::HttpRequest account_request() const override {
        return request("/api/v1/accounts/verify_credentials");
    }

    AccountAnswer read_account(const Result<net::HttpResponse>& response) const override {
        AccountAnswer a;
        a.answer = classify_answer(response, a.message, "GET /api/v1/accounts/verify_credentials");
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object() || util::json_string(j, "id").empty()) {
            a.answer = Answer::failed;
            a.message = "GET /api/v1/accounts/verify_credentials: malformed answer";
            return a;
        }
        m_account_id = util::json_string(j, "id");
        a.counters.followers = util::json_int(j, "followers_count");
        a.counters.following = util::json_int(j, "following_count");
        a.counters.posts = util::json_int(j, "statuses_count");
        return a;
    }

    std::size_t batch_size() const override { return k_batch; }

    net::HttpRequest batch_request(const std::vector<std::string>& ids) const override {
        net::FieldList q;
        for (const auto& id : ids) {
            q.emplace_back("id[]", id);
        }
        return request(net::append_query("/api/v1/statuses", q));
    }

    PostsAnswer read_batch(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && response->status == 404) {
            a.answer = Answer::unsupported;  // before 4.3 there is no GET /api/v1/statuses
            a.message = "GET /api/v1/statuses: HTTP 404 (an instance older than 4.3)";
            return a;
        }
        return read_list(response, "GET /api/v1/statuses");
    }

    net::HttpRequest single_request(const std::string& id) const override {
        return request("/api/v1/statuses/" + net::url_encode(id));
    }

    PostsAnswer read_single(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && (response->status == 404 || response->status == 410)) {
            a.answer = Answer::gone;
            return a;
        }
        a.answer = classify_answer(response, a.message, "GET /api/v1/statuses/:id");
        if (a.answer == Answer::ok) {
            if (auto p = read_status(json::parse(response->body, nullptr, false))) {
                a.posts.push_back(std::move(*p));
            } else {
                a.answer = Answer::failed;
                a.message = "GET /api/v1/statuses/:id: malformed answer";
            }
        }
        return a;
    }

    net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const override {
        net::FieldList q{{"limit", std::to_string(k_page)}, {"exclude_reblogs", "true"}};
        if (cursor) {
            q.emplace_back("max_id", *cursor);
        }
        return request(net::append_query(
            "/api/v1/accounts/" + net::url_encode(m_account_id) + "/statuses", q));
    }

    PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a = read_list(response, "GET /api/v1/accounts/:id/statuses");
        if (a.answer == Answer::ok && a.posts.size() >= static_cast<std::size_t>(k_page)) {
            a.cursor = a.posts.back().remote_id;  // max_id: older than the last one seen
        }
        return a;
    }

    net::RateLimit rate_limit(const net::HttpResponse& response, net::SysTime) const override {
        return net::parse_mastodon_rate_limit(response);
    }

    store::FieldMap post_fields() const override {
        return {"mastodon",
                "likes=favourites_count;reposts=reblogs_count;replies=replies_count;"
                "quotes=quotes_count"};
    }

    store::FieldMap account_fields() const override {
        return {"mastodon",
                "followers=followers_count;following=following_count;posts=statuses_count"};
    }

    std::string redact(std::string text) const override {
        return net::redact_text(std::move(text), {m_token});
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
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_array()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer (not a list)";
            return a;
        }
        for (const auto& s : j) {
            if (auto p = read_status(s)) {
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
    mutable std::string m_account_id;
    std::optional<AccountAnswer> m_account;
};

}  // namespace

Result<std::unique_ptr<MetricsSource>> make_mastodon_metrics(const AdapterContext& ctx) {
    const std::string base = api_base(ctx.account);
    if (base.empty()) {
        return fail(ErrorCode::config,
                    "Mastodon account " + ctx.account.name + " has no `instance` setting",
                    "add `instance: https://<your instance>` to the account in cmtool.yaml");
    }
    return std::unique_ptr<MetricsSource>(std::make_unique<MastodonMetrics>(ctx, base));
}

}  // namespace cmtool::platforms
