// X lookup(): was a part whose outcome is unknown published after all?
//
// X has no idempotency key and no way to ask what a lost request created. lookup() reads the
// account's own posts since the intent (GET /2/users/:id/tweets with start_time = intent - 5
// minutes, newest first, 100 per page, at most 5 pages) and recognises the part by its text
// (normalise_for_match: X shows links as t.co and escapes &, <, >) and its reply parent
// (referenced_tweets, or referenced_posts in the v2.167 spec, type replied_to; none for a
// first part). found: the oldest match; not found: the whole window was read without one;
// cannot_tell: the timeline could not be read to the end.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/util/json.hpp"
#include "platforms/x_adapter.hpp"

namespace cmtool::platforms::x {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes k_clock_skew{5};
constexpr int k_max_pages = 5;
constexpr const char* k_page_size = "100";  // the endpoint's maximum (§4.6)

bool is_auth_problem(const Error& e) {
    return e.code == ErrorCode::auth || e.code == ErrorCode::config;
}

// The id of the post this one replies to, or "".
std::string replied_to(const json& post) {
    for (const char* key : {"referenced_tweets", "referenced_posts"}) {
        const auto refs = post.find(key);
        if (refs == post.end() || !refs->is_array()) {
            continue;
        }
        for (const json& r : *refs) {
            if (util::json_string(r, "type") == "replied_to") {
                return util::json_string(r, "id");
            }
        }
    }
    return {};
}

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

std::string normalise_for_match(std::string_view text) {
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&') {
            bool replaced = false;
            for (const auto& [entity, c] :
                 {std::pair{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}}) {
                const std::string_view e(entity);
                if (text.substr(i, e.size()) == e) {
                    decoded += c;
                    i += e.size() - 1;
                    replaced = true;
                    break;
                }
            }
            if (replaced) {
                continue;
            }
        }
        decoded += text[i];
    }
    std::string out;
    std::size_t i = 0;
    while (i < decoded.size()) {
        if (decoded.compare(i, 7, "http://") == 0 || decoded.compare(i, 8, "https://") == 0) {
            while (i < decoded.size() && !is_space(decoded[i])) {
                ++i;  // a link: dropped (t.co on X's side)
            }
            continue;
        }
        if (is_space(decoded[i])) {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += decoded[i];
        }
        ++i;
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

Result<std::string> XAdapter::user_id() {
    if (m_user_id.empty()) {
        auto info = verify();  // caches the id
        if (!info) {
            return fail(std::move(info).error());
        }
    }
    return m_user_id;
}

Result<LookupResult> XAdapter::lookup(const PublishRequest& request,
                                      std::chrono::sys_seconds intent_at) {
    if (auto tok = token(); !tok) {
        return fail(std::move(tok).error());
    }
    LookupResult out;
    auto id = user_id();
    if (!id) {
        if (is_auth_problem(id.error())) {
            return fail(std::move(id).error());
        }
        out.how = id.error().message;  // cannot_tell
        return out;
    }
    const auto since = intent_at - k_clock_skew;
    const std::string expected = normalise_for_match(request.part.text);
    const std::string parent = request.parent ? request.parent->id : std::string();
    const std::string path = "/2/users/" + *id + "/tweets";
    const net::FieldList base_query = {
        {"max_results", k_page_size},
        {"start_time", fmt::format("{:%FT%TZ}", since)},
        {"tweet.fields", "created_at,referenced_tweets,conversation_id,attachments"}};
    std::optional<std::string> cursor;
    std::optional<json> oldest_match;
    bool complete = false;
    std::size_t seen = 0;
    int pages = 0;
    while (!complete && pages < k_max_pages) {
        net::FieldList q = base_query;
        if (cursor) {
            q.emplace_back("pagination_token", *cursor);
        }
        const auto r = send(make_request("GET", net::append_query(path, q), api_timeout()),
                            net::Retryable::yes);
        ++pages;
        const json page = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
        if (!page.is_object()) {
            const Error e = r && r->status == 200
                                ? Error{ErrorCode::parse, "GET " + path + ": malformed answer", {}}
                                : as_error(r, "GET " + path);
            if (is_auth_problem(e)) {
                return fail(e);
            }
            out.how = e.message;
            break;
        }
        const auto data = page.find("data");
        if (data != page.end() && data->is_array()) {
            for (const json& post : *data) {  // newest first
                ++seen;
                if (replied_to(post) == parent &&
                    normalise_for_match(util::json_string(post, "text")) == expected) {
                    oldest_match = post;
                }
            }
        }
        const json meta = page.value("meta", json::object());
        const std::string next = util::json_string(meta, "next_token");
        if (next.empty()) {
            complete = true;  // start_time bounds the list: this was the last page
        } else {
            cursor = next;
        }
    }
    const std::string how = fmt::format(
        "text match in GET {} ({} posts on {} page(s), since {:%FT%TZ})", path, seen, pages, since);
    out.how = out.how.empty() ? how : how + "; " + out.how;
    if (oldest_match) {
        out.found = Found::yes;
        out.ref.id = util::json_string(*oldest_match, "id");
        out.ref.url = post_url(out.ref.id);
    } else if (complete) {
        out.found = Found::no;
    }
    return out;
}

}  // namespace cmtool::platforms::x
