// Telegram publish(): sendMessage for text, sendPhoto (multipart upload) with the text as caption
// for one image, reply_parameters to chain a thread; the answer becomes an Outcome. lookup()
// cannot look anything up (platforms.md §6.1; docs/networks/telegram.md).
#include <charconv>

#include <fmt/format.h>

#include "cmtool/net/ratelimit.hpp"
#include "cmtool/text/count.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/telegram_adapter.hpp"

namespace cmtool::platforms::telegram {

using net::HttpResponse;
using nlohmann::json;

namespace {

// sendPhoto caption limit (§6.1 [V], ptb CAPTION_LENGTH), counted like the validator does.
constexpr std::size_t k_caption_limit = 1024;

constexpr const char* k_maybe_sent =
    "the message may have been sent; the Bot API cannot look it up, so cmtool holds it and "
    "never resends it: check the chat";

bool is_photo(const std::string& mime) {
    return mime == "image/jpeg" || mime == "image/png" || mime == "image/webp" ||
           mime == "image/gif";
}

std::optional<std::int64_t> as_int(const std::string& s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

// A link to the message for humans: public channels and groups (@name) have t.me/name/id;
// private supergroups and channels (-100...) have t.me/c/<id without -100>/<message>, which
// opens for members only; private chats have none.
std::string message_url(const std::string& chat_id, const std::string& message_id) {
    if (chat_id.starts_with("@") && chat_id.size() > 1) {
        return fmt::format("https://t.me/{}/{}", chat_id.substr(1), message_id);
    }
    if (chat_id.starts_with("-100") && chat_id.size() > 4) {
        return fmt::format("https://t.me/c/{}/{}", chat_id.substr(4), message_id);
    }
    return {};
}

}  // namespace

json TelegramAdapter::message_body(const PublishRequest& request) const {
    json body = {{"chat_id", m_chat_id}, {"text", request.part.text}};
    if (request.parent) {
        // reply_parameters is the current field; reply_to_message_id the older one (§6.1).
        const auto id = as_int(request.parent->id);
        body["reply_parameters"] = {{"message_id", id ? json(*id) : json(request.parent->id)}};
    }
    return body;
}

PublishResult TelegramAdapter::publish(const PublishRequest& request) {
    if (auto tok = token(); !tok) {
        return result(Outcome::permanent_failure, tok.error().message, tok.error().hint);
    }
    const auto& media = request.part.media;
    if (media.empty()) {
        net::HttpRequest req;
        net::set_json_body(req, message_body(request).dump());
        return interpret(call("sendMessage", std::move(req), net::Retryable::no), "sendMessage");
    }
    // Checked before anything is sent, so that a refusal is certain (nothing published).
    if (media.size() > 1) {
        return result(Outcome::permanent_failure,
                      fmt::format("Telegram: {} images on one message; cmtool sends one photo "
                                  "per message (sendPhoto)",
                                  media.size()),
                      "keep one image for this channel (a variant with one `media` entry)");
    }
    const MediaFile& m = media.front();
    if (!is_photo(m.mime)) {
        return result(
            Outcome::permanent_failure,
            m.file + ": Telegram photos are JPEG, PNG, WebP or GIF images, not `" + m.mime + "`");
    }
    if (const auto n = text::count_utf16(request.part.text); n > k_caption_limit) {
        return result(Outcome::permanent_failure,
                      fmt::format("Telegram: a photo caption is at most {} characters, this text "
                                  "has {}",
                                  k_caption_limit, n),
                      "shorten the text, or move the rest into a `thread` item");
    }
    auto bytes = util::read_file(m.path);
    if (!bytes) {
        return result(Outcome::permanent_failure, bytes.error().message, bytes.error().hint);
    }
    const json body = message_body(request);
    net::MultipartForm form;
    form.add_text("chat_id", m_chat_id);
    if (!request.part.text.empty()) {
        form.add_text("caption", request.part.text);
    }
    if (body.contains("reply_parameters")) {
        form.add_text("reply_parameters", body["reply_parameters"].dump());
    }
    std::string filename = m.path.filename().string();
    form.add_file("photo", filename.empty() ? "photo" : filename, m.mime, std::move(*bytes));
    net::HttpRequest req;
    net::set_multipart_body(req, form);
    return interpret(call("sendPhoto", std::move(req), net::Retryable::no),
                     "sendPhoto (" + m.file + ")");
}

PublishResult TelegramAdapter::interpret(const Result<HttpResponse>& response,
                                         const std::string& what) {
    if (!response) {
        // One request per message: it may always have been the one that posted. (call() never
        // answers rate_limited: Telegram's 429 comes back as an HTTP answer, read below.)
        const Error& e = response.error();
        const auto v = transport_verdict(e, MayHavePublished::yes, k_maybe_sent, k_maybe_sent);
        return result(v.outcome, what + ": " + e.message, v.hint);
    }
    const HttpResponse& res = *response;
    const Envelope env = read_envelope(res.body);
    if (res.status == 200 && env.ok) {
        const auto id = env.result.is_object() ? util::json_int(env.result, "message_id")
                                               : std::optional<std::int64_t>();
        if (!id) {
            return result(Outcome::unknown, what + ": HTTP 200 without a message_id", k_maybe_sent);
        }
        PublishResult r = result(Outcome::sent, {});
        r.ref.id = std::to_string(*id);
        r.ref.url = message_url(m_chat_id, r.ref.id);
        return r;
    }
    const std::string message = describe(what, res);
    if (res.status == 429 || env.error_code == 429) {
        PublishResult r = result(Outcome::rate_limited, message);
        r.retry_at = net::parse_telegram_rate_limit(res, m_ctx.clock.now()).reset;
        return r;
    }
    if (res.status == 401 || res.status == 404) {
        // A wrong or revoked token: 401 Unauthorized; a malformed one: 404 Not Found.
        return result(Outcome::permanent_failure, message, token_hint());
    }
    if (res.status == 403) {
        return result(Outcome::permanent_failure, message,
                      "add the bot to the chat " + m_chat_id +
                          " (as an administrator allowed to post, for a channel)");
    }
    if (res.status >= 500 || res.status == 200) {
        // A 5xx (or a 200 that is not an answer) may come after the message was sent.
        return result(Outcome::unknown, message, k_maybe_sent);
    }
    if (res.status == 400 && env.description.find("chat not found") != std::string::npos) {
        return result(Outcome::permanent_failure, message,
                      "check the account's chat_id (" + m_chat_id + ") and that the bot is in it");
    }
    return result(Outcome::permanent_failure, message);
}

Result<LookupResult> TelegramAdapter::lookup(const PublishRequest& /*request*/,
                                             std::chrono::sys_seconds /*intent_at*/) {
    LookupResult out;
    out.found = Found::cannot_tell;
    out.how =
        "the Telegram Bot API cannot look up the messages a bot sent; check the chat by hand "
        "(docs/networks/telegram.md)";
    return out;
}

}  // namespace cmtool::platforms::telegram
