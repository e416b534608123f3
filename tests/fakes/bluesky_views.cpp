// The fake AppView: postView, profiles, author feeds, notifications and search over the fake
// PDS's records (platforms.md §2.6, §2.7, §2.10), and the admin setters of their counters.
#include <algorithm>
#include <cstdlib>
#include <functional>

#include "bluesky_state.hpp"
#include "bluesky_text.hpp"

namespace cmtool::fakes {
namespace {

std::string lower(std::string s) {
    std::ranges::transform(s, s.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return s;
}

bool has_tag(const Json& value, const std::string& tag) {
    for (const Json& facet : child(value, "facets")) {
        for (const Json& feature : child(facet, "features")) {
            if (json_str(feature, "$type") == "app.bsky.richtext.facet#tag" &&
                lower(json_str(feature, "tag")) == lower(tag)) {
                return true;
            }
        }
    }
    return false;
}

// One page, newest first, of items whose sequence number is below the cursor.
template <class Item>
Json page(std::vector<Item> items, const Query& q, const std::function<Json(const Item&)>& view,
          const char* list_name) {
    std::ranges::sort(items, [](const Item& a, const Item& b) { return a->seq > b->seq; });
    const std::uint64_t before =
        q.cursor.empty() ? UINT64_MAX : std::strtoull(q.cursor.c_str(), nullptr, 10);
    Json list = Json::array();
    std::uint64_t last = 0;
    bool more = false;
    for (const Item& item : items) {
        if (item->seq >= before) {
            continue;
        }
        if (list.size() == q.limit) {
            more = true;
            break;
        }
        list.push_back(view(item));
        last = item->seq;
    }
    Json out = {{list_name, std::move(list)}};
    if (more) {
        out["cursor"] = std::to_string(last);  // opaque to clients (§2.10)
    }
    return out;
}

}  // namespace

Json BlueskyState::profile_basic(const Account& a) const {
    return {{"did", a.did},
            {"handle", a.handle},
            {"displayName", a.display_name},
            {"labels", Json::array()},
            {"createdAt", iso_millis(a.created_at)}};
}

Json BlueskyState::post_view(const Record& r) {
    const Account* author = find_actor(r.did);
    Json view = {{"uri", r.uri()},
                 {"cid", r.cid},
                 {"author", author ? profile_basic(*author) : Json{{"did", r.did}}},
                 {"record", r.value},
                 {"replyCount", r.replies},
                 {"repostCount", r.reposts},
                 {"likeCount", r.likes},
                 {"quoteCount", r.quotes},
                 {"bookmarkCount", r.bookmarks},
                 {"indexedAt", iso_millis(r.indexed_at)},
                 {"labels", Json::array()}};
    const Json embed = child(r.value, "embed");
    if (json_str(embed, "$type") == "app.bsky.embed.images") {
        Json images = Json::array();
        for (const Json& image : child(embed, "images")) {
            const std::string cid = json_str(child(child(image, "image"), "ref"), "$link");
            Json v = {{"thumb", "https://cdn.bsky.app/img/feed_thumbnail/plain/" + r.did + "/" +
                                    cid + "@jpeg"},
                      {"fullsize", "https://cdn.bsky.app/img/feed_fullsize/plain/" + r.did + "/" +
                                       cid + "@jpeg"},
                      {"alt", json_str(image, "alt")}};
            if (image.contains("aspectRatio")) {
                v["aspectRatio"] = image["aspectRatio"];
            }
            images.push_back(std::move(v));
        }
        view["embed"] = {{"$type", "app.bsky.embed.images#view"}, {"images", std::move(images)}};
    }
    return view;
}

Json BlueskyState::feed_item(const Record& r) {
    Json item = {{"post", post_view(r)}};
    const Json reply = child(r.value, "reply");
    if (reply.is_object()) {
        Json refs = Json::object();
        for (const char* key : {"root", "parent"}) {
            const std::string uri = json_str(child(reply, key), "uri");
            const Record* target = find_uri(uri);
            refs[key] = target ? post_view(*target)
                               : Json{{"$type", "app.bsky.feed.defs#notFoundPost"},
                                      {"uri", uri},
                                      {"notFound", true}};
        }
        item["reply"] = std::move(refs);
    }
    return item;
}

Reply BlueskyState::get_posts(const std::vector<std::string>& uris) {
    std::lock_guard lock(m_mutex);
    if (uris.size() > 25) {
        return xrpc_error(400, "InvalidRequest", "Error: uris must not have more than 25 elements");
    }
    Json posts = Json::array();
    for (const auto& uri : uris) {
        if (const Record* r = find_uri(uri)) {
            posts.push_back(post_view(*r));
        }
    }
    return {200, {{"posts", std::move(posts)}}};
}

Reply BlueskyState::get_profile(const std::string& actor) {
    std::lock_guard lock(m_mutex);
    const Account* a = find_actor(actor);
    if (a == nullptr) {
        return xrpc_error(400, "InvalidRequest", "Profile not found");
    }
    const auto posts = std::ranges::count_if(m_records, [&](const auto& entry) {
        return entry.second.did == a->did && entry.second.collection == "app.bsky.feed.post";
    });
    Json p = profile_basic(*a);
    p["description"] = "";
    p["followersCount"] = a->followers;
    p["followsCount"] = a->follows;
    p["postsCount"] = posts;
    p["indexedAt"] = iso_millis(a->created_at);
    return {200, std::move(p)};
}

Reply BlueskyState::author_feed(const std::string& actor, const std::string& filter,
                                const Query& q) {
    std::lock_guard lock(m_mutex);
    const Account* a = find_actor(actor);
    if (a == nullptr) {
        return xrpc_error(400, "InvalidRequest", "Profile not found");
    }
    std::vector<const Record*> items;
    for (const auto& [uri, r] : m_records) {
        if (r.did != a->did || r.collection != "app.bsky.feed.post") {
            continue;
        }
        const Json parent = child(child(r.value, "reply"), "parent");
        const bool is_reply = parent.is_object();
        const bool has_media = child(r.value, "embed").is_object();
        const bool self_reply =
            is_reply && json_str(parent, "uri").starts_with("at://" + a->did + "/");
        if ((filter == "posts_no_replies" && is_reply) ||
            (filter == "posts_with_media" && !has_media) ||
            (filter == "posts_and_author_threads" && is_reply && !self_reply)) {
            continue;
        }
        items.push_back(&r);
    }
    return {200, page<const Record*>(
                     items, q, [this](const Record* const& r) { return feed_item(*r); }, "feed")};
}

Reply BlueskyState::notifications(const std::string& did, const std::vector<std::string>& reasons,
                                  const Query& q) {
    std::lock_guard lock(m_mutex);
    std::vector<const Notification*> items;
    for (const auto& n : m_notifications) {
        if (n.did == did &&
            (reasons.empty() || std::ranges::find(reasons, n.reason) != reasons.end())) {
            items.push_back(&n);
        }
    }
    const auto view = [this](const Notification* const& n) {
        const Record* r = find_uri(n->record_uri);
        const Account* author = find_actor(r->did);
        Json j = {{"uri", r->uri()},
                  {"cid", r->cid},
                  {"author", profile_basic(*author)},
                  {"reason", n->reason},
                  {"record", r->value},
                  {"isRead", false},
                  {"indexedAt", iso_millis(r->indexed_at)},
                  {"labels", Json::array()}};
        if (!n->subject.empty()) {
            j["reasonSubject"] = n->subject;
        }
        return j;
    };
    Json out = page<const Notification*>(items, q, view, "notifications");
    out["priority"] = false;
    return {200, std::move(out)};
}

Reply BlueskyState::search_posts(const std::string& q, const std::string& author,
                                 const std::vector<std::string>& tags, const Query& query) {
    std::lock_guard lock(m_mutex);
    const Account* by = author.empty() ? nullptr : find_actor(author);
    std::vector<std::string> terms;
    for (std::size_t i = 0; i < q.size();) {
        const auto end = std::min(q.find(' ', i), q.size());
        if (end > i) {
            terms.push_back(lower(q.substr(i, end - i)));
        }
        i = end + 1;
    }
    std::vector<const Record*> hits;
    for (const auto& [uri, r] : m_records) {
        const std::string text = lower(json_str(r.value, "text"));
        const bool match =
            r.collection == "app.bsky.feed.post" && (author.empty() || (by && by->did == r.did)) &&
            std::ranges::all_of(terms,
                                [&](const auto& t) { return text.find(t) != std::string::npos; }) &&
            std::ranges::all_of(tags, [&](const auto& t) { return has_tag(r.value, t); });
        if (match) {
            hits.push_back(&r);
        }
    }
    std::ranges::sort(hits, [](const Record* a, const Record* b) { return a->seq > b->seq; });
    const std::size_t offset =
        query.cursor.empty() ? 0 : std::strtoul(query.cursor.c_str(), nullptr, 10);
    Json posts = Json::array();
    for (std::size_t i = offset; i < hits.size() && posts.size() < query.limit; ++i) {
        posts.push_back(post_view(*hits[i]));
    }
    Json out = {{"posts", std::move(posts)}, {"hitsTotal", hits.size()}};
    if (offset + query.limit < hits.size()) {
        out["cursor"] = std::to_string(offset + query.limit);
    }
    return {200, std::move(out)};
}

Reply BlueskyState::set_engagement(const Json& body) {
    std::lock_guard lock(m_mutex);
    Record* r = find_uri(json_str(body, "uri"));
    if (r == nullptr) {
        return xrpc_error(404, "NotFound", "no record " + json_str(body, "uri"));
    }
    r->likes = body.value("likes", r->likes);
    r->reposts = body.value("reposts", r->reposts);
    r->replies = body.value("replies", r->replies);
    r->quotes = body.value("quotes", r->quotes);
    r->bookmarks = body.value("bookmarks", r->bookmarks);
    return {200, post_view(*r)};
}

Reply BlueskyState::set_profile(const Json& body) {
    std::lock_guard lock(m_mutex);
    Account* a = find_actor(json_str(body, "actor"));
    if (a == nullptr) {
        return xrpc_error(404, "NotFound", "no account " + json_str(body, "actor"));
    }
    a->followers = body.value("followers", a->followers);
    a->follows = body.value("follows", a->follows);
    a->display_name = body.value("displayName", a->display_name);
    return {200, profile_basic(*a)};
}

}  // namespace cmtool::fakes
