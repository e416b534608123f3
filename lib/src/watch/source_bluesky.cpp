// Bluesky watch sources (platforms.md §2.7, §2.10): mention notifications of our account
// (app.bsky.notification.listNotifications, reasons=mention) and app.bsky.feed.searchPosts
// (sort=latest) with the query's terms. Both list newest first with an opaque cursor to older
// pages, so the stored cursor is a watermark: the newest indexedAt seen. A run reads pages
// until it reaches the watermark (or max_pages), keeping only what is newer.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/bluesky_record.hpp"
#include "platforms/bluesky_session.hpp"
#include "platforms/metrics_sources.hpp"
#include "watch/sources.hpp"

namespace cmtool::watch {

namespace {

using nlohmann::json;
using platforms::Answer;
using util::json_string;

constexpr int k_page = 50;  // listNotifications and searchPosts: limit 1-100 (§2.7)

std::string rkey_of(const std::string& uri) {
    const auto slash = uri.rfind('/');
    return slash == std::string::npos ? std::string() : uri.substr(slash + 1);
}

// A postView (search) or a notification: both carry uri, author, record and indexedAt.
std::optional<Item> read_view(const json& v) {
    if (!v.is_object() || json_string(v, "uri").empty()) {
        return std::nullopt;
    }
    Item it;
    it.platform = "bluesky";
    it.remote_uri = json_string(v, "uri");
    const json author = v.value("author", json::object());
    it.author = json_string(author, "handle");
    it.author_url = it.author.empty() ? "" : "https://bsky.app/profile/" + it.author;
    it.url = platforms::bluesky::post_url(it.author, rkey_of(it.remote_uri));
    const json record = v.value("record", json::object());
    it.text = json_string(record, "text");
    const auto langs = record.find("langs");
    if (langs != record.end() && langs->is_array() && !langs->empty() &&
        langs->front().is_string()) {
        it.lang = langs->front().get<std::string>();
    }
    it.published_at = platforms::parse_created_at(json_string(record, "createdAt"))
                          .value_or(platforms::parse_created_at(json_string(v, "indexedAt"))
                                        .value_or(std::chrono::sys_seconds{}));
    return it;
}

class BlueskySource final : public WatchSource {
  public:
    BlueskySource(const platforms::AdapterContext& ctx, std::string key, bool mentions,
                  std::string base, std::string handle, std::string terms, std::size_t max_pages)
        : m_ctx(ctx),
          m_session(m_ctx, std::move(base), std::move(handle)),
          m_key(std::move(key)),
          m_mentions(mentions),
          m_terms(std::move(terms)),
          m_max_pages(max_pages) {}

    const std::string& key() const override { return m_key; }

    Result<void> prepare() override { return as_result(m_session.ensure(), "createSession"); }
    Result<void> renew() override { return as_result(m_session.renew(), "refreshSession"); }

    net::HttpRequest first_request(const store::WatchCursor& cursor) const override {
        m_watermark = cursor.cursor;
        m_pages = 0;
        return page_request({});
    }

    Page read(const Result<net::HttpResponse>& response,
              store::WatchCursor& cursor) const override {
        Page page;
        if (platforms::bluesky::Session::needs_renewal(response)) {
            page.answer = Answer::auth;
            page.message = m_key + ": the access token was refused or expired";
            return page;
        }
        page.answer = platforms::classify_answer(response, page.message, m_key);
        page.message = redact(std::move(page.message));
        if (page.answer != Answer::ok) {
            return page;
        }
        const char* list_key = m_mentions ? "notifications" : "posts";
        const json body = json::parse(response->body, nullptr, false);
        if (!body.is_object() || !body.contains(list_key) || !body[list_key].is_array()) {
            page.answer = Answer::failed;
            page.message = m_key + ": malformed answer";
            return page;
        }
        bool reached = false;
        for (const auto& v : body[list_key]) {
            const std::string indexed = json_string(v, "indexedAt");
            if (!m_watermark.empty() && !indexed.empty() && indexed <= m_watermark) {
                reached = true;  // ISO 8601 UTC strings of one format order like the times
                continue;
            }
            if (m_mentions && json_string(v, "reason") != "mention") {
                continue;
            }
            if (auto it = read_view(v)) {
                it->about_us = m_mentions;
                page.items.push_back(std::move(*it));
            }
            if (indexed > cursor.cursor) {
                cursor.cursor = indexed;
            }
        }
        ++m_pages;
        const std::string next = json_string(body, "cursor");
        if (!reached && !m_watermark.empty() && !next.empty() && !body[list_key].empty() &&
            m_pages < m_max_pages) {
            page.next = page_request(next);
        }
        return page;
    }

    std::string redact(std::string text) const override {
        return m_session.redact(std::move(text));
    }

  private:
    net::HttpRequest page_request(const std::string& cursor) const {
        net::FieldList q{{"limit", std::to_string(k_page)}};
        if (m_mentions) {
            q.emplace_back("reasons", "mention");
        } else {
            q.emplace_back("q", m_terms);
            q.emplace_back("sort", "latest");
        }
        if (!cursor.empty()) {
            q.emplace_back("cursor", cursor);
        }
        return m_session.request(platforms::bluesky::query_call(
            m_mentions ? "app.bsky.notification.listNotifications" : "app.bsky.feed.searchPosts",
            std::move(q)));
    }

    Result<void> as_result(std::optional<platforms::bluesky::Exchange> failed,
                           const std::string& what) {
        if (!failed) {
            return {};
        }
        const auto& r = failed->response;
        if (!r) {
            Error e = r.error();
            e.message = m_session.redact(std::move(e.message));
            return fail(std::move(e));
        }
        const auto x = platforms::bluesky::xrpc_error(*r);
        return fail(
            r->status == 401 || r->status == 400 ? ErrorCode::auth : ErrorCode::network,
            m_session.redact(fmt::format("{} for {}: HTTP {} {} {}", what, m_ctx.account.name,
                                         r->status, x.error, x.message)),
            "run `cmtool auth login " + m_ctx.account.name + "` or set " +
                platforms::credential_env_name(m_ctx.account.name, "app_password"));
    }

    platforms::AdapterContext m_ctx;
    platforms::bluesky::Session m_session;
    std::string m_key;
    bool m_mentions;
    std::string m_terms;
    std::size_t m_max_pages;
    mutable std::string m_watermark;
    mutable std::size_t m_pages = 0;
};

}  // namespace

Result<std::unique_ptr<WatchSource>> make_bluesky_source(const calendar::WatchSourceConfig& config,
                                                         const std::string& key,
                                                         const std::string& terms,
                                                         const platforms::AdapterContext& ctx) {
    const std::string handle = ctx.account.get("handle");
    if (handle.empty()) {
        return fail(ErrorCode::config,
                    "Bluesky account " + ctx.account.name + " has no `handle` setting",
                    "add `handle: <you>.bsky.social` to the account in cmtool.yaml");
    }
    return std::unique_ptr<WatchSource>(std::make_unique<BlueskySource>(
        ctx, key, config.type == calendar::WatchSourceType::bluesky_mentions,
        platforms::api_base(ctx.account), handle, terms,
        std::max<std::size_t>(1, config.max_pages)));
}

}  // namespace cmtool::watch
