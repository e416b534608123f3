// Post records: lexicons/app/bsky/feed/post.json, richtext/facet.json, embed/images.json,
// repo/strongRef.json (platforms.md §2.2-2.5).
#include "platforms/bluesky_record.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>

namespace cmtool::platforms::bluesky {
namespace {

using nlohmann::json;

json strong_ref(const RemoteRef& ref) {
    return {{"uri", ref.uri}, {"cid", ref.cid}};
}

json feature(const text::Facet& f, const std::map<std::string, std::string>& dids) {
    switch (f.kind) {
        case text::FacetKind::link:
            return {{"$type", "app.bsky.richtext.facet#link"}, {"uri", f.value}};
        case text::FacetKind::mention:
            return {{"$type", "app.bsky.richtext.facet#mention"}, {"did", dids.at(f.value)}};
        case text::FacetKind::tag:
            break;
    }
    return {{"$type", "app.bsky.richtext.facet#tag"}, {"tag", f.value}};
}

std::string parent_uri(const json& record) {
    if (!record.contains("reply") || !record["reply"].is_object() ||
        !record["reply"].contains("parent") || !record["reply"]["parent"].is_object()) {
        return {};
    }
    return json_string(record["reply"]["parent"], "uri");
}

}  // namespace

std::string rfc3339_millis(net::SysTime t) {
    return date::format("%FT%TZ", std::chrono::floor<std::chrono::milliseconds>(t));
}

std::string post_url(const std::string& handle, const std::string& rkey) {
    return "https://bsky.app/profile/" + handle + "/post/" + rkey;
}

std::optional<AtUri> parse_at_uri(const std::string& uri) {
    constexpr std::string_view k_scheme = "at://";
    if (!uri.starts_with(k_scheme)) {
        return std::nullopt;
    }
    const auto first = uri.find('/', k_scheme.size());
    const auto second = first == std::string::npos ? first : uri.find('/', first + 1);
    if (second == std::string::npos || uri.find('/', second + 1) != std::string::npos ||
        second + 1 == uri.size() || first == k_scheme.size()) {
        return std::nullopt;
    }
    return AtUri{uri.substr(k_scheme.size(), first - k_scheme.size()),
                 uri.substr(first + 1, second - first - 1), uri.substr(second + 1)};
}

json facets_json(const std::vector<text::Facet>& facets,
                 const std::map<std::string, std::string>& dids) {
    json out = json::array();
    for (const text::Facet& f : facets) {
        if (f.kind == text::FacetKind::mention && !dids.contains(f.value)) {
            continue;
        }
        out.push_back({{"index", {{"byteStart", f.byte_start}, {"byteEnd", f.byte_end}}},
                       {"features", json::array({feature(f, dids)})}});
    }
    return out;
}

json images_embed(const std::vector<EmbeddedImage>& images) {
    json list = json::array();
    for (const EmbeddedImage& image : images) {
        json item = {{"image", image.blob}, {"alt", image.alt}};
        if (image.width > 0 && image.height > 0) {
            item["aspectRatio"] = {{"width", image.width}, {"height", image.height}};
        }
        list.push_back(std::move(item));
    }
    return {{"$type", "app.bsky.embed.images"}, {"images", std::move(list)}};
}

json post_record(const PublishRequest& request, const std::string& created_at, const json& facets,
                 const std::optional<json>& embed) {
    json record = {
        {"$type", k_post_collection}, {"text", request.part.text}, {"createdAt", created_at}};
    if (!request.langs.empty()) {
        const auto n = std::min(request.langs.size(), k_max_langs);
        record["langs"] = std::vector<std::string>(request.langs.begin(),
                                                   request.langs.begin() + static_cast<long>(n));
    }
    if (facets.is_array() && !facets.empty()) {
        record["facets"] = facets;
    }
    if (request.parent) {
        const RemoteRef& root = request.root ? *request.root : *request.parent;
        record["reply"] = {{"root", strong_ref(root)}, {"parent", strong_ref(*request.parent)}};
    }
    if (embed) {
        record["embed"] = *embed;
    }
    return record;
}

bool same_post(const json& value, const json& record) {
    return value.is_object() && json_string(value, "text") == json_string(record, "text") &&
           parent_uri(value) == parent_uri(record);
}

std::optional<std::string> thread_problem(const PublishRequest& request) {
    for (const auto* ref : {&request.parent, &request.root}) {
        if (*ref && ((*ref)->uri.empty() || (*ref)->cid.empty())) {
            return "the previous part of this thread (" + (*ref)->id +
                   ") has no at-uri and cid to reply to";
        }
    }
    return std::nullopt;
}

std::optional<std::string> media_problem(const Part& part) {
    if (part.media.size() > k_max_images) {
        return "Bluesky takes at most 4 images per post, this one has " +
               std::to_string(part.media.size());
    }
    for (const MediaFile& m : part.media) {
        if (!m.mime.empty() && !m.mime.starts_with("image/")) {
            return m.file + ": cmtool publishes only images to Bluesky (got " + m.mime + ")";
        }
        if (m.size > k_max_image_bytes) {
            return m.file + " is " + std::to_string(m.size) +
                   " bytes; Bluesky takes images up to 2,000,000 bytes";
        }
    }
    return std::nullopt;
}

}  // namespace cmtool::platforms::bluesky
