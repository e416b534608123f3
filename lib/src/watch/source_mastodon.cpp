// Mastodon watch sources (platforms.md §1.6): mention notifications of our account, a hashtag
// timeline, and /api/v2/search for statuses. Notifications and tag timelines page forward with
// min_id (the page right after the cursor, §1.6 pagination); search has no reliable paging on
// every instance, so one page per run, keeping only ids newer than the cursor.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/mastodon_text.hpp"
#include "platforms/metrics_sources.hpp"
#include "watch/sources.hpp"

namespace cmtool::watch {

namespace {

using nlohmann::json;
using platforms::Answer;

constexpr int k_page = 40;  // notifications and timelines: max 40 (§1.6)
constexpr std::chrono::milliseconds k_timeout{30000};

// Snowflake ids compare as numbers: a longer id is newer.
bool id_newer(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
}

std::optional<Item> read_status(const json& s) {
    if (!s.is_object() || util::json_string(s, "id").empty()) {
        return std::nullopt;
    }
    Item it;
    it.platform = "mastodon";
    it.remote_uri = util::json_string(s, "uri").empty() ? util::json_string(s, "url")
                                                        : util::json_string(s, "uri");
    it.url = util::json_string(s, "url");
    const json account = s.value("account", json::object());
    it.author = util::json_string(account, "acct");
    it.author_url = util::json_string(account, "url");
    it.published_at = platforms::parse_created_at(util::json_string(s, "created_at"))
                          .value_or(std::chrono::sys_seconds{});
    it.text = platforms::mastodon::html_to_text(util::json_string(s, "content"));
    it.lang = util::json_string(s, "language");
    return it.remote_uri.empty() ? std::nullopt : std::optional(std::move(it));
}

enum class Kind { mentions, tag, search };

class MastodonSource final : public WatchSource {
  public:
    MastodonSource(const platforms::AdapterContext& ctx, std::string key, Kind kind,
                   std::string base, std::string tag, std::string terms, std::size_t max_pages)
        : m_ctx(ctx),
          m_key(std::move(key)),
          m_kind(kind),
          m_base(std::move(base)),
          m_tag(std::move(tag)),
          m_terms(std::move(terms)),
          m_max_pages(max_pages) {}

    const std::string& key() const override { return m_key; }

    Result<void> prepare() override {
        auto secret = m_ctx.credentials.get(m_ctx.account, "token");
        if (!secret) {
            return fail(std::move(secret).error());
        }
        if (*secret && !(*secret)->empty()) {
            m_token = **secret;
        } else if (m_kind == Kind::mentions || m_kind == Kind::search) {
            return fail(ErrorCode::config,
                        "no access token for Mastodon account " + m_ctx.account.name,
                        "set " + platforms::credential_env_name(m_ctx.account.name, "token") +
                            " or run `cmtool auth login " + m_ctx.account.name + "`");
        }
        return {};
    }

    net::HttpRequest first_request(const store::WatchCursor& cursor) const override {
        return page_request(cursor.cursor, 1);
    }

    Page read(const Result<net::HttpResponse>& response,
              store::WatchCursor& cursor) const override {
        Page page;
        page.answer = platforms::classify_answer(response, page.message, m_key);
        page.message = redact(std::move(page.message));
        if (page.answer != Answer::ok) {
            return page;
        }
        const json body = json::parse(response->body, nullptr, false);
        const json* list = &body;
        if (m_kind == Kind::search) {
            list = body.is_object() && body.contains("statuses") ? &body["statuses"] : nullptr;
        }
        if (list == nullptr || !list->is_array()) {
            page.answer = Answer::failed;
            page.message = m_key + ": malformed answer (not a JSON list)";
            return page;
        }
        const std::string since = cursor.cursor;
        std::string newest = since;
        for (const auto& entry : *list) {
            const std::string id = util::json_string(entry, "id");
            if (id.empty() || (!since.empty() && !id_newer(id, since))) {
                continue;
            }
            newest = newest.empty() || id_newer(id, newest) ? id : newest;
            const json& status = m_kind == Kind::mentions ? entry.value("status", json()) : entry;
            if (auto it = read_status(status)) {
                it->about_us = m_kind == Kind::mentions;
                page.items.push_back(std::move(*it));
            }
        }
        cursor.cursor = newest;
        // min_id paging: a full page means more may be waiting right after it.
        ++m_pages;
        if (m_kind != Kind::search && !since.empty() && list->size() >= k_page &&
            m_pages < m_max_pages) {
            page.next = page_request(newest, m_pages + 1);
        }
        return page;
    }

    std::string redact(std::string text) const override {
        return net::redact_text(std::move(text), {m_token});
    }

  private:
    net::HttpRequest page_request(const std::string& since, std::size_t) const {
        net::FieldList q{{"limit", std::to_string(k_page)}};
        std::string path;
        switch (m_kind) {
            case Kind::mentions:
                path = "/api/v1/notifications";
                q.emplace_back("types[]", "mention");
                break;
            case Kind::tag:
                path = "/api/v1/timelines/tag/" + net::url_encode(m_tag);
                break;
            case Kind::search:
                path = "/api/v2/search";
                q = {{"q", m_terms}, {"type", "statuses"}, {"limit", std::to_string(k_page)}};
                break;
        }
        if (!since.empty()) {
            q.emplace_back("min_id", since);
        }
        net::HttpRequest r;
        r.url = net::append_query(m_base + path, q);
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept", "application/json");
        if (!m_token.empty()) {
            r.headers.emplace_back("Authorization", "Bearer " + m_token);
        }
        return r;
    }

    platforms::AdapterContext m_ctx;
    std::string m_key;
    Kind m_kind;
    std::string m_base;
    std::string m_tag;
    std::string m_terms;
    std::size_t m_max_pages;
    std::string m_token;
    mutable std::size_t m_pages = 0;
};

}  // namespace

Result<std::unique_ptr<WatchSource>> make_mastodon_source(const calendar::WatchSourceConfig& config,
                                                          const std::string& key,
                                                          const std::string& terms,
                                                          const platforms::AdapterContext& ctx) {
    const std::string base = platforms::api_base(ctx.account);
    if (base.empty()) {
        return fail(ErrorCode::config,
                    "Mastodon account " + ctx.account.name + " has no `instance` setting",
                    "add `instance: https://<your instance>` to the account in cmtool.yaml");
    }
    const Kind kind = config.type == calendar::WatchSourceType::mastodon_mentions ? Kind::mentions
                      : config.type == calendar::WatchSourceType::mastodon_tag    ? Kind::tag
                                                                                  : Kind::search;
    return std::unique_ptr<WatchSource>(std::make_unique<MastodonSource>(
        ctx, key, kind, base, config.tag, terms, std::max<std::size_t>(1, config.max_pages)));
}

}  // namespace cmtool::watch
