// Mastodon lookup(): was a part whose outcome is unknown published after all?
//
// Mastodon offers no way to ask what an Idempotency-Key created: the key lives for one hour in
// the server's cache and is only consulted by POST /api/v1/statuses (§1.2). Re-POSTing with the
// key would return the status if it exists, but would *create* it if it does not: that is a
// publish, not a lookup, and after the hour it could post twice. So lookup() reads the
// account's own recent statuses (GET /api/v1/accounts/:id/statuses, newest first, Link paging
// §1.9) and recognises the part by what it is: created at or after intent_at - 5 minutes (clock
// skew), same plain text as `content` once the HTML is stripped, same in_reply_to_id as the
// part's parent (none for a first part), same number of media attachments. Text matching is the
// fallback because nothing else identifies our status; its one blind spot is an identical
// status posted by hand in the same window, for which the oldest match is taken.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/util/json.hpp"
#include "platforms/mastodon_adapter.hpp"
#include "platforms/mastodon_text.hpp"

namespace cmtool::platforms::mastodon {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes k_clock_skew{5};  // our clock vs. the instance's created_at
constexpr int k_max_pages = 5;                   // 200 statuses: far more than one run posts
constexpr const char* k_page_size = "40";        // the endpoint's maximum (mdoc accounts.md)

bool is_auth_problem(const Error& e) {
    return e.code == ErrorCode::auth || e.code == ErrorCode::config;
}

}  // namespace

Result<std::string> MastodonAdapter::account_id() {
    if (m_account_id.empty()) {
        auto info = verify();  // caches the id
        if (!info) {
            return fail(std::move(info).error());
        }
    }
    return m_account_id;
}

bool MastodonAdapter::matches(const json& status, const PublishRequest& request,
                              const std::string& expected_text) const {
    if (!status.is_object() || (status.contains("reblog") && !status["reblog"].is_null())) {
        return false;
    }
    const std::string reply_to = util::json_string(status, "in_reply_to_id");
    if (request.parent ? reply_to != request.parent->id : !reply_to.empty()) {
        return false;
    }
    const auto media = status.find("media_attachments");
    const std::size_t media_count = media != status.end() && media->is_array() ? media->size() : 0;
    if (media_count != request.part.media.size()) {
        return false;
    }
    return normalise_for_match(html_to_text(util::json_string(status, "content"))) == expected_text;
}

Result<LookupResult> MastodonAdapter::lookup(const PublishRequest& request,
                                             std::chrono::sys_seconds intent_at) {
    if (auto tok = token(); !tok) {
        return fail(std::move(tok).error());
    }
    LookupResult out;
    auto id = account_id();
    if (!id) {
        if (is_auth_problem(id.error())) {
            return fail(std::move(id).error());
        }
        out.how = id.error().message;  // cannot_tell
        return out;
    }
    const auto since = intent_at - k_clock_skew;
    const std::string expected = normalise_for_match(request.part.text);
    const std::string path = "/api/v1/accounts/" + *id + "/statuses";
    std::string query = std::string("limit=") + k_page_size;
    std::optional<json> oldest_match;
    bool complete = false;  // read back to `since`, or to the end of the account's history
    std::size_t seen = 0;
    int pages = 0;
    while (!complete && pages < k_max_pages) {
        const auto r =
            send(make_request("GET", path + "?" + query, api_timeout()), net::Retryable::yes);
        ++pages;
        const json page = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
        if (!page.is_array()) {
            const Error e = r && r->status == 200
                                ? Error{ErrorCode::parse, "GET " + path + ": malformed answer", {}}
                                : as_error(r, "GET " + path);
            if (is_auth_problem(e)) {
                return fail(e);
            }
            out.how = e.message;
            break;  // cannot tell, unless a match was already seen
        }
        for (const json& status : page) {
            ++seen;
            const auto created = net::parse_iso8601(util::json_string(status, "created_at"));
            if (!created) {
                continue;
            }
            if (*created < since) {
                complete = true;  // newest first: the rest is older still
                continue;
            }
            if (matches(status, request, expected)) {
                oldest_match = status;
            }
        }
        const auto next = r->header("Link") ? next_page_query(*r->header("Link")) : std::nullopt;
        if (page.empty() || !next) {
            complete = true;
        } else {
            // Only the cursor is taken from the Link URL, never its host: the token stays on
            // the configured instance.
            query = *next;
        }
    }
    const std::string how =
        fmt::format("text match in GET {} ({} statuses on {} page(s), created since {:%FT%TZ})",
                    path, seen, pages, since);
    out.how = out.how.empty() ? how : how + "; " + out.how;
    if (oldest_match) {
        out.found = Found::yes;
        out.ref.id = util::json_string(*oldest_match, "id");
        out.ref.uri = util::json_string(*oldest_match, "uri");
        out.ref.url = util::json_string(*oldest_match, "url");
        if (out.ref.url.empty()) {
            out.ref.url = out.ref.uri;
        }
    } else if (complete) {
        out.found = Found::no;
    }
    return out;
}

}  // namespace cmtool::platforms::mastodon
