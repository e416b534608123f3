// The built `cmtool publish` when things go wrong: a platform refuses one delivery, credentials
// are missing, two runs overlap.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "../support/publish_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_now = "2026-11-23T10:00:00+01:00";
const std::string k_long =
    "Une phrase bien trop longue pour cette instance de test, qui limite les statuts à soixante "
    "caractères.";

json delivery(const json& doc, const std::string& id, const std::string& channel) {
    for (const auto& d : doc["deliveries"]) {
        if (d["id"] == id && d["channel"] == channel) {
            return d;
        }
    }
    FAIL("no delivery " << id << " → " << channel << " in " << doc.dump());
    return {};
}

constexpr const char* k_two_posts = R"(posts:
  - id: annonce
    at: 2026-11-23 09:00
    channels: [masto, bsky]
    text: "Portes ouvertes samedi à l'atelier."
  - id: merci
    at: 2026-11-23 09:30
    channels: [masto]
    text: "Merci pour vos visites."
)";

}  // namespace

TEST_SUITE("cli publish faults") {
    TEST_CASE("a permanent refusal: exit 1 with the platform's message, the rest still sent") {
        test::PublishSandbox s("publish-refused", {"--max-characters", "60"});
        s.write_calendar(R"(posts:
  - id: long
    at: 2026-11-23 09:00
    channels: [masto, bsky]
    text: ")" + k_long + R"("
  - id: court
    at: 2026-11-23 09:30
    channels: [masto]
    text: "Court et bon."
)");
        const auto run = s.run({"publish", "--now", k_now});
        CHECK(run.exit_code == 1);
        CHECK(run.out.find("failed    long → masto") != std::string::npos);
        CHECK(run.out.find("Text character limit of 60 exceeded") != std::string::npos);
        CHECK(run.err.find("2 sent, 1 failed") != std::string::npos);
        CHECK(s.masto_count(k_long) == 0);
        CHECK(s.bsky_count(k_long) == 1);
        CHECK(s.masto_count("Court et bon.") == 1);

        const auto status = s.run({"publish", "status", "--now", k_now, "--format", "json"});
        REQUIRE_MESSAGE(status.exit_code == 0, status.err);
        const json rows = json::parse(status.out);
        CHECK(delivery(rows, "long", "masto")["state"] == "failed");
        CHECK(delivery(rows, "long", "masto")["detail"].get<std::string>().find(
                  "Text character limit of 60 exceeded") != std::string::npos);
        CHECK(delivery(rows, "long", "bsky")["state"] == "sent");

        // Not retried without --retry-failed, and never sent twice where it was accepted.
        const auto again = s.run({"publish", "--now", k_now, "--format", "json"});
        const json doc = json::parse(again.out);
        CHECK(delivery(doc, "long", "masto")["outcome"] == "failed_earlier");
        CHECK(delivery(doc, "long", "bsky")["outcome"] == "already_sent");
        CHECK(s.bsky_count(k_long) == 1);
    }

    TEST_CASE("a 422 from the platform on one part is that delivery's failure only") {
        test::PublishSandbox s("publish-422");
        s.write_calendar(k_two_posts);
        s.masto.arm({{"path", "/api/v1/statuses"}, {"method", "POST"}, {"mode", "422"}});
        const auto run = s.run({"publish", "--now", k_now, "--format", "json"});
        CHECK(run.exit_code == 1);
        const json doc = json::parse(run.out);
        CHECK(delivery(doc, "annonce", "masto")["outcome"] == "failed");
        CHECK(delivery(doc, "annonce", "masto")["message"].get<std::string>().find("422") !=
              std::string::npos);
        CHECK(delivery(doc, "annonce", "bsky")["outcome"] == "sent");
        CHECK(delivery(doc, "merci", "masto")["outcome"] == "sent");
        CHECK(s.statuses().size() == 1);
    }

    TEST_CASE("missing credentials: exit 2 naming the variables; nothing recorded as failed") {
        test::PublishSandbox s("publish-nocreds");
        s.write_calendar(k_two_posts);
        const auto run = s.run({"publish", "--now", k_now}, test::Credentials::no);
        CHECK(run.exit_code == 2);
        CHECK(run.out.find("hint: set CMTOOL_MASTO_TOKEN") != std::string::npos);
        CHECK(run.out.find("hint: set CMTOOL_BSKY_APP_PASSWORD") != std::string::npos);
        CHECK(s.masto_requests() == 0);
        CHECK(s.bsky_requests() == 0);

        // Once the variables are set, the next run sends everything (nothing "failed earlier").
        const auto fixed = s.run({"publish", "--now", k_now});
        CHECK_MESSAGE(fixed.exit_code == 0, fixed.out << fixed.err);
        CHECK(fixed.err.find("3 sent") != std::string::npos);
        CHECK(s.statuses().size() == 2);
        CHECK(s.bsky.records().size() == 1);
    }

    TEST_CASE("two runs at once: the second exits at once with the lock message; no duplicate") {
        test::PublishSandbox s("publish-lock");
        s.write_calendar(k_two_posts);
        s.masto.admin("POST", "/__admin/latency", {{"ms", 2000}});  // the first run: 4 s or more
        auto first = s.start({"publish", "--now", k_now}, "first");
        REQUIRE(test::wait_until([&] { return s.masto_requests() >= 1; }, 10s));

        const auto started = std::chrono::steady_clock::now();
        const auto second = s.run({"publish", "--now", k_now, "--lock-wait", "0"});
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(second.exit_code != 0);
        CHECK(second.err.find("held by pid " + std::to_string(first->pid())) != std::string::npos);
        CHECK(second.err.find("another cmtool publish is running") != std::string::npos);
        CHECK(took < 1500ms);  // it did not wait for the first run

        const auto done = first->wait(20s);
        CHECK_MESSAGE(done.exit_code == 0, done.out << done.err);
        CHECK(s.masto_count("Portes ouvertes samedi à l'atelier.") == 1);
        CHECK(s.masto_count("Merci pour vos visites.") == 1);
        CHECK(s.bsky_count("Portes ouvertes samedi à l'atelier.") == 1);
    }
}
