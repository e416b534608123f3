// The exactly-once proof for X (as test_publish_kill.cpp does for Mastodon and Bluesky): cmtool
// is killed with SIGKILL at each request of a publish against fake_x holding the connection (or
// delaying it so cmtool dies first), then run again: fake_x ends with exactly one copy of each
// post, the thread chained, the image with its alt text. X has no idempotency key: the rerun
// settles the part left in `intent` by reading the account's recent posts (lookup), never by
// sending it blindly.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <map>
#include <random>
#include <thread>

#include "../support/x_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> k_texts = {
    "Premier message du test d'arrêt brutal.", "Une image, avec sa description.",
    "Un fil en trois parties, 1/3", "2/3 : la suite.", "3/3 : la fin."};

std::string calendar_due_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto at = [&](std::chrono::minutes ago) { return fmt::format("{:%FT%T}+00:00", now - ago); };
    return fmt::format(R"(posts:
  - id: un
    at: {}
    channels: [x]
    text: "{}"
  - id: image
    at: {}
    channels: [x]
    text: "{}"
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Lampe en laiton"}}
  - id: fil
    at: {}
    channels: [x]
    text: "{}"
    thread: ["{}", "{}"]
)",
                       at(30min), k_texts[0], at(20min), k_texts[1], at(10min), k_texts[2],
                       k_texts[3], k_texts[4]);
}

void reset(test::XSandbox& s) {
    s.admin("POST", "/__admin/reset");
    std::filesystem::remove_all(s.root() / ".cmtool");
}

void check_exactly_once(test::XSandbox& s) {
    std::map<std::string, std::vector<json>> posts;
    for (const auto& t : s.tweets()) {
        posts[t["text"].get<std::string>()].push_back(t);
    }
    std::size_t total = 0;
    for (const auto& [text, list] : posts) {
        total += list.size();
    }
    CHECK(total == k_texts.size());
    for (const auto& text : k_texts) {
        const auto it = posts.find(text);
        CHECK_MESSAGE((it != posts.end() && it->second.size() == 1), "copies of " << text);
    }
    if (total != k_texts.size() || posts.size() != k_texts.size()) {
        return;
    }
    CHECK(posts.at(k_texts[3]).front()["reply_to"] == posts.at(k_texts[2]).front()["id"]);
    CHECK(posts.at(k_texts[4]).front()["reply_to"] == posts.at(k_texts[3]).front()["id"]);
    CHECK(posts.at(k_texts[1]).front()["media_alt"] == json::array({"Lampe en laiton"}));
    const auto status = s.run({"publish", "status", "--format", "json"});
    REQUIRE_MESSAGE(status.exit_code == 0, status.err);
    const json rows = json::parse(status.out)["deliveries"];
    CHECK(rows.size() == 3);
    for (const auto& r : rows) {
        CHECK_MESSAGE(r["state"] == "sent", r.dump());
    }
}

enum class Intent { left, maybe };

void rerun_and_check(test::XSandbox& s, Intent intent) {
    s.admin("DELETE", "/__admin/faults");
    const auto first = s.run({"publish", "--format", "json"});
    CHECK_MESSAGE(first.exit_code == 0, first.out << first.err);
    test::check_no_secret(first.out + first.err);
    int reconciled = 0;
    const json doc = json::parse(first.out);
    for (const auto& d : doc["deliveries"]) {
        CHECK_MESSAGE(d["url"].is_string(), d.dump());
        reconciled += d["reconciled"] == true ? 1 : 0;
    }
    if (intent == Intent::left) {
        CHECK_MESSAGE(reconciled == 1, first.out << first.err);
    }
    const auto second = s.run({"publish"});
    CHECK_MESSAGE(second.exit_code == 0, second.out << second.err);
    CHECK(second.err.find("3 already sent") != std::string::npos);
    check_exactly_once(s);
}

long clean_run_requests(test::XSandbox& s) {
    reset(s);
    const auto run = s.run({"publish"});
    REQUIRE_MESSAGE(run.exit_code == 0, run.out << run.err);
    check_exactly_once(s);
    return s.requests();
}

void kill_at_step(test::XSandbox& s, long k, const json& fault, std::chrono::milliseconds settle,
                  std::chrono::milliseconds before_rerun) {
    INFO("x, killed at request " << k << " (" << fault.dump() << ")");
    reset(s);
    if (k > 1) {
        s.arm({{"path", "*"}, {"mode", "delay"}, {"delay_ms", 0}, {"count", k - 1}});
    }
    s.arm(fault);
    auto run =
        s.start_cmtool({"publish"}, fmt::format("x-{}-{}", k, fault["mode"].get<std::string>()));
    REQUIRE(test::wait_until([&] { return s.requests() >= k; }, 10s));
    std::this_thread::sleep_for(settle);
    CHECK(run->running());
    run->kill_now();
    std::this_thread::sleep_for(before_rerun);
    rerun_and_check(s, Intent::left);
}

}  // namespace

TEST_SUITE("publish kill") {
    TEST_CASE("X: SIGKILL at each request, then rerun: exactly one copy of each post") {
        test::XSandbox s("publish-kill-x");
        s.write_calendar(calendar_due_now());
        const long steps = clean_run_requests(s);
        CHECK(steps >= 7);  // upload, alt text and five posts
        for (long k = 1; k <= steps; ++k) {
            kill_at_step(s, k, {{"path", "*"}, {"mode", "hang"}}, 100ms, 0ms);
        }
        for (long k = 1; k <= steps; ++k) {
            kill_at_step(s, k, {{"path", "*"}, {"mode", "delay"}, {"delay_ms", 300}}, 20ms, 450ms);
        }
    }

    TEST_CASE("X: SIGKILL at random moments, then rerun: exactly one copy") {
        test::XSandbox s("publish-kill-random-x");
        s.write_calendar(calendar_due_now());
        const long steps = clean_run_requests(s);
        const unsigned seed = std::random_device{}();
        INFO("seed " << seed);
        std::mt19937 rng(seed);
        constexpr int k_latency_ms = 25;
        std::uniform_int_distribution<int> when(0, static_cast<int>(steps) * k_latency_ms + 60);
        for (int i = 0; i < 4; ++i) {
            reset(s);
            s.admin("POST", "/__admin/latency", {{"ms", k_latency_ms}});
            const int after_ms = when(rng);
            INFO("random kill " << i << " after " << after_ms << " ms");
            auto run = s.start_cmtool({"publish"}, fmt::format("x-random-{}", i));
            std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
            run->kill_now();
            std::this_thread::sleep_for(std::chrono::milliseconds(k_latency_ms + 50));
            s.admin("POST", "/__admin/latency", {{"ms", 0}});
            rerun_and_check(s, Intent::maybe);
        }
    }
}
