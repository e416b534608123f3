// Instagram and Threads containers (meta_containers.hpp): create, keep, poll, publish once.
#include "platforms/meta_containers.hpp"

#include <fmt/format.h>

#include <system_error>

#include "cmtool/util/encoding.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::meta {

using net::HttpResponse;
using nlohmann::json;

namespace {

// Polling: first look at once, then 1 s, 2 s, 4 s, 8 s, then every 10 s, for at most 120 s of
// waiting in all (Meta suggests about 30 s for media processing, §5.3).
constexpr std::chrono::milliseconds k_first_poll{1000};
constexpr std::chrono::milliseconds k_max_poll{10000};
constexpr std::chrono::milliseconds k_max_wait{120000};

}  // namespace

// ---------------------------------------------------------------- store

std::filesystem::path ContainerStore::file(const std::string& key) const {
    return m_dir / (util::to_hex(util::sha256(key)).substr(0, 32) + ".json");
}

std::optional<std::string> ContainerStore::load(const std::string& key) const {
    auto text = util::read_file(file(key));
    if (!text) {
        return std::nullopt;
    }
    const json j = json::parse(*text, nullptr, false);
    if (util::json_string(j, "key") != key) {
        return std::nullopt;  // another key's file (a hash prefix collision) or damaged
    }
    const std::string id = util::json_string(j, "container");
    return id.empty() ? std::nullopt : std::optional<std::string>(id);
}

Result<void> ContainerStore::save(const std::string& key, const std::string& container_id) const {
    const json j = {{"key", key}, {"container", container_id}};
    return util::write_file_atomic(file(key), j.dump() + "\n");
}

void ContainerStore::erase(const std::string& key) const {
    std::error_code ec;
    std::filesystem::remove(file(key), ec);
}

// ---------------------------------------------------------------- flow

ContainerFlow::ContainerFlow(const AdapterContext& ctx, GraphClient& graph,
                             ContainerEndpoints endpoints)
    : m_ctx(ctx),
      m_graph(graph),
      m_endpoints(std::move(endpoints)),
      m_store(ctx.ws.state_path() / "meta-containers") {}

Result<ContainerStatus> ContainerFlow::status_of(const std::string& id) {
    const std::string what = "GET /" + id + "?fields=" + m_endpoints.status_field;
    const auto r = m_graph.get("/" + net::url_encode(id),
                               {{"fields", m_endpoints.status_field + ",id,error_message"}});
    ContainerStatus s;
    if (r && (r->status == 404 ||
              (r->status == 400 && graph_error(*r) && graph_error(*r)->code == 100))) {
        s.gone = true;  // unknown object: expired and purged, or never ours
        return s;
    }
    if (!r || r->status != 200) {
        return fail(m_graph.as_error(r, what));
    }
    const json j = json::parse(r->body, nullptr, false);
    // Instagram says status_code, Threads status; accept either on both (§5.2 [C], §5.3).
    s.status = util::json_string(j, m_endpoints.status_field.c_str());
    if (s.status.empty()) {
        s.status = util::json_string(j, "status_code");
    }
    if (s.status.empty()) {
        s.status = util::json_string(j, "status");
    }
    s.message = util::json_string(j, "error_message");
    if (s.status.empty()) {
        return fail(ErrorCode::parse, what + ": no status in the answer");
    }
    return s;
}

Result<std::optional<ContainerStatus>> ContainerFlow::stored_status(const std::string& key) {
    const auto id = m_store.load(key);
    if (!id) {
        return std::optional<ContainerStatus>();
    }
    auto s = status_of(*id);
    if (!s) {
        return fail(std::move(s).error());
    }
    return std::optional<ContainerStatus>(std::move(*s));
}

std::optional<PublishResult> ContainerFlow::create(const std::vector<net::FieldList>& children,
                                                   net::FieldList parent, std::string& id) {
    const std::string what = "POST " + m_endpoints.create;
    // Creating a container publishes nothing, so these POSTs may be repeated: a duplicate is
    // an unused container that expires after 24 h.
    std::vector<std::string> child_ids;
    for (const auto& child : children) {
        const auto r = m_graph.post(m_endpoints.create, child, net::Retryable::yes);
        const std::string child_id =
            r && r->status == 200 ? util::json_string(json::parse(r->body, nullptr, false), "id")
                                  : std::string();
        if (child_id.empty()) {
            return r && r->status == 200
                       ? m_graph.result(Outcome::transient_failure,
                                        what + " (carousel item): no container id in the answer")
                       : m_graph.failure(r, what + " (carousel item)", Step::prepare);
        }
        child_ids.push_back(child_id);
    }
    if (!child_ids.empty()) {
        std::string joined;
        for (const auto& c : child_ids) {
            joined += (joined.empty() ? "" : ",") + c;
        }
        parent.emplace_back("children", joined);
    }
    const auto r = m_graph.post(m_endpoints.create, parent, net::Retryable::yes);
    if (!r || r->status != 200) {
        return m_graph.failure(r, what, Step::prepare);
    }
    id = util::json_string(json::parse(r->body, nullptr, false), "id");
    if (id.empty()) {
        return m_graph.result(Outcome::transient_failure, what + ": no container id in the answer");
    }
    return std::nullopt;
}

