// X publish(): upload each media file (POST /2/media/upload, media.write) and set its alt text
// (POST /2/media/metadata), then POST /2/tweets, and turn the answer into an Outcome
// (platforms.md §4.2-4.4, §4.8).
#include <fmt/format.h>

#include "cmtool/platforms/image_info.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/x_adapter.hpp"

namespace cmtool::platforms::x {

using net::HttpResponse;
using nlohmann::json;

namespace {

// How far back a duplicate refusal is looked for: X's duplicate window is not documented [U];
// a day covers what has been seen.
constexpr std::chrono::hours k_duplicate_window{24};

std::string media_category(const std::string& mime) {
    return mime == "image/gif"          ? "tweet_gif"
           : mime.starts_with("video/") ? "tweet_video"
                                        : "tweet_image";
}

}  // namespace

PublishResult XAdapter::publish(const PublishRequest& request) {
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
    net::HttpRequest req = make_request("POST", k_tweets_path, api_timeout());
    net::set_json_body(req, tweet_body(request, media_ids).dump());
    // Not retryable: X has no idempotency key, a repeat after a lost answer could post twice.
    return interpret_post(request, send(std::move(req), net::Retryable::no));
}

PublishResult XAdapter::interpret_post(const PublishRequest& request,
                                       const Result<HttpResponse>& response) {
    const std::string what = std::string("POST ") + k_tweets_path;
    if (response && response->status == 403 &&
        is_duplicate_refusal(json::parse(response->body, nullptr, false))) {
        return settle_duplicate(request, describe(what, *response));
    }
    if (response && response->status == 400 && request.parent &&
        response->body.find("in_reply_to") != std::string::npos) {
        return result(Outcome::permanent_failure, describe(what, *response),
                      "the post this part replies to (" + request.parent->id +
                          ") was not found; was it deleted?");
    }
    if (!response || response->status >= 300) {
        return failure(response, what, Step::post);
    }
    const json j = json::parse(response->body, nullptr, false);
    const json data = j.is_object() && j.contains("data") ? j["data"] : json();
    const std::string id = util::json_string(data, "id");
    if (id.empty()) {
        return result(
            Outcome::unknown,
            fmt::format("{}: HTTP {} with {}", what, response->status,
                        j.is_discarded() ? "a malformed JSON body" : "no data.id in the answer"),
            "the post may exist; cmtool looks it up before any retry");
    }
    PublishResult r = result(Outcome::sent, {});
    r.ref.id = id;
    r.ref.url = post_url(id);
    return r;
}

PublishResult XAdapter::settle_duplicate(const PublishRequest& request,
                                         const std::string& message) {
    // X refuses a text the account already posted: if that post is the one we meant (an earlier
    // attempt whose answer was lost), it is sent; else it was posted another way and sending
    // it again would be a second copy anyway: refused.
    const auto now = std::chrono::floor<std::chrono::seconds>(m_ctx.clock.now());
    auto found = lookup(request, now - k_duplicate_window);
    if (found && found->found == Found::yes) {
        PublishResult r = result(Outcome::sent, {});
        r.ref = found->ref;
        r.message = redact("X refused a duplicate; the identical post is already there (" +
                           found->how + ")");
        return r;
    }
    if (!found || found->found == Found::cannot_tell) {
        return result(Outcome::unknown,
                      message + " (and the earlier post could not be looked up: " +
                          (found ? found->how : found.error().message) + ")",
                      "cmtool looks it up again before any retry");
    }
    return result(Outcome::permanent_failure, message,
                  "X refuses the same text twice from one account; change the text (an "
                  "identical post exists that cmtool did not make in the last 24 hours)");
}

std::optional<PublishResult> XAdapter::upload_media(const MediaFile& media, std::string& id) {
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
    const std::string what = std::string("POST ") + k_media_path + " (" + media.file + ")";
    std::string filename = media.path.filename().string();
    net::MultipartForm form;
    form.add_file("media", std::move(filename), mime, std::move(*bytes));
    form.add_text("media_category", media_category(mime));
    net::HttpRequest req = make_request("POST", k_media_path, upload_timeout());
    net::set_multipart_body(req, form);
    // Retryable: a repeated upload leaves at most an unused media id, which expires.
    const auto r = send(std::move(req), net::Retryable::yes);
    if (!r || (r->status != 200 && r->status != 201)) {
        return failure(r, what, Step::prepare);
    }
    const json j = json::parse(r->body, nullptr, false);
    id = util::json_string(j.is_object() && j.contains("data") ? j["data"] : json(), "id");
    if (id.empty()) {
        return result(Outcome::transient_failure,
                      fmt::format("{}: HTTP {} without data.id", what, r->status));
    }
    if (media.alt.empty()) {
        return std::nullopt;
    }
    // Alt text (at most 1000 characters [C]); setting it twice is harmless: retryable.
    const std::string meta_what =
        std::string("POST ") + k_media_metadata_path + " (alt text of " + media.file + ")";
    net::HttpRequest meta = make_request("POST", k_media_metadata_path, api_timeout());
    net::set_json_body(
        meta, json{{"id", id}, {"metadata", {{"alt_text", {{"text", media.alt}}}}}}.dump());
    const auto m = send(std::move(meta), net::Retryable::yes);
    if (!m || (m->status != 200 && m->status != 201)) {
        return failure(m, meta_what, Step::prepare);
    }
    return std::nullopt;
}

}  // namespace cmtool::platforms::x
