// Bluesky publish(): resolve mentions, upload images, then createRecord under our record key
// and turn the answer into an Outcome (platforms.md §2.2-2.5, §2.9).
#include <fmt/format.h>

#include "cmtool/platforms/image_info.hpp"
#include "cmtool/platforms/tid.hpp"
#include "cmtool/util/files.hpp"
#include "platforms/bluesky_adapter.hpp"

namespace cmtool::platforms::bluesky {

using net::HttpResponse;
using nlohmann::json;

namespace {

// Blobs can be large and the PDS may be far: more than the default 30 s per attempt.
constexpr std::chrono::milliseconds k_upload_timeout{120000};

}  // namespace

PublishResult BlueskyAdapter::publish(const PublishRequest& request) {
    if (const auto problem = media_problem(request.part)) {
        return result(Outcome::permanent_failure, *problem);
    }
    if (const auto problem = thread_problem(request)) {
        return result(Outcome::permanent_failure, *problem);
    }
    if (auto failed = m_session.ensure()) {
        return not_published(failed->response, "createSession");
    }
    const auto facets = text::detect_facets(request.part.text);
    std::map<std::string, std::string> dids;
    if (auto stop = resolve_mentions(facets, dids)) {
        return *std::move(stop);
    }
    std::vector<EmbeddedImage> images;
    if (auto stop = upload_images(request.part, images)) {
        return *std::move(stop);
    }
    std::optional<json> embed;
    if (!images.empty()) {
        embed = images_embed(images);
    }
    const json record =
        post_record(request, rfc3339_millis(m_ctx.clock.now()), facets_json(facets, dids), embed);
    const std::string rkey = record_key_tid(request.key, request.scheduled_at, request.part.index);
    const json body = {{"repo", m_session.did()},
                       {"collection", k_post_collection},
                       {"rkey", rkey},
                       {"record", record}};
    // Retryable::yes is safe: a repeat of a processed createRecord is refused (same rkey).
    const Exchange ex =
        m_session.send(procedure_call("com.atproto.repo.createRecord", body.dump()));
    return interpret_create(ex, rkey, record);
}

std::optional<PublishResult> BlueskyAdapter::resolve_mentions(
    const std::vector<text::Facet>& facets, std::map<std::string, std::string>& dids) {
    for (const text::Facet& f : facets) {
        if (f.kind != text::FacetKind::mention || dids.contains(f.value)) {
            continue;
        }
        const auto r = m_session.send_public(
            query_call("com.atproto.identity.resolveHandle", {{"handle", f.value}}));
        if (r && r->status == 200) {
            if (const std::string did = json_string(json::parse(r->body, nullptr, false), "did");
                did.starts_with("did:")) {
                dids[f.value] = did;
                continue;
            }
        }
        if (r && r->status == 400) {
            continue;  // unknown handle: the mention stays plain text (§2.3)
        }
        return not_published(r, "resolveHandle " + f.value);
    }
    return std::nullopt;
}

std::optional<PublishResult> BlueskyAdapter::upload_images(const Part& part,
                                                           std::vector<EmbeddedImage>& images) {
    for (const MediaFile& m : part.media) {
        auto bytes = util::read_file(m.path);
        if (!bytes) {
            return result(Outcome::permanent_failure, bytes.error().message);
        }
        const auto info = parse_image_info(*bytes);
        const std::string mime = !m.mime.empty() ? m.mime : info ? info->mime : std::string();
        if (mime.empty()) {
            return result(Outcome::permanent_failure,
                          m.file + " is not a JPEG, PNG, GIF or WebP image");
        }
        // Unreferenced blobs are garbage-collected (§2.5), so repeating an upload is harmless.
        Call upload = procedure_call("com.atproto.repo.uploadBlob", std::move(*bytes), mime);
        upload.timeout = k_upload_timeout;
        const Exchange ex = m_session.send(upload);
        if (ex.stage == Stage::session || !ex.response || ex.response->status != 200) {
            return not_published(ex.response, "uploadBlob " + m.file);
        }
        const json answer = json::parse(ex.response->body, nullptr, false);
        if (!answer.is_object() || !answer.contains("blob") || !answer["blob"].is_object()) {
            return result(Outcome::transient_failure,
                          "uploadBlob " + m.file + ": malformed answer");
        }
        // The real pixel size wins over the calendar's: the aspect ratio must match the image.
        images.push_back(
            {answer["blob"], m.alt, info ? info->width : m.width, info ? info->height : m.height});
    }
    return std::nullopt;
}

PublishResult BlueskyAdapter::interpret_create(const Exchange& ex, const std::string& rkey,
                                               const json& record) {
    if (ex.stage == Stage::session) {
        return not_published(ex.response, "createSession");
    }
    if (!ex.response) {
        const Error& e = ex.response.error();
        const auto failure = net::classify_transport_error(e);
        if (failure && failure->delivery == net::Delivery::not_sent) {
            return result(Outcome::transient_failure, "createRecord: " + e.message);
        }
        // The PDS may have created the record; lookup() will tell (same record key).
        return result(Outcome::unknown, "createRecord: " + e.message);
    }
    const HttpResponse& res = *ex.response;
    const std::string message = describe("createRecord", res);
    if (res.status == 200) {
        const json answer = json::parse(res.body, nullptr, false);
        if (json_string(answer, "uri").empty() || json_string(answer, "cid").empty()) {
            return result(Outcome::unknown, "createRecord: malformed answer (HTTP 200)");
        }
        return sent(answer, rkey, {});
    }
    if (res.status >= 500) {
        return reconcile(rkey, record, message);
    }
    return not_published(ex.response, "createRecord");
}

PublishResult BlueskyAdapter::reconcile(const std::string& rkey, const json& record,
                                        const std::string& why) {
    const Exchange ex = get_record(rkey);
    if (ex.stage == Stage::call && ex.response && ex.response->status == 200) {
        const json found = json::parse(ex.response->body, nullptr, false);
        const json value = found.is_object() ? found.value("value", json()) : json();
        if (same_post(value, record) && !json_string(found, "uri").empty()) {
            return sent(found, rkey,
                        "already published under record key " + rkey + " (" + why + ")");
        }
        if (found.is_object()) {
            return result(Outcome::permanent_failure,
                          fmt::format("record key {} already holds a different post ({})", rkey,
                                      json_string(found, "uri")),
                          "two posts on this account share a schedule second and a key hash; "
                          "move one of them by a second");
        }
    }
    return result(Outcome::unknown, why + "; the post may exist, cmtool will look it up");
}

}  // namespace cmtool::platforms::bluesky
