#pragma once
// State of fake_messaging: the Telegram messages a bot sent and the Discord messages webhooks
// executed, as the tests read them back through /__admin/.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_http.hpp"

namespace cmtool::fakes {

struct MessagingConfig {
    std::string telegram_token;  // the one valid bot token ("<id>:<secret>")
    std::string discord_id;      // the one valid webhook
    std::string discord_token;
    std::string discord_guild = "1200000000000000001";
    std::string discord_channel = "1300000000000000001";
    int retry_after = 120;  // seconds, in 429 answers of both APIs
};

struct TelegramMessage {
    std::int64_t id = 0;
    std::string chat_id;
    std::string text;  // text or caption
    bool photo = false;
    std::string photo_name;
    std::string photo_type;
    std::size_t photo_size = 0;
    std::optional<std::int64_t> reply_to;
    std::int64_t date = 0;
};

struct DiscordMessage {
    std::string id;
    std::string channel_id;
    std::string content;
    std::string username;
    nlohmann::json attachments = nlohmann::json::array();
    std::string timestamp;
};

struct MessagingState {
    explicit MessagingState(MessagingConfig c) : config(std::move(c)) {}

    MessagingConfig config;
    std::mutex mutex;
    std::vector<TelegramMessage> telegram;
    std::vector<DiscordMessage> discord;
    std::int64_t next_telegram_id = 100;
    std::uint64_t next_discord_id = 1400000000000000001ULL;

    void reset() {
        std::lock_guard lock(mutex);
        telegram.clear();
        discord.clear();
        next_telegram_id = 100;
        next_discord_id = 1400000000000000001ULL;
    }
    nlohmann::json telegram_json();
    nlohmann::json discord_json();
};

nlohmann::json to_json(const TelegramMessage& m);
nlohmann::json to_json(const DiscordMessage& m);

// Telegram Bot API routes (platforms.md §6.1, §6.4).
void install_telegram_routes(FakeServer& server, MessagingState& state);
// Discord webhook routes (platforms.md §6.2, §6.4).
void install_discord_routes(FakeServer& server, MessagingState& state);

// UTF-16 code units of UTF-8 text (Telegram's counting unit, §6.1 [U]).
std::size_t utf16_units(const std::string& s);
// Characters (code points) of UTF-8 text (Discord's 2000 limit, §6.2).
std::size_t code_points(const std::string& s);

}  // namespace cmtool::fakes
