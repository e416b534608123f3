// The fake Mastodon's lists (notifications, search, timelines; §1.6, §1.9) and admin controls.
#include <algorithm>

#include "mastodon_state.hpp"
#include "mastodon_text.hpp"

namespace cmtool::fakes {
namespace {

// Mastodon's paging (api/guidelines.md#pagination): newest first; max_id = older than,
// since_id = newer than (newest page), min_id = the page right after the cursor.
template <class T>
std::vector<const T*> select_page(std::vector<const T*> items, const Page& page) {
    std::sort(items.begin(), items.end(), [](const T* a, const T* b) { return a->id > b->id; });
    std::erase_if(items, [&](const T* x) {
        return (page.max_id && x->id >= *page.max_id) ||
               (page.since_id && x->id <= *page.since_id) || (page.min_id && x->id <= *page.min_id);
    });
    if (items.size() > page.limit) {
        if (page.min_id && !page.since_id) {
            items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(page.limit));
        } else {
            items.resize(page.limit);
        }
    }
    return items;
}

bool contains_ci(const std::string& haystack, const std::string& needle) {
    return ascii_lower(haystack).find(ascii_lower(needle)) != std::string::npos;
}

}  // namespace

Paged MastodonState::paginate(std::vector<const Status*> items, const Page& page,
                              const std::string* viewer) {
    Paged out;
    const auto kept = select_page(std::move(items), page);
    for (const Status* s : kept) {
        out.items.push_back(status_json(*s, viewer));
    }
    if (!kept.empty()) {
        out.newest = kept.front()->id;
        out.oldest = kept.back()->id;
    }
    out.full = kept.size() == page.limit;
    return out;
}

Paged MastodonState::notifications(const std::string& account_id,
                                   const std::vector<std::string>& types,
                                   const std::vector<std::string>& exclude_types,
                                   const Page& page) {
    std::lock_guard lock(m_mutex);
    std::vector<const Notification*> items;
    for (const auto& n : m_notifications) {
        const bool type_ok =
            types.empty() || std::find(types.begin(), types.end(), n.type) != types.end();
        const bool excluded =
            std::find(exclude_types.begin(), exclude_types.end(), n.type) != exclude_types.end();
        if (n.account_id == account_id && type_ok && !excluded) {
            items.push_back(&n);
        }
    }
    Paged out;
    const auto kept = select_page(std::move(items), page);
    for (const Notification* n : kept) {
        out.items.push_back(notification_json(*n));
    }
    if (!kept.empty()) {
        out.newest = kept.front()->id;
        out.oldest = kept.back()->id;
    }
    out.full = kept.size() == page.limit;
    return out;
}

Reply MastodonState::search(const std::string& q, const std::string& type,
                            const std::string* viewer, std::size_t limit, std::size_t offset) {
    std::lock_guard lock(m_mutex);
    Json out = {
        {"accounts", Json::array()}, {"statuses", Json::array()}, {"hashtags", Json::array()}};
    const std::string term = q.starts_with('@') || q.starts_with('#') ? q.substr(1) : q;
    if (type.empty() || type == "accounts") {
        for (const auto& a : m_accounts) {
            if (contains_ci(a.username, term) && out["accounts"].size() < limit) {
                out["accounts"].push_back(account_json(a));
            }
        }
    }
    if (type.empty() || type == "hashtags") {
        std::vector<std::string> seen;
        for (const auto& [id, s] : m_statuses) {
            for (const auto& token : tokenize(s.text)) {
                const std::string name = ascii_lower(token.name);
                if (token.kind == TextToken::Kind::hashtag && visible(s, viewer) &&
                    contains_ci(name, term) &&
                    std::find(seen.begin(), seen.end(), name) == seen.end()) {
                    seen.push_back(name);
                }
            }
        }
        for (std::size_t i = 0; i < seen.size() && i < limit; ++i) {
            out["hashtags"].push_back({{"name", seen[i]}, {"url", m_base + "/tags/" + seen[i]}});
        }
    }
    // Full-text status search needs a token (and Elasticsearch); otherwise empty, not an error.
    if ((type.empty() || type == "statuses") && viewer != nullptr) {
        std::size_t skipped = 0;
        for (auto it = m_statuses.rbegin(); it != m_statuses.rend(); ++it) {
            if (!visible(it->second, viewer) || !contains_ci(it->second.text, term)) {
                continue;
            }
            if (skipped++ < offset) {
                continue;
            }
            if (out["statuses"].size() < limit) {
                out["statuses"].push_back(status_json(it->second, viewer));
            }
        }
    }
    return Reply{200, std::move(out), {}};
}

Paged MastodonState::tag_timeline(const std::string& tag, const std::string* viewer,
                                  const Page& page) {
    std::lock_guard lock(m_mutex);
    std::vector<const Status*> items;
    for (const auto& [id, s] : m_statuses) {
        if (s.deleted || s.visibility != "public") {
            continue;
        }
        for (const auto& token : tokenize(s.text)) {
            if (token.kind == TextToken::Kind::hashtag &&
                ascii_lower(token.name) == ascii_lower(tag)) {
                items.push_back(&s);
                break;
            }
        }
    }
    return paginate(std::move(items), page, viewer);
}

