// Bluesky metrics (platforms.md §2.6): app.bsky.actor.getProfile for the account's counters,
// app.bsky.feed.getPosts in batches of 25 URIs, getAuthorFeed for unplanned posts, and
// com.atproto.repo.getRecord to tell a deleted post from one the AppView has not indexed yet.
// Reads go through the account's PDS with its session, which proxies app.bsky.* to the AppView.
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/bluesky_record.hpp"
#include "platforms/bluesky_session.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

namespace {

using nlohmann::json;
using util::json_string;

constexpr std::size_t k_batch = 25;  // getPosts: at most 25 uris (§2.6)
constexpr int k_page = 100;          // getAuthorFeed: limit 1-100

// The counters are optional in the lexicon and absent means none yet (§2.6); bookmarkCount
// is newer, so its absence means "not provided", not 0.
store::Count counter(const json& j, const char* key, bool absent_is_zero) {
    const auto it = j.find(key);
    if (it != j.end() && it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    return absent_is_zero ? store::Count(0) : std::nullopt;
}

// "at://did:plc:x/app.bsky.feed.post/3kx" → "3kx".
std::string rkey_of(const std::string& uri) {
    const auto slash = uri.rfind('/');
    return slash == std::string::npos ? std::string() : uri.substr(slash + 1);
}

std::optional<RemotePost> read_post_view(const json& v) {
    if (!v.is_object() || json_string(v, "uri").empty()) {
        return std::nullopt;
    }
    RemotePost p;
    p.remote_id = json_string(v, "uri");
    const json author = v.value("author", json::object());
    p.url = bluesky::post_url(json_string(author, "handle"), rkey_of(p.remote_id));
    const json record = v.value("record", json::object());
    p.excerpt = excerpt_of(json_string(record, "text"));
    p.published_at =
        parse_created_at(json_string(record, "createdAt"))
            .value_or(
                parse_created_at(json_string(v, "indexedAt")).value_or(std::chrono::sys_seconds{}));
    p.counters.likes = counter(v, "likeCount", true);
    p.counters.reposts = counter(v, "repostCount", true);
    p.counters.replies = counter(v, "replyCount", true);
    p.counters.quotes = counter(v, "quoteCount", true);
    p.counters.bookmarks = counter(v, "bookmarkCount", false);
    p.reply = record.contains("reply");
    return p;
}

class BlueskyMetrics final : public MetricsSource {
  public:
    BlueskyMetrics(const AdapterContext& ctx, std::string base, std::string handle)
        : m_ctx(ctx), m_session(m_ctx, std::move(base), std::move(handle)) {}

    Platform platform() const override { return Platform::bluesky; }
    std::string base_url() const override { return m_session.base_url(); }

    Result<void> prepare() override { return as_result(m_session.ensure(), "createSession"); }

    Result<void> renew() override { return as_result(m_session.renew(), "refreshSession"); }

    net::HttpRequest account_request() const override {
        return m_session.request(
            bluesky::query_call("app.bsky.actor.getProfile", {{"actor", m_session.did()}}));
    }

    AccountAnswer read_account(const Result<net::HttpResponse>& response) const override {
        AccountAnswer a;
        a.answer = classify(response, a.message, "getProfile");
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object() || json_string(j, "did").empty()) {
            a.answer = Answer::failed;
            a.message = "getProfile: malformed answer";
            return a;
        }
        a.counters.followers = counter(j, "followersCount", true);
        a.counters.following = counter(j, "followsCount", true);
        a.counters.posts = counter(j, "postsCount", true);
        return a;
    }

    std::size_t batch_size() const override { return k_batch; }

    net::HttpRequest batch_request(const std::vector<std::string>& uris) const override {
        net::FieldList q;
        for (const auto& uri : uris) {
            q.emplace_back("uris", uri);
        }
        return m_session.request(bluesky::query_call("app.bsky.feed.getPosts", std::move(q)));
    }

    PostsAnswer read_batch(const Result<net::HttpResponse>& response) const override {
        return read_posts(response, "getPosts", "posts", false);
    }

    net::HttpRequest single_request(const std::string& uri) const override {
        // The record on the PDS: gone there means deleted; present means not indexed yet.
        const auto rest = uri.substr(std::min(uri.size(), std::string_view("at://").size()));
        const std::string repo = rest.substr(0, rest.find('/'));
        return m_session.request(bluesky::query_call(
            "com.atproto.repo.getRecord",
            {{"repo", repo}, {"collection", bluesky::k_post_collection}, {"rkey", rkey_of(uri)}}));
    }

    PostsAnswer read_single(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && response->status == 400 &&
            bluesky::xrpc_error(*response).error == "RecordNotFound") {
            a.answer = Answer::gone;
            return a;
        }
        a.answer = classify(response, a.message, "getRecord");
        return a;  // ok without posts: it exists, the AppView has no counters for it yet
    }

