// `cmtool publish` to Telegram and Discord against fake_messaging: text, image, thread, a 429
// (deferred with retry_at), a wrong secret (failed, with a hint, the secret never printed), and
// pull-metrics saying there are none.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "../support/messaging_sandbox.hpp"
#include "cmtool/net/ratelimit.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

// True when `d`'s retry_at is `after` from a moment in [before, now] (the fake's retry_after),
// within a second of rounding up.
bool retry_after_from(const json& d, std::chrono::system_clock::time_point before,
                      std::chrono::seconds after) {
    if (!d["retry_at"].is_string()) {
        return false;
    }
    const auto at = net::parse_iso8601(d["retry_at"].get<std::string>());
    const auto now = std::chrono::system_clock::now();
    return at && *at >= std::chrono::floor<std::chrono::seconds>(before) + after &&
           *at <= std::chrono::ceil<std::chrono::seconds>(now) + after + std::chrono::seconds(1);
}

std::string ago(std::chrono::minutes m) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%FT%T}+00:00", now - m);
}

// Text, an image with alt text, and a three-part thread, due 30, 20 and 10 minutes ago.
std::string calendar_for(const std::string& channel) {
    return fmt::format(R"(posts:
  - id: un
    at: {0}
    channels: [{3}]
    text: "Premier message, avec un lien https://atelier.example/lampe"
  - id: image
    at: {1}
    channels: [{3}]
    text: "La lampe en laiton."
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Lampe en laiton sur un établi"}}
  - id: fil
    at: {2}
    channels: [{3}]
    text: "Un fil, 1/3"
    thread: ["2/3 : la suite.", "3/3 : la fin."]
)",
                       ago(std::chrono::minutes(30)), ago(std::chrono::minutes(20)),
                       ago(std::chrono::minutes(10)), channel);
}

void check_secret_absent(const test::RunResult& r, const std::string& secret) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
}

json deliveries(const test::RunResult& r) {
    const json doc = json::parse(r.out, nullptr, false);
    REQUIRE_MESSAGE(doc.is_object(), r.out << r.err);
    return doc["deliveries"];
}

// The state `auth status --format json` gives an account ("" when absent).
std::string account_state(const test::RunResult& r, const std::string& account) {
    const json doc = json::parse(r.out, nullptr, false);
    const json list = doc.is_object() ? doc.value("accounts", json::array()) : doc;
    for (const auto& a : list) {
        if (a.is_object() && a.value("account", "") == account) {
            return a.value("state", "");
        }
    }
    return {};
}

}  // namespace

