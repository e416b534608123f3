// fake_messaging's Telegram Bot API: POST /bot<token>/<method> with getMe, sendMessage (JSON or
// form) and sendPhoto (multipart), the {"ok":...} envelope, 401 for a wrong token, 400 for
// limits, 429 with parameters.retry_after (platforms.md §6.1, §6.4).
#include <cctype>
#include <chrono>

#include "messaging_state.hpp"

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

void tg_error(Response& res, int code, const std::string& description,
              const json& parameters = {}) {
    json body = {{"ok", false}, {"error_code", code}, {"description", description}};
    if (!parameters.is_null()) {
        body["parameters"] = parameters;
    }
    send_json(res, code, body);
}

void tg_ok(Response& res, const json& result) {
    send_json(res, 200, {{"ok", true}, {"result", result}});
}

// The method's parameters whatever the encoding: JSON, multipart or urlencoded.
struct Params {
    json fields = json::object();
    const httplib::MultipartFormData* photo = nullptr;
};

Params params_of(const Request& req) {
    Params p;
    if (req.get_header_value("Content-Type").starts_with("application/json")) {
        const json j = json::parse(req.body, nullptr, false);
        if (j.is_object()) {
            p.fields = j;
        }
        return p;
    }
    for (const auto& [name, file] : req.files) {
        if (name == "photo" && !file.filename.empty()) {
            p.photo = &file;
        } else {
            p.fields[name] = file.content;
        }
    }
    for (const auto& [name, value] : req.params) {
        p.fields[name] = value;
    }
    return p;
}

std::string as_string(const json& j) {
    if (j.is_string()) {
        return j.get<std::string>();
    }
    return j.is_number_integer() ? std::to_string(j.get<std::int64_t>()) : std::string();
}

// reply_parameters as an object (JSON) or a serialised object (form), or the older
// reply_to_message_id.
std::optional<std::int64_t> reply_target(const json& fields) {
    json rp = fields.value("reply_parameters", json());
    if (rp.is_string()) {
        rp = json::parse(rp.get<std::string>(), nullptr, false);
    }
    json id = rp.is_object() ? rp.value("message_id", json()) : json();
    if (id.is_null()) {
        id = fields.value("reply_to_message_id", json());
    }
    const std::string s = as_string(id);
    if (s.empty()) {
        return std::nullopt;
    }
    return std::stoll(s);
}

json chat_of(const std::string& chat_id) {
    if (chat_id.starts_with("@")) {
        return {{"id", -1001234567890LL}, {"type", "channel"}, {"username", chat_id.substr(1)}};
    }
    return {{"id", std::stoll(chat_id)},
            {"type", chat_id.starts_with("-") ? "supergroup" : "private"}};
}

void send(MessagingState& s, const Request& req, Response& res, bool photo) {
    const Params p = params_of(req);
    const std::string chat = as_string(p.fields.value("chat_id", json()));
    if (chat.empty()) {
        return tg_error(res, 400, "Bad Request: chat_id is empty");
    }
    if (!chat.starts_with("@") && chat.find_first_not_of("-0123456789") != std::string::npos) {
        return tg_error(res, 400, "Bad Request: chat not found");
    }
    TelegramMessage m;
    m.chat_id = chat;
    if (photo) {
        if (p.photo == nullptr) {
            return tg_error(res, 400, "Bad Request: there is no photo in the request");
        }
        m.text = p.fields.value("caption", "");
        if (utf16_units(m.text) > 1024) {
            return tg_error(res, 400, "Bad Request: message caption is too long");
        }
        m.photo = true;
        m.photo_name = p.photo->filename;
        m.photo_type = p.photo->content_type;
        m.photo_size = p.photo->content.size();
    } else {
        m.text = p.fields.value("text", "");
        if (m.text.empty()) {
            return tg_error(res, 400, "Bad Request: message text is empty");
        }
        if (utf16_units(m.text) > 4096) {
            return tg_error(res, 400, "Bad Request: message is too long");
        }
    }
    m.reply_to = reply_target(p.fields);
    std::lock_guard lock(s.mutex);
    if (m.reply_to) {
        bool found = false;
        for (const auto& other : s.telegram) {
            found = found || (other.id == *m.reply_to && other.chat_id == chat);
        }
        if (!found) {
            return tg_error(res, 400, "Bad Request: message to be replied not found");
        }
    }
    m.id = s.next_telegram_id++;
    m.date = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
    s.telegram.push_back(m);
    json result = {{"message_id", m.id}, {"date", m.date}, {"chat", chat_of(chat)}};
    if (photo) {
        result["caption"] = m.text;
        result["photo"] = json::array(
            {{{"file_id", "fake-photo-" + std::to_string(m.id)}, {"width", 320}, {"height", 240}}});
    } else {
        result["text"] = m.text;
    }
    if (m.reply_to) {
        result["reply_to_message"] = {{"message_id", *m.reply_to}, {"chat", chat_of(chat)}};
    }
    tg_ok(res, result);
}

}  // namespace

json to_json(const TelegramMessage& m) {
    json j = {{"message_id", m.id},
              {"chat_id", m.chat_id},
              {"text", m.text},
              {"photo", m.photo},
              {"date", m.date}};
    if (m.photo) {
        j["photo_name"] = m.photo_name;
        j["photo_type"] = m.photo_type;
        j["photo_size"] = m.photo_size;
    }
    j["reply_to"] = m.reply_to ? json(*m.reply_to) : json();
    return j;
}

json MessagingState::telegram_json() {
    std::lock_guard lock(mutex);
    json out = json::array();
    for (const auto& m : telegram) {
        out.push_back(to_json(m));
    }
    return out;
}

std::size_t utf16_units(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0U) != 0x80U) {
            n += (b >= 0xF0U) ? 2 : 1;  // a 4-byte sequence is a surrogate pair
        }
    }
    return n;
}

void install_telegram_routes(FakeServer& server, MessagingState& state) {
    auto handler = [&state](const Request& req, Response& res) {
        const std::string token = req.matches[1];
        std::string method = req.matches[2];
        for (char& c : method) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // case-insensitive
        }
        if (token != state.config.telegram_token) {
            // A well-formed but wrong token: 401; a path without "<id>:" is 404 on the real API.
            return token.find(':') == std::string::npos ? tg_error(res, 404, "Not Found")
                                                        : tg_error(res, 401, "Unauthorized");
        }
        if (method == "getme") {
            return tg_ok(res, {{"id", std::stoll(token.substr(0, token.find(':')))},
                               {"is_bot", true},
                               {"first_name", "Atelier Bot"},
                               {"username", "atelier_fake_bot"}});
        }
        if (method == "sendmessage" || method == "sendphoto") {
            return send(state, req, res, method == "sendphoto");
        }
        tg_error(res, 404, "Not Found: method not found");
    };
    server.Post(R"(/bot([^/]+)/([A-Za-z]+))", server.api(handler));
    server.Get(R"(/bot([^/]+)/([A-Za-z]+))", server.api(handler));
    server.Get("/__admin/telegram/messages", server.admin([&state](const json&, Response& res) {
        send_json(res, 200, state.telegram_json());
    }));
}

}  // namespace cmtool::fakes