    net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const override {
        net::FieldList q{{"actor", m_session.did()},
                         {"limit", std::to_string(k_page)},
                         {"filter", "posts_no_replies"}};
        if (cursor) {
            q.emplace_back("cursor", *cursor);
        }
        return m_session.request(bluesky::query_call("app.bsky.feed.getAuthorFeed", std::move(q)));
    }

    PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const override {
        return read_posts(response, "getAuthorFeed", "feed", true);
    }

    net::RateLimit rate_limit(const net::HttpResponse& response, net::SysTime now) const override {
        return net::parse_bluesky_rate_limit(response, now);
    }

    store::FieldMap post_fields() const override {
        return {"bluesky",
                "likes=likeCount;reposts=repostCount;replies=replyCount;"
                "quotes=quoteCount;bookmarks=bookmarkCount"};
    }

    store::FieldMap account_fields() const override {
        return {"bluesky", "followers=followersCount;following=followsCount;posts=postsCount"};
    }

    std::string redact(std::string text) const override {
        return m_session.redact(std::move(text));
    }

  private:
    Answer classify(const Result<net::HttpResponse>& response, std::string& message,
                    const std::string& what) const {
        if (bluesky::Session::needs_renewal(response)) {
            message = what + ": the access token was refused or expired";
            return Answer::auth;
        }
        const Answer a = classify_answer(response, message, what);
        message = m_session.redact(std::move(message));
        return a;
    }

    // A list of postViews (`getPosts`) or of feed items {post, reason?} (`getAuthorFeed`,
    // where an item with a reason is someone else's post reposted: skipped).
    PostsAnswer read_posts(const Result<net::HttpResponse>& response, const std::string& what,
                           const char* list, bool feed) const {
        PostsAnswer a;
        a.answer = classify(response, a.message, what);
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object() || !j.contains(list) || !j[list].is_array()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer";
            return a;
        }
        for (const auto& item : j[list]) {
            if (feed && (!item.is_object() || item.contains("reason"))) {
                continue;
            }
            const json& view = feed ? item["post"] : item;
            // The author feed shows only the account's own posts; the check keeps it so even
            // if a server mixes others in.
            auto p = read_post_view(view);
            if (p && (!feed || p->remote_id.starts_with("at://" + m_session.did() + "/"))) {
                a.posts.push_back(std::move(*p));
            }
        }
        if (feed && !json_string(j, "cursor").empty() && !j[list].empty()) {
            a.cursor = json_string(j, "cursor");
        }
        return a;
    }

    Result<void> as_result(std::optional<bluesky::Exchange> failed, const std::string& what) {
        if (!failed) {
            return {};
        }
        const auto& r = failed->response;
        if (!r) {
            Error e = r.error();
            e.message = m_session.redact(std::move(e.message));
            return fail(std::move(e));
        }
        const auto x = bluesky::xrpc_error(*r);
        return fail(
            r->status == 401 || r->status == 400 ? ErrorCode::auth : ErrorCode::network,
            m_session.redact(fmt::format("{} for {}: HTTP {} {} {}", what, m_ctx.account.name,
                                         r->status, x.error, x.message)),
            "run `cmtool auth login " + m_ctx.account.name + "` or set " +
                credential_env_name(m_ctx.account.name, "app_password"));
    }

    AdapterContext m_ctx;
    bluesky::Session m_session;
};

}  // namespace

Result<std::unique_ptr<MetricsSource>> make_bluesky_metrics(const AdapterContext& ctx) {
    const std::string handle = ctx.account.get("handle");
    if (handle.empty()) {
        return fail(ErrorCode::config,
                    "Bluesky account " + ctx.account.name + " has no `handle` setting",
                    "add `handle: <you>.bsky.social` to the account in cmtool.yaml");
    }
    return std::unique_ptr<MetricsSource>(
        std::make_unique<BlueskyMetrics>(ctx, api_base(ctx.account), handle));
}

}  // namespace cmtool::platforms