TEST_SUITE("publish telegram and discord") {
    TEST_CASE("Telegram: sendMessage, sendPhoto with caption, a thread as replies") {
        test::MessagingSandbox s("msg-tg-publish");
        s.write_calendar(calendar_for("tg"));
        const auto r = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        const json msgs = s.telegram();
        REQUIRE(msgs.size() == 5);
        CHECK(msgs[0]["chat_id"] == "@atelier_news");
        CHECK(msgs[0]["text"] == "Premier message, avec un lien https://atelier.example/lampe");
        CHECK(msgs[0]["photo"] == false);
        CHECK(msgs[1]["photo"] == true);
        CHECK(msgs[1]["text"] == "La lampe en laiton.");  // the caption
        CHECK(msgs[1]["photo_type"] == "image/jpeg");
        CHECK(msgs[1]["photo_size"].get<long>() > 1000);
        CHECK(msgs[2]["reply_to"].is_null());
        CHECK(msgs[3]["reply_to"] == msgs[2]["message_id"]);
        CHECK(msgs[4]["reply_to"] == msgs[3]["message_id"]);
        for (const auto& d : deliveries(r)) {
            CHECK(d["outcome"] == "sent");
            CHECK(d["url"].get<std::string>().starts_with("https://t.me/atelier_news/"));
        }
        check_secret_absent(r, test::k_bot_token);
        // Nothing twice: a second run sends nothing.
        const auto again = s.run({"publish"});
        CHECK_MESSAGE(again.exit_code == 0, again.err);
        CHECK(again.err.find("3 already sent") != std::string::npos);
        CHECK(s.telegram().size() == 5);
        // No metrics on Telegram: said once, and the run does not fail.
        const auto pull = s.run({"pull-metrics", "--account", "tg"});
        CHECK_MESSAGE(pull.exit_code == 0, pull.out << pull.err);
        CHECK(pull.err.find("no metrics on Telegram") != std::string::npos);
    }

    TEST_CASE("Telegram: a 429 defers the delivery with retry_at from parameters.retry_after") {
        test::MessagingSandbox s("msg-tg-429");
        s.write_calendar(calendar_for("tg"));
        s.arm({{"path", "*"}, {"mode", "429"}, {"count", 10}});
        const auto before = std::chrono::system_clock::now();
        const auto r = s.run({"publish", "--post", "un", "--format", "json"});
        CHECK(r.exit_code == 1);
        const json d = deliveries(r);
        REQUIRE(d.size() == 1);
        CHECK(d[0]["outcome"] == "deferred");
        CHECK_MESSAGE(retry_after_from(d[0], before, std::chrono::seconds(120)), d[0]);
        CHECK(d[0]["message"].get<std::string>().find("Too Many Requests") != std::string::npos);
        CHECK(s.telegram().empty());
        check_secret_absent(r, test::k_bot_token);
    }

    TEST_CASE("Telegram: a wrong bot token fails with a hint and is never printed") {
        test::MessagingSandbox s("msg-tg-auth");
        s.write_calendar(calendar_for("tg"));
        s.bot_token = "7001234567:wrong-secret-ZZZZ";
        const auto r = s.run({"publish", "--post", "un"});
        CHECK(r.exit_code == 1);
        CHECK(r.out.find("HTTP 401") != std::string::npos);
        CHECK(r.out.find("CMTOOL_TG_TOKEN") != std::string::npos);  // the hint
        check_secret_absent(r, "wrong-secret-ZZZZ");
        CHECK(s.telegram().empty());
        const auto status = s.run({"auth", "status", "--format", "json"});
        check_secret_absent(status, "wrong-secret-ZZZZ");
        CHECK(status.exit_code == 1);
        CHECK(account_state(status, "tg") == "invalid");
    }

    TEST_CASE("Discord: ?wait=true messages, an image with its description, thread follow-ups") {
        test::MessagingSandbox s("msg-dc-publish");
        s.write_calendar(calendar_for("discord"));
        const auto r = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        const json msgs = s.discord();
        REQUIRE(msgs.size() == 5);
        CHECK(msgs[0]["content"] == "Premier message, avec un lien https://atelier.example/lampe");
        CHECK(msgs[0]["username"] == "Atelier");
        REQUIRE(msgs[1]["attachments"].size() == 1);
        CHECK(msgs[1]["attachments"][0]["filename"] == "lampe-laiton.jpg");
        CHECK(msgs[1]["attachments"][0]["description"] == "Lampe en laiton sur un établi");
        CHECK(msgs[3]["content"] == "2/3 : la suite.");  // follow-ups, in order
        CHECK(msgs[4]["content"] == "3/3 : la fin.");
        for (const auto& d : deliveries(r)) {
            CHECK(d["outcome"] == "sent");
            CHECK(d["url"].get<std::string>().starts_with(
                std::string("https://discord.com/channels/") + test::k_guild + "/"));
        }
        check_secret_absent(r, test::k_webhook_token);
        const auto pull = s.run({"pull-metrics", "--account", "discord"});
        CHECK_MESSAGE(pull.exit_code == 0, pull.out << pull.err);
        CHECK(pull.err.find("no metrics on Discord") != std::string::npos);
        const auto auth = s.run({"auth", "status", "--format", "json"});
        CHECK_MESSAGE(account_state(auth, "discord") == "ok", auth.out << auth.err);
        CHECK(account_state(auth, "tg") == "ok");  // getMe
        check_secret_absent(auth, test::k_webhook_token);
        check_secret_absent(auth, test::k_bot_token);
    }

    TEST_CASE("Discord: a 429 defers with retry_at; a wrong webhook token fails, never printed") {
        test::MessagingSandbox s("msg-dc-429");
        s.write_calendar(calendar_for("discord"));
        s.arm({{"path", "*"}, {"mode", "429"}, {"count", 10}});
        const auto before = std::chrono::system_clock::now();
        const auto limited = s.run({"publish", "--post", "un", "--format", "json"});
        CHECK(limited.exit_code == 1);
        const json d = deliveries(limited);
        REQUIRE(d.size() == 1);
        CHECK(d[0]["outcome"] == "deferred");
        // Discord's retry_after is 120.25 s: rounded up to the next second.
        CHECK_MESSAGE(retry_after_from(d[0], before, std::chrono::seconds(121)), d[0]);
        CHECK(s.discord().empty());
        s.admin("DELETE", "/__admin/faults");

        s.webhook_token = "wrong-webhook-token-ZZZZ";
        const auto bad = s.run({"publish", "--post", "image"});
        CHECK(bad.exit_code == 1);
        CHECK(bad.out.find("Invalid Webhook Token") != std::string::npos);
        CHECK(bad.out.find("CMTOOL_DISCORD_WEBHOOK_URL") != std::string::npos);
        check_secret_absent(bad, "wrong-webhook-token-ZZZZ");
        CHECK(s.discord().empty());
    }
}
