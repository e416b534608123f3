// fake_messaging's Discord webhooks: execute (JSON, or multipart payload_json + files[n]) with
// ?wait=true -> 200 + message, else 204; GET the webhook; GET a message it created; errors
// {"code","message"}; X-RateLimit-* headers, and a 429 with Retry-After and a float
// retry_after body (platforms.md §6.2, §6.4).
#include <chrono>

#include "messaging_state.hpp"

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

void dc_error(Response& res, int status, int code, const std::string& message,
              const json& errors = {}) {
    json body = {{"code", code}, {"message", message}};
    if (!errors.is_null()) {
        body["errors"] = errors;
    }
    send_json(res, status, body);
}

void bucket_headers(Response& res, int remaining) {
    res.set_header("X-RateLimit-Limit", "5");
    res.set_header("X-RateLimit-Remaining", std::to_string(remaining));
    res.set_header("X-RateLimit-Reset-After", "1.000");
    res.set_header("X-RateLimit-Bucket", "fake-webhook-bucket");
}

// False (and the answer written) when the webhook does not exist or the token is wrong.
bool authorised(const MessagingState& s, const Request& req, Response& res) {
    if (req.matches[1] != s.config.discord_id) {
        dc_error(res, 404, 10015, "Unknown Webhook");
        return false;
    }
    if (req.matches[2] != s.config.discord_token) {
        dc_error(res, 401, 50027, "Invalid Webhook Token");
        return false;
    }
    return true;
}

std::string now_iso() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000000+00:00", &tm);
    return buf;
}

json message_json(const MessagingState& s, const DiscordMessage& m) {
    return {{"id", m.id},
            {"type", 0},
            {"content", m.content},
            {"channel_id", m.channel_id},
            {"author",
             {{"id", s.config.discord_id},
              {"username", m.username.empty() ? "Atelier Hook" : m.username},
              {"bot", true}}},
            {"attachments", m.attachments},
            {"embeds", json::array()},
            {"timestamp", m.timestamp},
            {"webhook_id", s.config.discord_id}};
}

void execute(MessagingState& s, const Request& req, Response& res) {
    json payload;
    std::vector<const httplib::MultipartFormData*> files;
    if (req.is_multipart_form_data()) {
        for (const auto& [name, file] : req.files) {
            if (name == "payload_json") {
                payload = json::parse(file.content, nullptr, false);
            } else if (name.starts_with("files[")) {
                files.push_back(&file);
            }
        }
    } else {
        payload = json::parse(req.body, nullptr, false);
    }
    if (!payload.is_object()) {
        return dc_error(res, 400, 50109, "The request body contains invalid JSON.");
    }
    DiscordMessage m;
    m.content = payload.value("content", "");
    m.username = payload.value("username", "");
    if (code_points(m.content) > 2000) {
        return dc_error(res, 400, 50035, "Invalid Form Body",
                        {{"content",
                          {{"_errors",
                            {{{"code", "BASE_TYPE_MAX_LENGTH"},
                              {"message", "Must be 2000 or fewer in length."}}}}}}});
    }
    if (m.content.empty() && files.empty()) {
        return dc_error(res, 400, 50006, "Cannot send an empty message");
    }
    const json declared = payload.value("attachments", json::array());
    for (std::size_t i = 0; i < files.size(); ++i) {
        json a = {{"id", std::to_string(1500000000000000001ULL + i)},
                  {"filename", files[i]->filename},
                  {"size", files[i]->content.size()},
                  {"content_type", files[i]->content_type}};
        for (const auto& d : declared) {  // payload attachments match files[n] by id n
            if (d.is_object() && d.value("id", json()).dump() == std::to_string(i) &&
                d.contains("description")) {
                a["description"] = d["description"];
            }
        }
        m.attachments.push_back(std::move(a));
    }
    std::lock_guard lock(s.mutex);
    m.id = std::to_string(s.next_discord_id++);
    m.channel_id =
        req.has_param("thread_id") ? req.get_param_value("thread_id") : s.config.discord_channel;
    m.timestamp = now_iso();
    s.discord.push_back(m);
    bucket_headers(res, 4);
    if (req.get_param_value("wait") == "true") {
        send_json(res, 200, message_json(s, m));
    } else {
        res.status = 204;  // default wait=false: no body (§6.2)
    }
}

}  // namespace

json to_json(const DiscordMessage& m) {
    return {{"id", m.id},
            {"channel_id", m.channel_id},
            {"content", m.content},
            {"username", m.username},
            {"attachments", m.attachments}};
}

json MessagingState::discord_json() {
    std::lock_guard lock(mutex);
    json out = json::array();
    for (const auto& m : discord) {
        out.push_back(to_json(m));
    }
    return out;
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    }
    return n;
}

void install_discord_routes(FakeServer& server, MessagingState& state) {
    const std::string hook = R"(/api/v\d+/webhooks/(\d+)/([^/]+))";
    server.Post(hook, server.api([&state](const Request& req, Response& res) {
        if (authorised(state, req, res)) {
            execute(state, req, res);
        }
    }));
    server.Get(hook, server.api([&state](const Request& req, Response& res) {
        if (!authorised(state, req, res)) {
            return;
        }
        bucket_headers(res, 4);
        send_json(res, 200,
                  {{"id", state.config.discord_id},
                   {"type", 1},
                   {"name", "Atelier Hook"},
                   {"channel_id", state.config.discord_channel},
                   {"guild_id", state.config.discord_guild},
                   {"token", state.config.discord_token},
                   {"avatar", nullptr}});
    }));
    server.Get(hook + R"(/messages/(\d+))", server.api([&state](const Request& req, Response& res) {
        if (!authorised(state, req, res)) {
            return;
        }
        std::lock_guard lock(state.mutex);
        for (const auto& m : state.discord) {
            if (m.id == req.matches[3]) {
                return send_json(res, 200, message_json(state, m));
            }
        }
        dc_error(res, 404, 10008, "Unknown Message");
    }));
    server.Get("/__admin/discord/messages", server.admin([&state](const json&, Response& res) {
        send_json(res, 200, state.discord_json());
    }));
}

}  // namespace cmtool::fakes
