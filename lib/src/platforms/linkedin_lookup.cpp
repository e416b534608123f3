// LinkedIn lookup(): was a post whose outcome is unknown published after all?
//
// LinkedIn has no idempotency key, so nothing can be asked about "the post of key K". lookup()
// lists the author's posts, most recently modified first (GET /rest/posts?q=author&author=URN
// &sortBy=LAST_MODIFIED, start/count paging [U: the finder is not in platforms.md; its shape
// follows LinkedIn's Posts API page and Rest.li conventions, §3.9]) and recognises the part by
// its exact commentary (the escaped little text cmtool sent, or the same text unescaped when the
// API gives it back plain [U]) among the posts created at or after intent_at - 5 minutes.
//
// When the list cannot be read (members' posts need r_member_social, a restricted permission
// most apps do not get; a 403 then) the answer is cannot_tell: the engine keeps the part as
// unknown, reports it and never sends it again until it can be told (docs/networks/linkedin.md).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/util/json.hpp"
#include "platforms/linkedin_adapter.hpp"

namespace cmtool::platforms::linkedin {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes k_clock_skew{5};  // our clock vs. LinkedIn's createdAt
constexpr int k_max_pages = 4;                   // 200 posts: far more than one run posts
constexpr int k_page_size = 50;

// Epoch milliseconds of a post's `key` (createdAt, publishedAt, lastModifiedAt), if any.
std::optional<std::int64_t> millis(const json& post, const char* key) {
    return util::json_int(post, key);
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) {
        s.pop_back();
    }
    return s;
}

}  // namespace

Result<LookupResult> LinkedInAdapter::lookup(const PublishRequest& request,
                                             std::chrono::sys_seconds intent_at) {
    if (auto tok = m_tokens.get(); !tok) {
        return fail(std::move(tok).error());
    }
    LookupResult out;
    const auto since = intent_at - k_clock_skew;
    const std::int64_t since_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(since.time_since_epoch()).count();
    const std::string escaped = escape_little(request.part.text);
    const std::string plain = trimmed(request.part.text);
    const std::string path = "/rest/posts";
    std::optional<json> oldest_match;
    bool complete = false;
    std::size_t seen = 0;
    int pages = 0;
    while (!complete && pages < k_max_pages) {
        const std::string query =
            fmt::format("?q=author&author={}&sortBy=LAST_MODIFIED&start={}&count={}",
                        net::url_encode(m_author), pages * k_page_size, k_page_size);
        const auto r = send(this->request("GET", path + query, api_timeout()), net::Retryable::yes);
        ++pages;
        const json page = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
        const auto elements = page.is_object() ? page.find("elements") : page.end();
        if (!page.is_object() || elements == page.end() || !elements->is_array()) {
            if (r && r->status == 403) {
                out.how = redact(describe("GET " + path + "?q=author", *r)) +
                          (is_organization(m_author)
                               ? " (listing an organization's posts needs r_organization_social)"
                               : " (listing a member's posts needs r_member_social, a permission "
                                 "LinkedIn restricts)");
                break;
            }
            const Error e = r && r->status == 200
                                ? Error{ErrorCode::parse, "GET " + path + ": malformed answer", {}}
                                : as_error(r, "GET " + path + "?q=author");
            if (e.code == ErrorCode::auth || e.code == ErrorCode::config) {
                return fail(e);
            }
            out.how = e.message;
            break;
        }
        for (const json& post : *elements) {
            ++seen;
            const auto modified = millis(post, "lastModifiedAt");
            const auto created = millis(post, "createdAt").has_value()
                                     ? millis(post, "createdAt")
                                     : millis(post, "publishedAt");
            if (modified && *modified < since_ms) {
                complete = true;  // most recently modified first: the rest is older still
                continue;
            }
            if (created && *created < since_ms) {
                continue;
            }
            const std::string commentary = util::json_string(post, "commentary");
            if (commentary == escaped || trimmed(unescape_little(commentary)) == plain ||
                trimmed(commentary) == plain) {
                oldest_match = post;
            }
        }
        if (elements->size() < static_cast<std::size_t>(k_page_size)) {
            complete = true;
        }
    }
    const std::string how =
        fmt::format("commentary match in GET {}?q=author ({} posts on {} page(s), since {:%FT%TZ})",
                    path, seen, pages, since);
    out.how = out.how.empty() ? how : how + "; " + out.how;
    if (oldest_match) {
        out.found = Found::yes;
        out.ref.id = util::json_string(*oldest_match, "id");
        out.ref.uri = out.ref.id;
        out.ref.url = "https://www.linkedin.com/feed/update/" + out.ref.id;
    } else if (complete) {
        out.found = Found::no;
    }
    return out;
}

}  // namespace cmtool::platforms::linkedin