std::optional<Paged> MastodonState::account_statuses(const std::string& id,
                                                     const std::string* viewer,
                                                     bool exclude_replies, bool only_media,
                                                     const Page& page) {
    std::lock_guard lock(m_mutex);
    if (find_account(id) == nullptr) {
        return std::nullopt;
    }
    std::vector<const Status*> items;
    for (const auto& [sid, s] : m_statuses) {
        if (s.account_id == id && visible(s, viewer) && !(exclude_replies && s.in_reply_to) &&
            !(only_media && s.media_ids.empty())) {
            items.push_back(&s);
        }
    }
    return paginate(std::move(items), page, viewer);
}

Reply MastodonState::set_engagement(const Json& body) {
    std::lock_guard lock(m_mutex);
    const Json id = body.value("id", Json());
    const std::string text = id.is_string() ? id.get<std::string>() : id.dump();
    Status* s = find_status(std::strtoull(text.c_str(), nullptr, 10));
    if (s == nullptr) {
        return Reply{404, {{"error", "Record not found"}}, {}};
    }
    s->favourites = body.value("favourites_count", s->favourites);
    s->reblogs = body.value("reblogs_count", s->reblogs);
    s->replies = body.value("replies_count", s->replies);
    s->quotes = body.value("quotes_count", s->quotes);
    return Reply{200, status_json(*s, &s->account_id), {}};
}

Reply MastodonState::set_rate_limit(const Json& body) {
    std::lock_guard lock(m_mutex);
    m_config.rate_limit = body.value("limit", m_config.rate_limit);
    m_windows.clear();
    return Reply{200, {{"limit", m_config.rate_limit}}, {}};
}

Reply MastodonState::set_account_counts(const Json& body) {
    std::lock_guard lock(m_mutex);
    Account* a = find_username(body.value("username", std::string()), "");
    if (a == nullptr) {
        return Reply{404, {{"error", "Record not found"}}, {}};
    }
    a->followers = body.value("followers_count", a->followers);
    a->following = body.value("following_count", a->following);
    return Reply{200, account_json(*a), {}};
}

Reply MastodonState::inject_mention(const Json& body) {
    std::lock_guard lock(m_mutex);
    const std::string from = body.value("from", std::string("friend@remote.example"));
    const auto at = from.find('@');
    const std::string to =
        body.value("to", m_accounts.empty() ? std::string() : m_accounts.front().username);
    const Account* target = find_username(to, "");
    if (target == nullptr || at == std::string::npos || at == 0) {
        return Reply{
            422, {{"error", "need \"to\" (a local username) and \"from\" (user@domain)"}}, {}};
    }
    const Account& author = remote_account(from.substr(0, at), from.substr(at + 1));
    Status s;
    s.account_id = author.id;
    s.text = body.value("text", "@" + to + " hello from the fake");
    if (s.text.find("@" + to) == std::string::npos) {
        s.text = "@" + to + " " + s.text;
    }
    s.visibility = body.value("visibility", std::string("public"));
    s.language = "en";
    if (body.contains("in_reply_to_id")) {
        const auto parent_id =
            std::strtoull(body["in_reply_to_id"].get<std::string>().c_str(), nullptr, 10);
        if (Status* parent = find_status(parent_id)) {
            s.in_reply_to = parent->id;
            ++parent->replies;
        }
    }
    const Status& created = insert_status(std::move(s));
    return Reply{200,
                 {{"status", status_json(created, nullptr)},
                  {"notification", notification_json(m_notifications.back())}},
                 {}};
}

Reply MastodonState::expire_token(const std::string& token) {
    std::lock_guard lock(m_mutex);
    for (auto& a : m_accounts) {
        if (!token.empty() && a.token == token) {
            a.token_valid = false;
            return Reply{200, {{"expired", a.username}}, {}};
        }
    }
    return Reply{404, {{"error", "no such token"}}, {}};
}

Json MastodonState::all_statuses() {
    return dump()["statuses"];
}

Json MastodonState::dump() {
    std::lock_guard lock(m_mutex);
    Json statuses = Json::array();
    for (const auto& [id, s] : m_statuses) {
        Json j = status_json(s, &s.account_id);
        j["text"] = s.text;
        j["deleted"] = s.deleted;
        j["idempotency_key"] = s.idempotency_key.empty() ? Json(nullptr) : Json(s.idempotency_key);
        statuses.push_back(std::move(j));
    }
    Json media = Json::array();
    for (const auto& [id, m] : m_media) {
        media.push_back(media_json(m));
    }
    Json notifications = Json::array();
    for (const auto& n : m_notifications) {
        notifications.push_back(notification_json(n));
    }
    return {{"statuses", statuses}, {"media", media}, {"notifications", notifications}};
}

void MastodonState::reset() {
    std::lock_guard lock(m_mutex);
    m_statuses.clear();
    m_media.clear();
    m_notifications.clear();
    m_idempotency.clear();
    m_windows.clear();
    seed();
}

}  // namespace cmtool::fakes
