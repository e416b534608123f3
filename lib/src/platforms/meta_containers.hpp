#pragma once
// The container-then-publish flow of Instagram and Threads (platforms.md §5.2, §5.3), and why
// it cannot post twice:
// - a container is created (POST /{user}/media or /{user}/threads), then published once
//   (POST .../media_publish or .../threads_publish with creation_id); a published container
//   cannot be published again, so publishing the *same* container is safe to repeat;
// - its id is written to <state>/meta-containers/<sha256(key)>.json as soon as Meta answers
//   with it, before any poll or publish, so a rerun after a crash resumes that container
//   instead of creating a second one; the file goes when the post is confirmed;
// - a container created by a request whose answer never came is never published by anyone:
//   it expires after 24 h (§5.2), and the rerun creates a new one.
#include <optional>
#include <string>
#include <vector>

#include "cmtool/platforms/adapter.hpp"
#include "platforms/meta_graph.hpp"

namespace cmtool::platforms::meta {

// The image container field for alt text: added by Meta in 2025 for feed images [U: not in
// platforms.md]; one constant to change or empty the day it turns out otherwise.
inline constexpr const char* k_alt_text_field = "alt_text";

// Whether a media file goes in a VIDEO (Threads) or REELS (Instagram) container.
inline bool is_video(const MediaFile& m) {
    return m.mime.rfind("video/", 0) == 0;
}

// A container's form fields as a JSON object (dry-run previews).
inline nlohmann::json fields_json(const net::FieldList& fields) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : fields) {
        j[k] = v;
    }
    return j;
}

// Container ids kept per publish key, one small file each (written atomically).
class ContainerStore {
  public:
    explicit ContainerStore(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    std::optional<std::string> load(const std::string& key) const;
    Result<void> save(const std::string& key, const std::string& container_id) const;
    void erase(const std::string& key) const;

  private:
    std::filesystem::path file(const std::string& key) const;
    std::filesystem::path m_dir;
};

struct ContainerEndpoints {
    std::string create;        // "/{ig-user-id}/media" | "/{threads-user-id}/threads"
    std::string publish;       // ".../media_publish" | ".../threads_publish"
    std::string status_field;  // "status_code" (Instagram) | "status" (Threads)
};

// A container's status: IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED (§5.2, §5.3).
struct ContainerStatus {
    std::string status;
    std::string message;  // Threads error_message, when ERROR
    bool gone = false;    // the container no longer exists (404 / code 100)
};

class ContainerFlow {
  public:
    ContainerFlow(const AdapterContext& ctx, GraphClient& graph, ContainerEndpoints endpoints);

    // Publishes the post described by `children` (carousel items, each created first with
    // is_carousel_item=true) and `parent` (whose `children` field is filled in here), or
    // resumes the container stored for `key`. On success ref.id is the media id.
    PublishResult publish(const std::string& key, const std::vector<net::FieldList>& children,
                          net::FieldList parent);
    // The status of the container stored for `key`: nullopt when none is stored; fails when
    // Meta cannot be asked.
    Result<std::optional<ContainerStatus>> stored_status(const std::string& key);
    // Polls a container until FINISHED, at most k_max_wait with the injected sleeper.
    std::optional<PublishResult> wait_until_finished(const std::string& id, const std::string& key);

  private:
    Result<ContainerStatus> status_of(const std::string& id);
    std::optional<PublishResult> create(const std::vector<net::FieldList>& children,
                                        net::FieldList parent, std::string& id);
    PublishResult publish_container(const std::string& key, const std::string& id);

    const AdapterContext& m_ctx;
    GraphClient& m_graph;
    ContainerEndpoints m_endpoints;
    ContainerStore m_store;
};

}  // namespace cmtool::platforms::meta
