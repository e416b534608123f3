// X watch source (platforms.md §4.6): recent search, GET /2/tweets/search/recent with the
// query's terms, polled with since_id = the newest id seen (the cursor), pages followed with
// next_token while the run allows. Recent search is not in every access tier: a 403
// (client-forbidden / client-not-enrolled) is explained as such, and only this source fails.
#include <fmt/format.h>

#include <map>

#include <nlohmann/json.hpp>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/metrics_sources.hpp"
#include "platforms/x_adapter.hpp"
#include "watch/sources.hpp"

namespace cmtool::watch {

namespace {

using nlohmann::json;
using platforms::Answer;

constexpr int k_page = 100;  // max_results: 10-100 (§4.6)
constexpr std::chrono::milliseconds k_timeout{30000};
constexpr const char* k_search_path = "/2/tweets/search/recent";

// X ids are decimal snowflakes: a longer id is newer.
bool id_newer(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
}

// Whether a 403 says the app's access tier does not include this endpoint (§4.8 problem kinds).
bool tier_refusal(const json& body) {
    const std::string type = util::json_string(body, "type");
    return type.ends_with("/client-forbidden") ||
           util::json_string(body, "reason") == "client-not-enrolled" ||
           !util::json_string(body, "required_enrollment").empty();
}

class XSearchSource final : public OAuthWatchSource {
  public:
    XSearchSource(const platforms::AdapterContext& ctx, std::string key, std::string base,
                  std::string terms, std::size_t max_pages)
        : OAuthWatchSource(ctx),
          m_key(std::move(key)),
          m_base(std::move(base)),
          m_terms(std::move(terms)),
          m_max_pages(max_pages) {}

    const std::string& key() const override { return m_key; }

    net::HttpRequest first_request(const store::WatchCursor& cursor) const override {
        m_pages = 0;
        return page_request(cursor.cursor, {});
    }

    Page read(const Result<net::HttpResponse>& response,
              store::WatchCursor& cursor) const override {
        Page page;
        if (response && response->status == 403) {
            const json body = json::parse(response->body, nullptr, false);
            page.answer = Answer::failed;
            const std::string problem = platforms::x::problem_text(body);
            if (body.is_object() && tier_refusal(body)) {
                page.message = redact(m_key +
                                      ": X recent search is not included in the access "
                                      "tier of this app (HTTP 403: " +
                                      problem + ")");
                page.hint =
                    "recent search needs an X API plan that includes it (Basic or above, "
                    "the app attached to a Project): upgrade it in the developer portal, "
                    "or remove this x_search source";
            } else {
                page.message = redact(m_key + ": HTTP 403: " + problem);
                page.hint =
                    "check the token's scopes (tweet.read users.read): run `cmtool auth "
                    "login " +
                    m_ctx.account.name + "`";
            }
            return page;
        }
        page.answer = platforms::classify_answer(response, page.message, m_key);
        page.message = redact(std::move(page.message));
        if (page.answer != Answer::ok) {
            return page;
        }
        const json body = json::parse(response->body, nullptr, false);
        if (!body.is_object()) {
            page.answer = Answer::failed;
            page.message = m_key + ": malformed answer (not a JSON object)";
            return page;
        }
        // includes.users: the authors' usernames (expansions=author_id).
        std::map<std::string, std::string> usernames;
        if (body.contains("includes") && body["includes"].is_object()) {
            for (const json& u : body["includes"].value("users", json::array())) {
                usernames[util::json_string(u, "id")] = util::json_string(u, "username");
            }
        }
        const std::string since = m_since;
        std::string newest = cursor.cursor;
        for (const json& t : body.value("data", json::array())) {
            const std::string id = util::json_string(t, "id");
            if (id.empty() || (!since.empty() && !id_newer(id, since))) {
                continue;
            }
            newest = newest.empty() || id_newer(id, newest) ? id : newest;
            Item it;
            it.platform = "x";
            const std::string user = usernames[util::json_string(t, "author_id")];
            it.url =
                "https://x.com/" + (user.empty() ? std::string("i/web") : user) + "/status/" + id;
            it.remote_uri = "https://x.com/i/web/status/" + id;  // stable whatever the handle
            it.author = user.empty() ? std::string() : "@" + user;
            it.author_url = user.empty() ? std::string() : "https://x.com/" + user;
            it.published_at = platforms::parse_created_at(util::json_string(t, "created_at"))
                                  .value_or(std::chrono::sys_seconds{});
            it.text = platforms::x::normalise_for_match(util::json_string(t, "text"));
            it.lang = util::json_string(t, "lang");
            page.items.push_back(std::move(it));
        }
        cursor.cursor = newest;
        ++m_pages;
        const std::string next =
            util::json_string(body.value("meta", json::object()), "next_token");
        if (!next.empty() && !since.empty() && m_pages < m_max_pages) {
            page.next = page_request(since, next);
        }
        return page;
    }

    std::string redact(std::string text) const override {
        std::vector<std::string> secrets = m_ctx.credentials.known_secrets();
        secrets.push_back(m_token);
        return net::redact_text(std::move(text), secrets);
    }

  private:
    net::HttpRequest page_request(const std::string& since, const std::string& next) const {
        m_since = since;
        net::FieldList q{{"query", m_terms},
                         {"max_results", std::to_string(k_page)},
                         {"tweet.fields", "created_at,lang,author_id"},
                         {"expansions", "author_id"},
                         {"user.fields", "username"}};
        if (!since.empty()) {
            q.emplace_back("since_id", since);
        }
        if (!next.empty()) {
            q.emplace_back("next_token", next);
        }
        net::HttpRequest r;
        r.url = net::append_query(m_base + k_search_path, q);
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept", "application/json");
        r.headers.emplace_back("Authorization", "Bearer " + m_token);
        return r;
    }

    std::string m_key;
    std::string m_base;
    std::string m_terms;
    std::size_t m_max_pages;
    mutable std::string m_since;  // the cursor this run started from
    mutable std::size_t m_pages = 0;
};

}  // namespace

Result<std::unique_ptr<WatchSource>> make_x_source(const calendar::WatchSourceConfig& config,
                                                   const std::string& key, const std::string& terms,
                                                   const platforms::AdapterContext& ctx) {
    std::string base = platforms::api_base(ctx.account);
    if (base.empty()) {
        base = platforms::x::k_default_api;
    }
    return std::unique_ptr<WatchSource>(std::make_unique<XSearchSource>(
        ctx, key, base, terms, std::max<std::size_t>(1, config.max_pages)));
}

}  // namespace cmtool::watch
