// Threads watch source (platforms.md §5.3): keyword search, GET /keyword_search with the
// query's terms, search_type=RECENT, polled with since = the newest timestamp seen (the
// cursor, unix seconds). The search needs the app permission threads_keyword_search: a Graph
// permission error (code 10, 200-299) is explained as such, and only this source fails. Errors
// are Graph error bodies (§5.0): 190 renews the token once, throttling codes (4/17/32/613)
// whatever the HTTP status are rate limits with the wait the usage headers announce.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/meta_graph.hpp"
#include "platforms/metrics_sources.hpp"
#include "watch/sources.hpp"

namespace cmtool::watch {

namespace {

using nlohmann::json;
using platforms::Answer;

constexpr std::chrono::milliseconds k_timeout{30000};
constexpr const char* k_search_path = "/keyword_search";
constexpr const char* k_fields = "id,text,permalink,timestamp,username,media_type";

// Graph permission errors (§5.0): 10 and 200-299.
bool permission_code(long code) {
    return code == 10 || (code >= 200 && code <= 299);
}

class ThreadsSearchSource final : public OAuthWatchSource {
  public:
    ThreadsSearchSource(const platforms::AdapterContext& ctx, std::string key, std::string base,
                        std::string terms)
        : OAuthWatchSource(ctx),
          m_key(std::move(key)),
          m_base(std::move(base)),
          m_terms(std::move(terms)) {}

    const std::string& key() const override { return m_key; }

    net::HttpRequest first_request(const store::WatchCursor& cursor) const override {
        m_since = cursor.cursor;
        net::FieldList q{{"q", m_terms}, {"search_type", "RECENT"}, {"fields", k_fields}};
        if (!m_since.empty()) {
            q.emplace_back("since", m_since);
        }
        net::HttpRequest r;
        r.url = net::append_query(m_base + k_search_path, q);
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept", "application/json");
        r.headers.emplace_back("Authorization", "Bearer " + m_token);
        return r;
    }

    Page read(const Result<net::HttpResponse>& response,
              store::WatchCursor& cursor) const override {
        Page page;
        const std::string what = m_key + ": GET /keyword_search";
        if (response && response->status != 200) {
            if (const auto e = platforms::meta::graph_error(*response)) {
                const std::string problem =
                    fmt::format("HTTP {}: (#{}) {}", response->status, e->code, e->message);
                if (permission_code(e->code)) {
                    page.answer = Answer::failed;
                    page.message = redact(m_key +
                                          ": the Threads app lacks the permission "
                                          "threads_keyword_search needed by keyword search (" +
                                          problem + ")");
                    page.hint = "re-run `cmtool auth login " + m_ctx.account.name +
                                "` after adding threads_keyword_search to the app";
                    return page;
                }
                if (platforms::meta::is_throttle_code(e->code)) {
                    page.answer = Answer::rate_limited;
                    page.message = redact(what + ": " + problem);
                    const auto now = m_ctx.clock.now();
                    auto limit = net::parse_meta_rate_limit(*response, now);
                    page.retry_at =
                        limit.reset.value_or(std::chrono::ceil<std::chrono::seconds>(now) +
                                             std::chrono::duration_cast<std::chrono::seconds>(
                                                 platforms::meta::k_default_throttle_wait));
                    return page;
                }
                if (e->code == platforms::meta::k_code_expired) {
                    page.answer = Answer::auth;
                    page.message = redact(what + ": " + problem);
                    page.hint = "run `cmtool auth login " + m_ctx.account.name + "`";
                    return page;
                }
                if (platforms::meta::is_transient_code(e->code)) {
                    page.answer = Answer::transient;
                    page.message = redact(what + ": " + problem);
                    return page;
                }
            }
        }
        page.answer = platforms::classify_answer(response, page.message, what);
        page.message = redact(std::move(page.message));
        if (page.answer != Answer::ok) {
            return page;
        }
        const json body = json::parse(response->body, nullptr, false);
        if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
            page.answer = Answer::failed;
            page.message = what + ": malformed answer (no data array)";
            return page;
        }
        long long since = 0;
        try {
            since = m_since.empty() ? 0 : std::stoll(m_since);
        } catch (const std::exception&) {
            since = 0;
        }
        long long newest = since;
        for (const json& t : body["data"]) {
            const std::string id = util::json_string(t, "id");
            if (id.empty()) {
                continue;
            }
            const auto published =
                platforms::meta::parse_meta_time(util::json_string(t, "timestamp"));
            const long long ts = published ? published->time_since_epoch().count() : 0;
            if (since > 0 && published && ts < since) {
                continue;  // older than the cursor; equal ones are deduplicated by the store
            }
            newest = std::max(newest, ts);
            Item it;
            it.platform = "threads";
            const std::string permalink = util::json_string(t, "permalink");
            const std::string user = util::json_string(t, "username");
            it.remote_uri = permalink.empty() ? "threads:" + id : permalink;
            it.url = permalink;
            it.author = user.empty() ? std::string() : "@" + user;
            it.author_url = user.empty() ? std::string() : "https://www.threads.net/@" + user;
            it.published_at = published.value_or(std::chrono::sys_seconds{});
            it.text = platforms::meta::text_for_match(util::json_string(t, "text"));
            page.items.push_back(std::move(it));
        }
        if (newest > 0) {
            cursor.cursor = std::to_string(newest);
        }
        return page;
    }

    std::string redact(std::string text) const override {
        std::vector<std::string> secrets = m_ctx.credentials.known_secrets();
        secrets.push_back(m_token);
        return net::redact_text(std::move(text), secrets);
    }

  private:
    std::string m_key;
    std::string m_base;
    std::string m_terms;
    mutable std::string m_since;  // the cursor this run started from
};

}  // namespace

Result<std::unique_ptr<WatchSource>> make_threads_source(const calendar::WatchSourceConfig&,
                                                         const std::string& key,
                                                         const std::string& terms,
                                                         const platforms::AdapterContext& ctx) {
    return std::unique_ptr<WatchSource>(std::make_unique<ThreadsSearchSource>(
        ctx, key, platforms::meta::graph_base(ctx.account), terms));
}

}  // namespace cmtool::watch
