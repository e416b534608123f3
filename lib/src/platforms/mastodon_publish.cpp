// Mastodon publish(): upload each media file (waiting for 202 uploads to be processed), then
// POST /api/v1/statuses with the Idempotency-Key, and turn the answer into an Outcome
// (platforms.md §1.2-1.4, §1.8).
#include <algorithm>

#include <fmt/format.h>

#include "cmtool/platforms/image_info.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/mastodon_adapter.hpp"

namespace cmtool::platforms::mastodon {

using net::HttpResponse;
using nlohmann::json;

namespace {

// Polling a 202 upload: 1 s, 2 s, 4 s, then every 8 s, for at most 60 s of waiting in all.
constexpr std::chrono::milliseconds k_first_poll{1000};
constexpr std::chrono::milliseconds k_max_poll{8000};
constexpr std::chrono::milliseconds k_max_processing_wait{60000};

constexpr const char* k_maybe_exists = "the status may exist; cmtool looks it up before any retry";

}  // namespace

PublishResult MastodonAdapter::publish(const PublishRequest& request) {
    if (auto tok = token(); !tok) {
        return result(Outcome::permanent_failure, tok.error().message, tok.error().hint);
    }
    std::vector<std::string> media_ids;
    for (const MediaFile& m : request.part.media) {
        std::string id;
        if (auto stop = upload_media(m, id)) {
            return *std::move(stop);
        }
        media_ids.push_back(std::move(id));
    }
    net::HttpRequest req = make_request("POST", "/api/v1/statuses", api_timeout());
    net::set_json_body(req, status_body(request, media_ids).dump());
    net::Retryable retryable = net::Retryable::no;
    if (!request.key.empty()) {
        // A repeat with the same key within the hour returns the status already created
        // instead of a second one (§1.2): retrying is safe.
        net::set_header(req, "Idempotency-Key", request.key);
        retryable = net::Retryable::yes;
    }
    return interpret_status(request, send(std::move(req), retryable));
}

PublishResult MastodonAdapter::interpret_status(const PublishRequest& request,
                                                const Result<HttpResponse>& response) {
    const std::string what = "POST /api/v1/statuses";
    if (!response || response->status >= 300) {
        if (response && response->status == 404 && request.parent) {
            return result(Outcome::permanent_failure, describe(what, *response),
                          "the status this part replies to (" + request.parent->id +
                              ") was not found; was it deleted?");
        }
        return failure(response, what, Step::status);
    }
    const HttpResponse& res = *response;
    const json j = json::parse(res.body, nullptr, false);
    const std::string id = util::json_string(j, "id");
    if (res.status != 200 || id.empty()) {
        // The server accepted something, but without an id we cannot tell what.
        return result(
            Outcome::unknown,
            fmt::format("{}: HTTP {} with {}", what, res.status,
                        j.is_discarded() ? "a malformed JSON body" : "no status id in the answer"),
            k_maybe_exists);
    }
    PublishResult r = result(Outcome::sent, {});
    r.ref.id = id;
    r.ref.uri = util::json_string(j, "uri");
    r.ref.url = util::json_string(j, "url");  // nullable (§1.2): fall back to the URI
    if (r.ref.url.empty()) {
        r.ref.url = r.ref.uri;
    }
    return r;
}

std::optional<PublishResult> MastodonAdapter::upload_media(const MediaFile& media,
                                                           std::string& id) {
    auto bytes = util::read_file(media.path);
    if (!bytes) {
        return result(Outcome::permanent_failure, bytes.error().message, bytes.error().hint);
    }
    std::string mime = media.mime;
    if (mime.empty()) {
        if (const auto info = parse_image_info(*bytes)) {
            mime = info->mime;
        }
    }
    if (mime.empty()) {
        return result(Outcome::permanent_failure,
                      media.file + ": unknown media type (no MIME type given, not an image)");
    }
    const std::string what = "POST /api/v2/media (" + media.file + ")";
    std::string filename = media.path.filename().string();
    if (filename.empty()) {
        filename = std::filesystem::path(media.file).filename().string();
    }
    net::MultipartForm form;
    form.add_file("file", std::move(filename), mime, std::move(*bytes));
    if (!media.alt.empty()) {
        form.add_text("description", media.alt);
    }
    net::HttpRequest req = make_request("POST", "/api/v2/media", upload_timeout());
    net::set_multipart_body(req, form);
    // Retryable: a repeated upload leaves at most an attachment no status uses, which is
    // harmless (the instance cleans such attachments up).
    const auto r = send(std::move(req), net::Retryable::yes);
    if (!r || (r->status != 200 && r->status != 202)) {
        return failure(r, what, Step::prepare);
    }
    id = util::json_string(json::parse(r->body, nullptr, false), "id");
    if (id.empty()) {
        return result(Outcome::transient_failure,
                      fmt::format("{}: HTTP {} without a media id", what, r->status));
    }
    if (r->status == 202) {
        return wait_until_processed(id, media.file);  // 202: still processing (§1.4)
    }
    return std::nullopt;
}

std::optional<PublishResult> MastodonAdapter::wait_until_processed(const std::string& id,
                                                                   const std::string& file) {
    // A status cannot use an attachment still processing (422, §1.4): poll until 200.
    const std::string what = "GET /api/v1/media/" + id + " (" + file + ")";
    std::chrono::milliseconds delay = k_first_poll;
    std::chrono::milliseconds waited{0};
    while (waited + delay <= k_max_processing_wait) {
        if (auto slept = m_ctx.sleeper.sleep_for(delay); !slept) {
            return result(Outcome::transient_failure, what + ": " + slept.error().message);
        }
        waited += delay;
        delay = std::min(delay * 2, k_max_poll);
        const auto r =
            send(make_request("GET", "/api/v1/media/" + id, api_timeout()), net::Retryable::yes);
        if (r && r->status == 200) {
            return std::nullopt;
        }
        if (!r || r->status != 206) {  // 206 Partial Content: still processing
            return failure(r, what, Step::prepare);
        }
    }
    return result(Outcome::transient_failure,
                  fmt::format("{}: still processing after {} s", what,
                              std::chrono::duration_cast<std::chrono::seconds>(waited).count()),
                  "the instance is slow to process this file; publishing again later retries");
}

}  // namespace cmtool::platforms::mastodon