std::optional<PublishResult> ContainerFlow::wait_until_finished(const std::string& id,
                                                                const std::string& key) {
    const std::string what = "container " + id;
    std::chrono::milliseconds delay = k_first_poll;
    std::chrono::milliseconds waited{0};
    for (;;) {
        auto s = status_of(id);
        if (!s) {
            return m_graph.result(s.error().code == ErrorCode::rate_limited
                                      ? Outcome::rate_limited
                                      : Outcome::transient_failure,
                                  s.error().message, "the container is kept; a rerun resumes it");
        }
        if (s->status == "FINISHED") {
            return std::nullopt;
        }
        if (s->gone || s->status == "ERROR" || s->status == "EXPIRED") {
            m_store.erase(key);  // can never be published: the next attempt starts afresh
            const std::string why = s->gone
                                        ? "no longer exists"
                                        : s->status + (s->message.empty() ? "" : ": ") + s->message;
            return m_graph.result(
                s->status == "EXPIRED" || s->gone ? Outcome::transient_failure
                                                  : Outcome::permanent_failure,
                fmt::format("{}: {}", what, why),
                s->status == "ERROR"
                    ? "Meta could not process the media: check that media_base_url serves the "
                      "file publicly (JPEG for Instagram)"
                    : "a new container is created on the next attempt");
        }
        if (s->status == "PUBLISHED") {
            return m_graph.result(Outcome::unknown,
                                  what + " is already published (by an earlier run)",
                                  "the lookup finds the post before anything is sent again");
        }
        if (waited + delay > k_max_wait) {
            return m_graph.result(
                Outcome::transient_failure,
                fmt::format("{}: still {} after {} s", what, s->status,
                            std::chrono::duration_cast<std::chrono::seconds>(waited).count()),
                "the container is kept; a rerun publishes it once it is ready");
        }
        if (auto slept = m_ctx.sleeper.sleep_for(delay); !slept) {
            return m_graph.result(Outcome::transient_failure, what + ": " + slept.error().message);
        }
        waited += delay;
        delay = std::min(delay * 2, k_max_poll);
    }
}

PublishResult ContainerFlow::publish_container(const std::string& key, const std::string& id) {
    const std::string what = "POST " + m_endpoints.publish;
    // Not retried blindly: a lost answer leaves the outcome unknown, and the lookup (or the
    // container's PUBLISHED status) settles it.
    const auto r = m_graph.post(m_endpoints.publish, {{"creation_id", id}}, net::Retryable::no);
    if (!r || r->status != 200) {
        PublishResult f = m_graph.failure(r, what, Step::create);
        if (f.outcome == Outcome::permanent_failure && r) {
            // Refused for good (e.g. the 24 h publishing cap is a throttle, not this): the
            // container stays usable only if it is still FINISHED; forget it otherwise.
            if (auto s = status_of(id); s && s->status != "FINISHED") {
                m_store.erase(key);
            }
        }
        return f;
    }
    const std::string media_id = util::json_string(json::parse(r->body, nullptr, false), "id");
    if (media_id.empty()) {
        return m_graph.result(Outcome::unknown, what + ": HTTP 200 without a media id",
                              "the lookup finds the post before anything is sent again");
    }
    m_store.erase(key);
    PublishResult ok = m_graph.result(Outcome::sent, {});
    ok.ref.id = media_id;
    // The permalink is for humans only: a failure here does not change the outcome.
    if (const auto p = m_graph.get("/" + net::url_encode(media_id), {{"fields", "permalink"}});
        p && p->status == 200) {
        ok.ref.url = util::json_string(json::parse(p->body, nullptr, false), "permalink");
    }
    return ok;
}

PublishResult ContainerFlow::publish(const std::string& key,
                                     const std::vector<net::FieldList>& children,
                                     net::FieldList parent) {
    if (auto tok = m_graph.token(); !tok) {
        return m_graph.result(Outcome::permanent_failure, tok.error().message, tok.error().hint);
    }
    if (auto stored = m_store.load(key)) {
        // An earlier run created this post's container: publish that one, never a second.
        auto stop = wait_until_finished(*stored, key);
        if (!stop) {
            return publish_container(key, *stored);
        }
        if (m_store.load(key)) {
            return *std::move(stop);  // still ours (in progress, published, or unreachable)
        }
        // It failed or expired: start again below.
    }
    std::string id;
    if (auto stop = create(children, std::move(parent), id)) {
        return *std::move(stop);
    }
    if (auto saved = m_store.save(key, id); !saved) {
        // Without the record a crash could lead to a second container: do not go on.
        return m_graph.result(Outcome::transient_failure,
                              "cannot keep the container id: " + saved.error().message,
                              saved.error().hint);
    }
    if (auto stop = wait_until_finished(id, key)) {
        return *std::move(stop);
    }
    return publish_container(key, id);
}

}  // namespace cmtool::platforms::meta
