// fake_messaging: the Telegram Bot API and Discord webhooks on 127.0.0.1 for integration tests
// (platforms.md §6.4).
//   fake_messaging --port 0 --telegram-token 123456:SECRET --discord-webhook ID/TOKEN
//                  [--retry-after 120] [--state FILE] [--max-lifetime 600] [--latency-ms 0]
//                  [--verbose]
// Prints "PORT=<n>" as its first stdout line. Faults (hang, delay, fail N, 429) and state through
// /__admin/ (fake_http.hpp); GET /__admin/telegram/messages and /__admin/discord/messages list
// what was posted.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "fake_http.hpp"
#include "messaging_state.hpp"

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    using nlohmann::json;
    MessagingConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--telegram-token") {
                config.telegram_token = value;
            } else if (flag == "--discord-webhook") {
                const auto slash = value.find('/');
                if (slash == std::string::npos || slash == 0 || slash + 1 == value.size()) {
                    throw std::invalid_argument("--discord-webhook wants ID/TOKEN");
                }
                config.discord_id = value.substr(0, slash);
                config.discord_token = value.substr(slash + 1);
            } else if (flag == "--retry-after") {
                config.retry_after = std::stoi(value);
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_messaging: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);

    MessagingState state(config);
    FakeServer server(args.latency_ms);
    install_telegram_routes(server, state);
    install_discord_routes(server, state);
    // The 429 fault answers as each platform does: Telegram in its envelope with
    // parameters.retry_after; Discord with its headers and a float retry_after.
    server.set_rate_limited_reply([&state](const httplib::Request& req, httplib::Response& res) {
        const int after = state.config.retry_after;
        if (req.path.starts_with("/bot")) {
            send_json(res, 429,
                      {{"ok", false},
                       {"error_code", 429},
                       {"description", "Too Many Requests: retry after " + std::to_string(after)},
                       {"parameters", {{"retry_after", after}}}});
            return;
        }
        res.set_header("X-RateLimit-Limit", "5");
        res.set_header("X-RateLimit-Remaining", "0");
        res.set_header("X-RateLimit-Reset-After", std::to_string(after) + ".250");
        res.set_header("X-RateLimit-Bucket", "fake-webhook-bucket");
        res.set_header("X-RateLimit-Scope", "user");
        res.set_header("Retry-After", std::to_string(after + 1));
        send_json(res, 429,
                  {{"message", "You are being rate limited."},
                   {"retry_after", after + 0.25},
                   {"global", false}});
    });
    server.install_admin([&state] { state.reset(); });
    return serve(
        server, args, "fake_messaging",
        [&state] {
            return json{{"telegram", state.telegram_json()}, {"discord", state.discord_json()}};
        },
        [](int) {});
}
