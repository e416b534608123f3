// LinkedIn publish(): upload each image (initializeUpload, then PUT the bytes), then
// POST /rest/posts, whose 201 names the post in x-restli-id (platforms.md §3.2, §3.4).
#include <fmt/format.h>

#include "cmtool/platforms/image_info.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/linkedin_adapter.hpp"

namespace cmtool::platforms::linkedin {

using net::HttpResponse;
using nlohmann::json;

namespace {

// The created post's URN: x-restli-id [V: li-py], or x-linkedin-id [C: some integrations].
constexpr const char* k_id_headers[] = {"x-restli-id", "x-linkedin-id"};
// Where a post lives for humans (§3.2 [C]).
constexpr const char* k_post_url = "https://www.linkedin.com/feed/update/";

}  // namespace

PublishResult LinkedInAdapter::publish(const PublishRequest& request) {
    if (request.part.index > 0) {
        return result(Outcome::permanent_failure,
                      fmt::format("LinkedIn has no threads: thread item {} is not published",
                                  request.part.index),
                      "give this channel a variant with `thread: []`");
    }
    if (auto tok = m_tokens.get(); !tok) {
        return result(Outcome::permanent_failure, tok.error().message, tok.error().hint);
    }
    std::vector<Image> images;
    for (const MediaFile& m : request.part.media) {
        Image image;
        if (auto stop = upload_image(m, image)) {
            return *std::move(stop);
        }
        images.push_back(std::move(image));
    }
    net::HttpRequest req = this->request("POST", "/rest/posts", api_timeout());
    net::set_json_body(req, post_body(request, images).dump());
    // Not retryable: LinkedIn has no idempotency key, a repeat could post twice.
    return interpret_post(send(std::move(req), net::Retryable::no));
}

PublishResult LinkedInAdapter::interpret_post(const Result<HttpResponse>& response) {
    const std::string what = "POST /rest/posts";
    if (!response || response->status >= 300) {
        return failure(response, what, Step::post);
    }
    std::string urn;
    for (const char* name : k_id_headers) {
        if (const auto h = response->header(name); h && !h->empty()) {
            urn = *h;
            break;
        }
    }
    if (urn.empty()) {
        return result(
            Outcome::unknown,
            fmt::format("{}: HTTP {} without an x-restli-id header", what, response->status),
            "the post may exist; cmtool looks it up before any retry");
    }
    PublishResult r = result(Outcome::sent, {});
    r.ref.id = urn;
    r.ref.uri = urn;
    r.ref.url = k_post_url + urn;
    return r;
}

std::optional<PublishResult> LinkedInAdapter::upload_image(const MediaFile& media, Image& image) {
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
    if (!mime.starts_with("image/")) {
        return result(Outcome::permanent_failure,
                      media.file + ": only images are published on LinkedIn by cmtool (" +
                          (mime.empty() ? std::string("unknown type") : mime) + ")");
    }
    const std::string what = "POST /rest/images?action=initializeUpload (" + media.file + ")";
    net::HttpRequest init = request("POST", "/rest/images?action=initializeUpload", api_timeout());
    net::set_json_body(init, json{{"initializeUploadRequest", {{"owner", m_author}}}}.dump());
    // Retryable: a repeat leaves at most an image no post uses.
    const auto r = send(std::move(init), net::Retryable::yes);
    if (!r || r->status != 200) {
        return failure(r, what, Step::prepare);
    }
    const json j = json::parse(r->body, nullptr, false);
    const json value = j.is_object() && j.contains("value") ? j["value"] : json();
    const std::string upload_url = util::json_string(value, "uploadUrl");
    image.urn = util::json_string(value, "image");
    image.alt = media.alt;
    if (upload_url.empty() || image.urn.empty()) {
        return result(Outcome::transient_failure,
                      what + ": answer without value.uploadUrl or value.image");
    }
    const std::string put_what = "PUT upload URL (" + media.file + ")";
    net::HttpRequest put = request("PUT", upload_url, upload_timeout());
    put.body = std::move(*bytes);
    net::set_header(put, "Content-Type", mime);
    // Retryable: the same bytes to the same image URN.
    const auto u = send(std::move(put), net::Retryable::yes);
    if (!u || u->status < 200 || u->status >= 300) {
        return failure(u, put_what, Step::prepare);
    }
    return std::nullopt;
}

}  // namespace cmtool::platforms::linkedin
