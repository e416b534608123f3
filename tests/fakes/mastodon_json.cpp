// The fake Mastodon's JSON entities (platforms.md §1.2, §1.4, §1.5, §1.6).
#include <algorithm>

#include "mastodon_state.hpp"
#include "mastodon_text.hpp"

namespace cmtool::fakes {

Json MastodonState::account_json(const Account& a) {
    long statuses = 0;
    std::optional<TimePoint> last;
    for (const auto& [id, s] : m_statuses) {
        if (s.account_id == a.id && !s.deleted) {
            ++statuses;
            last = std::max(last.value_or(TimePoint{}), s.created_at);
        }
    }
    const bool local = a.domain.empty();
    const std::string origin = local ? m_base : "https://" + a.domain;
    Json j = {
        {"id", a.id},
        {"username", a.username},
        {"acct", local ? a.username : a.username + "@" + a.domain},
        {"display_name", a.username},
        {"locked", false},
        {"bot", false},
        {"discoverable", true},
        {"group", false},
        {"created_at", iso_time(a.created_at, 3)},
        {"note", ""},
        {"url", origin + "/@" + a.username},
        {"uri", origin + "/users/" + a.username},
        {"avatar", origin + "/avatars/original/missing.png"},
        {"avatar_static", origin + "/avatars/original/missing.png"},
        {"header", origin + "/headers/original/missing.png"},
        {"header_static", origin + "/headers/original/missing.png"},
        {"followers_count", a.followers},
        {"following_count", a.following},
        {"statuses_count", statuses},
        {"last_status_at", nullptr},
        {"emojis", Json::array()},
        {"fields", Json::array()},
    };
    if (last) {
        j["last_status_at"] = iso_time(*last, 0).substr(0, 10);  // a date, not a time
    }
    return j;
}

Json MastodonState::media_json(const Media& m) const {
    const std::string url =
        m_base + "/system/media_attachments/files/" + m.id + "/original/" + m.filename;
    return {
        {"id", m.id},
        {"type", m.type},
        {"url", m.polls_left > 0 ? Json(nullptr) : Json(url)},
        {"preview_url", m_base + "/system/media_attachments/files/" + m.id + "/small/preview.png"},
        {"remote_url", nullptr},
        {"preview_remote_url", nullptr},
        {"text_url", nullptr},
        {"meta", Json::object()},
        {"description", m.description.empty() ? Json(nullptr) : Json(m.description)},
        {"blurhash", "UFBWY:8_0Jxv?bRj00ay00t7~qj[00ay00t7"},
    };
}

Json MastodonState::status_json(const Status& s, const std::string* viewer) {
    Account* author = find_account(s.account_id);
    const bool local = author->domain.empty();
    const std::string origin = local ? m_base : "https://" + author->domain;
    Json media = Json::array();
    for (const auto& id : s.media_ids) {
        if (const auto it = m_media.find(id); it != m_media.end()) {
            media.push_back(media_json(it->second));
        }
    }
    Json mentions = Json::array();
    Json tags = Json::array();
    const std::string host = m_base.substr(m_base.find("://") + 3);
    for (const auto& token : tokenize(s.text)) {
        if (token.kind == TextToken::Kind::hashtag) {
            const std::string name = ascii_lower(token.name);
            tags.push_back({{"name", name}, {"url", m_base + "/tags/" + name}});
        } else if (token.kind == TextToken::Kind::mention) {
            const bool mention_local = token.domain.empty() || token.domain == host;
            const Account& target =
                mention_local && find_username(token.name, "") != nullptr
                    ? *find_username(token.name, "")
                    : remote_account(token.name,
                                     token.domain.empty() ? "unknown.invalid" : token.domain);
            mentions.push_back(
                {{"id", target.id},
                 {"username", target.username},
                 {"url", (target.domain.empty() ? m_base : "https://" + target.domain) + "/@" +
                             target.username},
                 {"acct", target.domain.empty() ? target.username
                                                : target.username + "@" + target.domain}});
        }
    }
    Json in_reply_to_account = nullptr;
    if (s.in_reply_to) {
        if (const auto it = m_statuses.find(*s.in_reply_to); it != m_statuses.end()) {
            in_reply_to_account = it->second.account_id;
        }
    }
    Json j = {
        {"id", std::to_string(s.id)},
        {"created_at", iso_time(s.created_at, 3)},
        {"in_reply_to_id", s.in_reply_to ? Json(std::to_string(*s.in_reply_to)) : Json(nullptr)},
        {"in_reply_to_account_id", in_reply_to_account},
        {"sensitive", s.sensitive},
        {"spoiler_text", s.spoiler_text},
        {"visibility", s.visibility},
        {"language", s.language},
        {"uri", origin + "/users/" + author->username + "/statuses/" + std::to_string(s.id)},
        {"url", origin + "/@" + author->username + "/" + std::to_string(s.id)},
        {"replies_count", s.replies},
        {"reblogs_count", s.reblogs},
        {"favourites_count", s.favourites},
        {"quotes_count", s.quotes},
        {"edited_at", nullptr},
        {"favourited", false},
        {"reblogged", false},
        {"muted", false},
        {"bookmarked", false},
        {"content", render_content(s.text, m_base)},
        {"filtered", Json::array()},
        {"reblog", nullptr},
        {"account", account_json(*author)},
        {"media_attachments", media},
        {"mentions", mentions},
        {"tags", tags},
        {"emojis", Json::array()},
        {"card", nullptr},
        {"poll", nullptr},
    };
    if (viewer != nullptr && *viewer == s.account_id) {  // only the author sees these
        j["pinned"] = false;
        j["application"] = {{"name", "cmtool"}, {"website", nullptr}};
    }
    return j;
}

Json MastodonState::notification_json(const Notification& n) {
    Json j = {
        {"id", std::to_string(n.id)},
        {"type", n.type},
        {"created_at", iso_time(n.created_at, 3)},
        {"group_key", "ungrouped-" + std::to_string(n.id)},
        {"account", account_json(*find_account(n.from_account_id))},
    };
    if (n.status_id) {
        if (const auto it = m_statuses.find(*n.status_id); it != m_statuses.end()) {
            j["status"] = status_json(it->second, &n.account_id);
        }
    }
    return j;
}

Reply MastodonState::instance() {
    std::lock_guard lock(m_mutex);
    const std::string domain = m_base.substr(m_base.find("://") + 3);
    Json j = {
        {"domain", domain},
        {"title", "Fake Mastodon"},
        {"version", "4.3.0"},
        {"source_url", "https://github.com/mastodon/mastodon"},
        {"description", "cmtool's fake Mastodon for tests"},
        {"usage", {{"users", {{"active_month", m_accounts.size()}}}}},
        {"languages", {"en"}},
        {"registrations", {{"enabled", false}, {"approval_required", false}}},
        {"contact", {{"email", ""}, {"account", nullptr}}},
        {"rules", Json::array()},
        {"configuration",
         {{"urls", {{"streaming", "ws://" + domain}}},
          {"statuses",
           {{"max_characters", m_config.max_characters},
            {"max_media_attachments", m_config.max_media},
            {"characters_reserved_per_url", 23}}},
          {"media_attachments",
           {{"supported_mime_types",
             {"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "audio/mpeg"}},
            {"image_size_limit", 16777216},
            {"image_matrix_limit", 33177600},
            {"video_size_limit", 103809024}}},
          {"polls", {{"max_options", 4}, {"max_characters_per_option", 50}}}}},
    };
    return Reply{200, std::move(j), {}};
}

Reply MastodonState::verify_credentials(const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    Account* a = find_account(account_id);
    Json j = account_json(*a);
    j["source"] = {{"privacy", "public"}, {"sensitive", false},      {"language", ""},
                   {"note", ""},          {"fields", Json::array()}, {"follow_requests_count", 0}};
    return Reply{200, std::move(j), {}};
}

Reply MastodonState::account(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const Account* a = find_account(id);
    return a ? Reply{200, account_json(*a), {}} : error_reply(404, "Record not found");
}
}  // namespace cmtool::fakes
