// The fake Mastodon's media uploads (platforms.md §1.4): 200 when processed at once; 202 with
// url null for a file whose name contains "slow", then 206 on the next polls until processed.
#include "mastodon_state.hpp"

namespace cmtool::fakes {

Reply MastodonState::upload_media(const std::string& account_id, const std::string& filename,
                                  const std::string& mime, const std::string& description) {
    std::lock_guard lock(m_mutex);
    if (filename.empty()) {
        return error_reply(422, "Validation failed: File can't be blank");
    }
    std::string type;
    if (mime == "image/gif") {
        type = "gifv";
    } else if (mime.starts_with("image/")) {
        type = "image";
    } else if (mime.starts_with("video/")) {
        type = "video";
    } else if (mime.starts_with("audio/")) {
        type = "audio";
    } else {
        return error_reply(422, "Validation failed: File content type is invalid, File is invalid");
    }
    const bool slow = filename.find("slow") != std::string::npos;
    Media m{std::to_string(m_next_media++),  account_id,  type, description, filename,
            slow ? m_config.media_polls : 0, std::nullopt};
    const auto& stored = m_media.emplace(m.id, m).first->second;
    return Reply{slow ? 202 : 200, media_json(stored), {}};
}

Reply MastodonState::get_media(const std::string& id, const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    const auto it = m_media.find(id);
    if (it == m_media.end() || it->second.account_id != account_id) {
        return error_reply(404, "Record not found");
    }
    Media& m = it->second;
    if (m.polls_left > 0) {
        --m.polls_left;
        Json j = media_json(m);
        j["url"] = nullptr;  // still processing on this poll
        return Reply{206, std::move(j), {}};
    }
    return Reply{200, media_json(m), {}};
}
}  // namespace cmtool::fakes
