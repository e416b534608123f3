#pragma once
// A workspace whose Telegram (`tg`) and Discord (`discord`) accounts point at a running
// fake_messaging, plus a manual channel (`tiktok`), for tests of the built `cmtool publish`.
// The bot token and the webhook URL come from the environment, as a user would set them.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../unit/test_support.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "cmtool_process.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

// Obviously fake secrets, shaped like the real ones (a bot token is "<bot id>:<secret>").
inline constexpr const char* k_bot_token = "7001234567:fake-bot-secret-AAAA";
inline constexpr const char* k_webhook_id = "1111111111111111111";
inline constexpr const char* k_webhook_token = "fake-webhook-token-BBBB";
inline constexpr const char* k_guild = "1200000000000000001";

inline constexpr const char* k_messaging_workspace_yaml = R"(version: 1
brand: Atelier Test
timezone: Europe/Paris
accounts:
  tg:      {platform: telegram, chat_id: "@atelier_news"}
  discord: {platform: discord, guild_id: "1200000000000000001", username: Atelier}
  tiktok:  {platform: manual, network: TikTok}
)";

struct MessagingSandbox {
    FakeServerProcess server;
    net::CurlTransport admin_api;
    TempDir dir;
    std::string bot_token = k_bot_token;
    std::string webhook_token = k_webhook_token;

    explicit MessagingSandbox(const std::string& name) : server(start()), dir(name) {
        dir.write("ws/cmtool.yaml", k_messaging_workspace_yaml);
        std::filesystem::create_directories(root() / "media");
        std::filesystem::copy_file(
            std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg",
            root() / "media" / "lampe-laiton.jpg");
    }

    static FakeServerProcess start() {
        auto s = FakeServerProcess::start(
            CMTOOL_FAKE_MESSAGING,
            {"--telegram-token", k_bot_token, "--discord-webhook",
             std::string(k_webhook_id) + "/" + k_webhook_token, "--max-lifetime", "300"});
        REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message));
        return std::move(*s);
    }

    std::filesystem::path root() const { return dir.path() / "ws"; }
    void write_calendar(const std::string& yaml) const {
        dir.write("ws/calendar/posts.yaml", yaml);
    }
    std::string webhook_url() const {
        return std::string("https://discord.com/api/webhooks/") + k_webhook_id + "/" +
               webhook_token;
    }

    std::vector<std::string> env() const {
        return {"CMTOOL_TG_API=" + server.base_url(), "CMTOOL_DISCORD_API=" + server.base_url(),
                "CMTOOL_TG_TOKEN=" + bot_token, "CMTOOL_DISCORD_WEBHOOK_URL=" + webhook_url(),
                "XDG_CONFIG_HOME=" + (dir.path() / "config").string()};
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"-C", root().string()});
        return run_cmtool(args, {}, env());
    }
    std::unique_ptr<CmtoolProcess> start_cmtool(std::vector<std::string> args,
                                                const std::string& log_name) const {
        args.insert(args.begin(), {"-C", root().string()});
        return std::make_unique<CmtoolProcess>(args, env(), dir.path() / "logs" / log_name);
    }

    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = {}) {
        net::HttpRequest r;
        r.method = method;
        r.url = server.base_url() + path;
        if (!body.is_null()) {
            net::set_json_body(r, body.dump());
        }
        auto res = admin_api.send(r);
        REQUIRE(res.has_value());
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }
    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }
    nlohmann::json telegram() { return admin("GET", "/__admin/telegram/messages"); }
    nlohmann::json discord() { return admin("GET", "/__admin/discord/messages"); }
    long requests() { return admin("GET", "/__admin/stats")["requests"].get<long>(); }
    // Forgets the fake's messages, faults and statistics, and the workspace's ledger.
    void reset() {
        admin("POST", "/__admin/reset");
        std::filesystem::remove_all(root() / ".cmtool");
    }
};

}  // namespace cmtool::test
