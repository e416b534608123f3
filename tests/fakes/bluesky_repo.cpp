// The fake PDS's repository: createRecord with the post lexicon's checks (platforms.md §2.2-2.5,
// §2.8), uploadBlob, getRecord, resolveHandle. Error names and messages follow what the
// reference PDS (@atproto/pds 0.4) answers, as seen against shared/servers/bluesky.
#include <algorithm>
#include <set>

#include "bluesky_state.hpp"
#include "bluesky_text.hpp"

namespace cmtool::fakes {
namespace {

using std::chrono::system_clock;

constexpr std::size_t k_max_graphemes = 300;        // feed/post.json text maxGraphemes
constexpr std::size_t k_max_bytes = 3000;           // feed/post.json text maxLength
constexpr std::size_t k_max_images = 4;             // embed/images.json
constexpr std::size_t k_max_image_bytes = 2000000;  // embed/images.json image maxSize
constexpr std::size_t k_max_blob_upload = 50U * 1024U * 1024U;

Reply invalid(const std::string& what) {
    return xrpc_error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: " + what);
}

bool is_uint(const Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number_integer() &&
           j[key].get<long>() >= 0;
}

std::optional<Reply> check_strong_ref(const Json& ref, const std::string& at) {
    if (!ref.is_object()) {
        return invalid("Missing required key at " + at);
    }
    const std::string uri = json_str(ref, "uri");
    if (!is_at_uri(uri)) {
        return invalid("Invalid at-uri (got \"" + uri + "\") at " + at + ".uri");
    }
    if (json_str(ref, "cid").empty()) {
        return invalid("Missing required key \"cid\" at " + at);
    }
    return std::nullopt;
}

std::optional<Reply> check_facets(const Json& facets, const std::string& text, bool strict) {
    if (!facets.is_array()) {
        return invalid("Expected array at $.record.facets");
    }
    for (std::size_t i = 0; i < facets.size(); ++i) {
        const Json& f = facets[i];
        const std::string at = "$.record.facets[" + std::to_string(i) + "]";
        if (!f.is_object() || !is_uint(child(f, "index"), "byteStart") ||
            !is_uint(f["index"], "byteEnd")) {
            return invalid("Invalid facet index at " + at + ".index");
        }
        const auto start = f["index"]["byteStart"].get<std::size_t>();
        const auto end = f["index"]["byteEnd"].get<std::size_t>();
        if (strict && (start >= end || end > text.size() || !is_utf8_boundary(text, start) ||
                       !is_utf8_boundary(text, end))) {
            return invalid("facet byte range [" + std::to_string(start) + ", " +
                           std::to_string(end) + ") does not fit the UTF-8 text at " + at);
        }
        if (!f.contains("features") || !f["features"].is_array() || f["features"].empty()) {
            return invalid("Missing required key \"features\" at " + at);
        }
        for (const Json& feature : f["features"]) {
            const std::string type = json_str(feature, "$type");
            const bool ok =
                (type == "app.bsky.richtext.facet#link" && !json_str(feature, "uri").empty()) ||
                (type == "app.bsky.richtext.facet#mention" &&
                 json_str(feature, "did").starts_with("did:")) ||
                (type == "app.bsky.richtext.facet#tag" && !json_str(feature, "tag").empty() &&
                 json_str(feature, "tag").size() <= 640 &&
                 count_graphemes_fake(json_str(feature, "tag")) <= 64);
            if (!ok) {
                return invalid("Invalid facet feature at " + at + ".features");
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::string BlueskyState::next_tid() {
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
        system_clock::now().time_since_epoch());
    m_last_tid_micros = std::max(m_last_tid_micros + 1, static_cast<std::uint64_t>(now.count()));
    return tid_of(m_last_tid_micros, 7);
}

BlueskyState::Record* BlueskyState::find_uri(const std::string& uri) {
    const auto it = m_records.find(uri);
    return it == m_records.end() ? nullptr : &it->second;
}

std::optional<Reply> BlueskyState::check_embed(const std::string& did, const Json& embed) {
    if (json_str(embed, "$type") != "app.bsky.embed.images") {
        return std::nullopt;  // external cards, quotes: accepted as they are
    }
    const Json images = child(embed, "images");
    if (!images.is_array() || images.size() > k_max_images) {
        return invalid("images must be an array of at most 4 at $.record.embed.images");
    }
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::string at = "$.record.embed.images[" + std::to_string(i) + "]";
        const Json& image = images[i];
        if (!image.is_object() || !image.contains("alt") || !image["alt"].is_string()) {
            return invalid("Missing required key \"alt\" at " + at);
        }
        if (image.contains("aspectRatio") &&
            (!is_uint(image["aspectRatio"], "width") || !is_uint(image["aspectRatio"], "height") ||
             image["aspectRatio"]["width"] == 0 || image["aspectRatio"]["height"] == 0)) {
            return invalid("aspectRatio needs positive width and height at " + at);
        }
        const std::string cid = json_str(child(child(image, "image"), "ref"), "$link");
        const auto blob = m_blobs.find(cid);
        if (blob == m_blobs.end() || blob->second.did != did) {
            return xrpc_error(400, "BlobNotFound", "Could not find blob: " + cid);
        }
        if (blob->second.size > k_max_image_bytes) {
            return xrpc_error(400, "BlobTooLarge",
                              "This file is too large. It is " + std::to_string(blob->second.size) +
                                  " bytes but the maximum size is 2000000.");
        }
    }
    return std::nullopt;
}

std::optional<Reply> BlueskyState::check_post(const std::string& did, const Json& record) {
    if (json_str(record, "$type") != "app.bsky.feed.post") {
        return invalid("Record/$type must be \"app.bsky.feed.post\" at $.record");
    }
    for (const char* key : {"text", "createdAt"}) {
        if (!record.contains(key) || !record[key].is_string()) {
            return invalid(std::string("Missing required key \"") + key + "\" at $.record");
        }
    }
    const std::string text = record["text"].get<std::string>();
    if (text.size() > k_max_bytes) {
        return invalid("string too big (maximum 3000, got " + std::to_string(text.size()) +
                       ") at $.record.text");
    }
    if (const auto g = count_graphemes_fake(text); g > k_max_graphemes) {
        return invalid("grapheme too big (maximum 300, got " + std::to_string(g) +
                       ") at $.record.text");
    }
    if (!is_datetime(json_str(record, "createdAt"))) {
        return invalid("createdAt must be an valid atproto datetime at $.record.createdAt");
    }
    if (record.contains("langs") && (!record["langs"].is_array() || record["langs"].size() > 3)) {
        return invalid("langs must not have more than 3 elements at $.record.langs");
    }
    if (record.contains("facets")) {
        if (auto bad = check_facets(record["facets"], text, m_config.strict_facets)) {
            return bad;
        }
    }
    if (record.contains("reply")) {
        for (const char* key : {"root", "parent"}) {
            if (auto bad = check_strong_ref(child(record["reply"], key),
                                            std::string("$.record.reply.") + key)) {
                return bad;
            }
        }
    }
    return record.contains("embed") ? check_embed(did, record["embed"]) : std::nullopt;
}

Reply BlueskyState::create_record(const std::string& did, const Json& body) {
    std::lock_guard lock(m_mutex);
    const std::string repo = json_str(body, "repo");
    const std::string collection = json_str(body, "collection");
    std::string rkey = json_str(body, "rkey");
    const Account* a = find_actor(repo);
    if (a == nullptr) {
        return xrpc_error(400, "InvalidRequest", "Could not find repo: " + repo);
    }
    if (a->did != did) {
        return xrpc_error(401, "AuthenticationRequired", "Authentication Required");
    }
    if (collection.empty() || !body.contains("record") || !body["record"].is_object()) {
        return xrpc_error(400, "InvalidRequest",
                          "Input must have the properties collection and record");
    }
    const Json& record = body["record"];
    if (collection == "app.bsky.feed.post") {
        if (!rkey.empty() && !is_tid(rkey)) {
            return xrpc_error(
                400, "InvalidRequest",
                "Invalid record key for app.bsky.feed.post: Invalid TID string (got \"" + rkey +
                    "\") at $");
        }
        if (auto bad = check_post(did, record)) {
            return *bad;
        }
    }
    rkey = rkey.empty() ? next_tid() : rkey;
    const std::string uri = "at://" + did + "/" + collection + "/" + rkey;
    if (m_records.contains(uri)) {
        // The reference PDS's MST add() throws "There is already a value at key", which
        // xrpc-server turns into an internal error: this is what a duplicate record key gets.
        return xrpc_error(500, "InternalServerError", "Internal Server Error");
    }
    Record r{++m_seq,
             did,
             collection,
             rkey,
             fake_cid("bafyrei", record.dump()),
             record,
             system_clock::now()};
    if (Record* parent = find_uri(json_str(child(child(record, "reply"), "parent"), "uri"))) {
        ++parent->replies;
    }
    m_records[uri] = r;
    notify(r);
    return {200,
            {{"uri", uri},
             {"cid", r.cid},
             {"commit",
              {{"cid", fake_cid("bafyrei", uri + std::to_string(r.seq))}, {"rev", next_tid()}}},
             {"validationStatus", "valid"}}};
}

void BlueskyState::notify(const Record& r) {
    std::set<std::string> told{r.did};
    if (r.collection != "app.bsky.feed.post") {
        return;
    }
    if (const Record* parent =
            find_uri(json_str(child(child(r.value, "reply"), "parent"), "uri"))) {
        if (told.insert(parent->did).second) {
            m_notifications.push_back({++m_seq, parent->did, "reply", r.uri(), parent->uri()});
        }
    }
    for (const Json& facet : child(r.value, "facets")) {
        for (const Json& feature : child(facet, "features")) {
            const std::string target = json_str(feature, "did");
            if (json_str(feature, "$type") == "app.bsky.richtext.facet#mention" &&
                find_actor(target) != nullptr && told.insert(target).second) {
                m_notifications.push_back({++m_seq, target, "mention", r.uri(), ""});
            }
        }
    }
}

Reply BlueskyState::upload_blob(const std::string& did, const std::string& mime,
                                const std::string& bytes) {
    std::lock_guard lock(m_mutex);
    if (bytes.size() > k_max_blob_upload) {
        return xrpc_error(413, "PayloadTooLarge", "request entity too large");
    }
    const std::string cid = fake_cid("bafkrei", bytes);
    const std::string type = mime.empty() ? "application/octet-stream" : mime;
    m_blobs[cid] = Blob{did, type, bytes.size()};
    return {200,
            {{"blob",
              {{"$type", "blob"},
               {"ref", {{"$link", cid}}},
               {"mimeType", type},
               {"size", bytes.size()}}}}};
}

Reply BlueskyState::get_record(const std::string& repo, const std::string& collection,
                               const std::string& rkey) {
    std::lock_guard lock(m_mutex);
    const Account* a = find_actor(repo);
    const std::string uri = "at://" + (a ? a->did : repo) + "/" + collection + "/" + rkey;
    const Record* r = find_uri(uri);
    if (r == nullptr) {
        return xrpc_error(400, "RecordNotFound", "Could not locate record: " + uri);
    }
    return {200, {{"uri", uri}, {"cid", r->cid}, {"value", r->value}}};
}

Reply BlueskyState::resolve_handle(const std::string& handle) {
    std::lock_guard lock(m_mutex);
    const Account* a = handle.starts_with("did:") ? nullptr : find_actor(handle);
    if (a == nullptr) {
        return xrpc_error(400, "InvalidRequest", "Unable to resolve handle");
    }
    return {200, {{"did", a->did}}};
}

Json BlueskyState::all_records() {
    std::lock_guard lock(m_mutex);
    std::vector<const Record*> ordered;
    for (const auto& [uri, r] : m_records) {
        ordered.push_back(&r);
    }
    std::ranges::sort(ordered, [](const Record* a, const Record* b) { return a->seq < b->seq; });
    Json out = Json::array();
    for (const Record* r : ordered) {
        out.push_back({{"uri", r->uri()},
                       {"cid", r->cid},
                       {"did", r->did},
                       {"collection", r->collection},
                       {"rkey", r->rkey},
                       {"value", r->value},
                       {"indexedAt", iso_millis(r->indexed_at)}});
    }
    return out;
}

}  // namespace cmtool::fakes
