// Discord publish(): execute the webhook with ?wait=true (JSON, or multipart payload_json +
// files[n] with alt text as each attachment's description), and turn the answer into an
// Outcome. A thread's items are follow-up messages in order: a webhook cannot reply
// (platforms.md §6.2; docs/networks/discord.md).
#include <fmt/format.h>

#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/discord_adapter.hpp"

namespace cmtool::platforms::discord {

using net::HttpResponse;
using nlohmann::json;

namespace {

constexpr const char* k_maybe_sent =
    "the message may have been posted; a webhook cannot look it up without its id, so cmtool "
    "holds it and never resends it: check the channel";

}  // namespace

json DiscordAdapter::payload(const PublishRequest& request) const {
    json body = {{"content", request.part.text}};
    if (const std::string name = m_ctx.account.get("username"); !name.empty()) {
        body["username"] = name;
    }
    if (!request.part.media.empty()) {
        json attachments = json::array();
        for (std::size_t i = 0; i < request.part.media.size(); ++i) {
            const MediaFile& m = request.part.media[i];
            json a = {{"id", i}, {"filename", m.path.filename().string()}};
            if (!m.alt.empty()) {
                a["description"] = m.alt;  // the attachment's alt text
            }
            attachments.push_back(std::move(a));
        }
        body["attachments"] = std::move(attachments);
    }
    return body;
}

json DiscordAdapter::preview(const PublishRequest& request) const {
    std::string url = "(webhook URL)";
    std::string query = "?wait=true";
    if (const std::string thread = m_ctx.account.get("thread_id"); !thread.empty()) {
        query += "&thread_id=" + thread;
    }
    json out = {{"method", "POST"}, {"url", url + query}};
    if (request.part.media.empty()) {
        out["json"] = payload(request);
    } else {
        json files = json::array();
        for (std::size_t i = 0; i < request.part.media.size(); ++i) {
            const MediaFile& m = request.part.media[i];
            files.push_back({{"field", fmt::format("files[{}]", i)},
                             {"file", m.file},
                             {"mime", m.mime},
                             {"size", m.size}});
        }
        out["multipart"] = {{"payload_json", payload(request)}, {"files", std::move(files)}};
    }
    return out;
}

PublishResult DiscordAdapter::publish(const PublishRequest& request) {
    auto w = webhook();
    if (!w) {
        return result(Outcome::permanent_failure, w.error().message, w.error().hint);
    }
    std::string suffix = "?wait=true";
    if (const std::string thread = m_ctx.account.get("thread_id"); !thread.empty()) {
        suffix += "&thread_id=" + net::url_encode(thread);
    }
    net::HttpRequest req;
    req.method = "POST";
    req.url = endpoint(*w, suffix);
    const json body = payload(request);
    if (request.part.media.empty()) {
        net::set_json_body(req, body.dump());
    } else {
        net::MultipartForm form;
        form.add_text("payload_json", body.dump());
        for (std::size_t i = 0; i < request.part.media.size(); ++i) {
            const MediaFile& m = request.part.media[i];
            auto bytes = util::read_file(m.path);
            if (!bytes) {
                return result(Outcome::permanent_failure, bytes.error().message,
                              bytes.error().hint);
            }
            form.add_file(fmt::format("files[{}]", i), m.path.filename().string(),
                          m.mime.empty() ? "application/octet-stream" : m.mime, std::move(*bytes));
        }
        net::set_multipart_body(req, form);
    }
    return interpret(send(std::move(req), net::Retryable::no), "POST webhook message");
}

PublishResult DiscordAdapter::interpret(const Result<HttpResponse>& response,
                                        const std::string& what) {
    if (!response) {
        // One request per message: it may always have been the one that posted.
        const Error& e = response.error();
        const auto v = transport_verdict(e, MayHavePublished::yes, k_maybe_sent, k_maybe_sent);
        PublishResult r = result(v.outcome, what + ": " + e.message, v.hint);
        if (v.outcome == Outcome::rate_limited) {
            r.retry_at = m_rate.reset;
        }
        return r;
    }
    const HttpResponse& res = *response;
    if (res.status == 200) {
        const json j = json::parse(res.body, nullptr, false);
        const std::string id = util::json_string(j, "id");
        if (id.empty()) {
            return result(Outcome::unknown, what + ": HTTP 200 without a message id", k_maybe_sent);
        }
        PublishResult r = result(Outcome::sent, {});
        r.ref.id = id;
        std::string guild = m_ctx.account.get("guild_id");
        if (guild.empty()) {
            guild = util::json_string(j, "guild_id");  // [U] not always in a webhook message
        }
        const std::string channel = util::json_string(j, "channel_id");
        if (!guild.empty() && !channel.empty()) {
            r.ref.url = fmt::format("https://discord.com/channels/{}/{}/{}", guild, channel, id);
        }
        return r;
    }
    const std::string message = describe(what, res);
    if (res.status == 204 || (res.status >= 200 && res.status < 300)) {
        // Posted, but without ?wait=true's answer we do not know which message it is.
        return result(Outcome::unknown, message + " (no message in the answer)", k_maybe_sent);
    }
    if (res.status == 429) {
        PublishResult r = result(Outcome::rate_limited, message);
        const auto now = m_ctx.clock.now();
        if (const auto delay = net::parse_discord_retry_after(res, now)) {
            r.retry_at = std::chrono::ceil<std::chrono::seconds>(now + *delay);
        } else {
            r.retry_at = net::parse_discord_rate_limit(res, now).reset;
        }
        return r;
    }
    if (res.status == 401 || res.status == 403 || res.status == 404) {
        return result(Outcome::permanent_failure, message, webhook_hint());
    }
    if (res.status >= 500) {
        return result(Outcome::unknown, message, k_maybe_sent);
    }
    return result(Outcome::permanent_failure, message);
}

Result<LookupResult> DiscordAdapter::lookup(const PublishRequest& /*request*/,
                                            std::chrono::sys_seconds /*intent_at*/) {
    LookupResult out;
    out.found = Found::cannot_tell;
    out.how =
        "a Discord webhook can read a message back only by its id, which an unknown outcome "
        "does not give; check the channel by hand (docs/networks/discord.md)";
    return out;
}

}  // namespace cmtool::platforms::discord
