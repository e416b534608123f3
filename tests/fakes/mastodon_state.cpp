#include "mastodon_state.hpp"

#include <algorithm>

#include "mastodon_text.hpp"

namespace cmtool::fakes {
namespace {

constexpr auto k_window = std::chrono::minutes(5);         // rack_attack.rb: 300 per 5 min
constexpr auto k_idempotency_ttl = std::chrono::hours(1);  // post_status_service.rb: SETEX 3600

const std::vector<std::string> k_visibilities{"public", "unlisted", "private", "direct"};

}  // namespace

MastodonState::MastodonState(MastodonConfig config) : m_config(std::move(config)) {
    seed();
}

void MastodonState::seed() {
    m_accounts.clear();
    int n = 1;
    for (const auto& [username, token] : m_config.tokens) {
        m_accounts.push_back(Account{std::to_string(n++),
                                     username,
                                     {},
                                     token,
                                     true,
                                     0,
                                     0,
                                     std::chrono::system_clock::now()});
    }
}

void MastodonState::set_base(std::string base) {
    std::lock_guard lock(m_mutex);
    m_base = std::move(base);
}

std::string MastodonState::base() {
    std::lock_guard lock(m_mutex);
    return m_base;
}

MastodonState::Account* MastodonState::find_account(const std::string& id) {
    for (auto& a : m_accounts) {
        if (a.id == id) {
            return &a;
        }
    }
    return nullptr;
}

MastodonState::Account* MastodonState::find_username(const std::string& username,
                                                     const std::string& domain) {
    for (auto& a : m_accounts) {
        if (ascii_lower(a.username) == ascii_lower(username) && a.domain == domain) {
            return &a;
        }
    }
    return nullptr;
}

MastodonState::Account& MastodonState::remote_account(const std::string& username,
                                                      const std::string& domain) {
    if (auto* a = find_username(username, domain)) {
        return *a;
    }
    m_accounts.push_back(Account{std::to_string(m_next_remote++),
                                 username,
                                 domain,
                                 {},
                                 false,
                                 0,
                                 0,
                                 std::chrono::system_clock::now()});
    return m_accounts.back();
}

MastodonState::Status* MastodonState::find_status(std::uint64_t id) {
    const auto it = m_statuses.find(id);
    return it == m_statuses.end() || it->second.deleted ? nullptr : &it->second;
}

bool MastodonState::visible(const Status& s, const std::string* viewer) const {
    if (s.deleted) {
        return false;
    }
    return s.visibility == "public" || s.visibility == "unlisted" ||
           (viewer != nullptr && *viewer == s.account_id);
}

std::optional<std::string> MastodonState::account_for_token(const std::string& token) {
    std::lock_guard lock(m_mutex);
    for (const auto& a : m_accounts) {
        if (!a.token.empty() && a.token == token && a.token_valid) {
            return a.id;
        }
    }
    return std::nullopt;
}

RateInfo MastodonState::window_info(const std::string& account_id, bool count) {
    const auto now = std::chrono::system_clock::now();
    auto& w = m_windows[account_id];
    if (w.start == TimePoint{} || now >= w.start + k_window) {
        w = Window{now, 0};
    }
    if (count) {
        ++w.count;
    }
    const long limit = m_config.rate_limit;
    return RateInfo{limit, std::max(0L, limit - w.count), w.start + k_window, w.count > limit};
}

RateInfo MastodonState::consume(const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    return window_info(account_id, true);
}

RateInfo MastodonState::peek(const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    return window_info(account_id, false);
}

Reply MastodonState::create_status(const std::string& account_id, const StatusInput& in) {
    std::lock_guard lock(m_mutex);  // also serialises requests sharing an Idempotency-Key
    const auto now = std::chrono::system_clock::now();
    Status* parent = nullptr;
    if (in.in_reply_to_id) {
        const auto id = std::strtoull(in.in_reply_to_id->c_str(), nullptr, 10);
        parent = find_status(id);
        if (parent == nullptr || !visible(*parent, &account_id)) {
            return error_reply(404, "Record not found");
        }
    }
    const std::string key = in.idempotency_key ? account_id + ":" + *in.idempotency_key : "";
    if (!key.empty()) {
        const auto it = m_idempotency.find(key);
        if (it != m_idempotency.end() && now - it->second.second < k_idempotency_ttl) {
            if (const Status* existing = find_status(it->second.first)) {
                return Reply{200, status_json(*existing, &account_id), {}};
            }
        }
    }
    if (std::find(k_visibilities.begin(), k_visibilities.end(), in.visibility) ==
        k_visibilities.end()) {
        return error_reply(422, "Validation failed: Visibility is not included in the list");
    }
    if (in.media_ids.size() > m_config.max_media) {
        return error_reply(
            422, "Cannot attach more than " + std::to_string(m_config.max_media) + " files");
    }
    for (const auto& id : in.media_ids) {
        const auto it = m_media.find(id);
        if (it == m_media.end() || it->second.account_id != account_id || it->second.status_id) {
            return error_reply(422, "Validation failed: Media " + id + " not found");
        }
        if (it->second.polls_left > 0) {
            return error_reply(
                422,
                "Cannot attach files that have not finished processing. Try again in "
                "a moment!");
        }
    }
    if (in.status.empty() && in.media_ids.empty()) {
        return error_reply(422, "Validation failed: Text can't be blank");
    }
    if (mastodon_length(in.spoiler_text + in.status) > m_config.max_characters) {
        return error_reply(422, "Validation failed: Text character limit of " +
                                    std::to_string(m_config.max_characters) + " exceeded");
    }
    Status s;
    s.account_id = account_id;
    s.text = in.status;
    s.spoiler_text = in.spoiler_text;
    s.visibility = in.visibility;
    s.language = in.language.empty() ? "en" : in.language;
    s.sensitive = in.sensitive || !in.spoiler_text.empty();
    s.media_ids = in.media_ids;
    s.idempotency_key = in.idempotency_key.value_or("");
    if (parent != nullptr) {
        s.in_reply_to = parent->id;
        ++parent->replies;
    }
    Status& created = insert_status(std::move(s));
    if (!key.empty()) {
        m_idempotency[key] = {created.id, now};
    }
    return Reply{200, status_json(created, &account_id), {}};
}

MastodonState::Status& MastodonState::insert_status(Status s) {
    s.id = m_next_status++;
    s.created_at = std::chrono::system_clock::now();
    for (const auto& media_id : s.media_ids) {
        m_media[media_id].status_id = s.id;
    }
    Status& stored = m_statuses.emplace(s.id, std::move(s)).first->second;
    for (const auto& token : tokenize(stored.text)) {
        const std::string host = m_base.substr(m_base.find("://") + 3);
        if (token.kind != TextToken::Kind::mention ||
            (!token.domain.empty() && token.domain != host)) {
            continue;
        }
        const Account* target = find_username(token.name, "");
        if (target != nullptr && target->id != stored.account_id) {
            m_notifications.push_back(Notification{m_next_notification++, "mention", target->id,
                                                   stored.account_id, stored.id,
                                                   stored.created_at});
        }
    }
    return stored;
}

Reply MastodonState::get_status(std::uint64_t id, const std::string* viewer) {
    std::lock_guard lock(m_mutex);
    const Status* s = find_status(id);
    if (s == nullptr || !visible(*s, viewer)) {
        return error_reply(404, "Record not found");
    }
    return Reply{200, status_json(*s, viewer), {}};
}

Reply MastodonState::get_statuses(const std::vector<std::uint64_t>& ids,
                                  const std::string* viewer) {
    std::lock_guard lock(m_mutex);
    Json out = Json::array();
    for (const auto id : ids) {  // missing or hidden ids are silently dropped (§1.5)
        if (const Status* s = find_status(id); s != nullptr && visible(*s, viewer)) {
            out.push_back(status_json(*s, viewer));
        }
    }
    return Reply{200, std::move(out), {}};
}

Reply MastodonState::context(std::uint64_t id, const std::string* viewer) {
    std::lock_guard lock(m_mutex);
    const Status* s = find_status(id);
    if (s == nullptr || !visible(*s, viewer)) {
        return error_reply(404, "Record not found");
    }
    Json ancestors = Json::array();
    for (auto parent = s->in_reply_to; parent;) {
        const Status* p = find_status(*parent);
        if (p == nullptr) {
            break;
        }
        if (visible(*p, viewer)) {
            ancestors.insert(ancestors.begin(), status_json(*p, viewer));
        }
        parent = p->in_reply_to;
    }
    Json descendants = Json::array();
    std::vector<std::uint64_t> stack{id};  // depth-first, oldest reply first
    while (!stack.empty()) {
        const auto current = stack.back();
        stack.pop_back();
        std::vector<std::uint64_t> children;
        for (const auto& [cid, c] : m_statuses) {
            if (c.in_reply_to == current && visible(c, viewer)) {
                children.push_back(cid);
            }
        }
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
            stack.push_back(*it);
        }
        if (current != id) {
            descendants.push_back(status_json(m_statuses.at(current), viewer));
        }
    }
    return Reply{200, {{"ancestors", ancestors}, {"descendants", descendants}}, {}};
}

Reply MastodonState::delete_status(std::uint64_t id, const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    Status* s = find_status(id);
    if (s == nullptr || s->account_id != account_id) {
        return error_reply(404, "Record not found");
    }
    Json j = status_json(*s, &account_id);
    j["text"] = s->text;  // the deleted status comes back with its source for redrafting
    s->deleted = true;
    if (s->in_reply_to) {
        if (Status* parent = find_status(*s->in_reply_to)) {
            parent->replies = std::max(0L, parent->replies - 1);
        }
    }
    return Reply{200, std::move(j), {}};
}

}  // namespace cmtool::fakes
