// The built cmtool against fake_x (platforms.md §4): publish (text with a link, a thread, an
// image with alt text), a 429 deferred to x-rate-limit-reset, the access token renewed before it
// expires and after a 401 (refresh tokens rotated), pull-metrics under both field spellings,
// and the x_search watch source with the access-tier 403. No token in any output.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "../support/x_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string at(std::chrono::minutes ago) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%FT%T}+00:00", now - ago);
}

// Due 10 and 5 minutes ago (real time: lookups compare with the fake's created_at).
std::string x_calendar() {
    return fmt::format(R"(posts:
  - id: lampe
    at: {}
    channels: [x]
    text: "Notre lampe en laiton & sa lumière https://atelier.example/lampe"
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Une lampe en laiton sur un établi"}}
  - id: fil
    at: {}
    channels: [x]
    text: "Un fil en trois parties, 1/3"
    thread: ["2/3 : la suite.", "3/3 : la fin."]
)",
                       at(10min), at(5min));
}

json find_tweet(const json& tweets, const std::string& text) {
    for (const auto& t : tweets) {
        if (t["text"] == text) {
            return t;
        }
    }
    FAIL("no post " << text << " in " << tweets.dump());
    return {};
}

json parse(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), text);
    return j;
}

json delivery(const json& doc, const std::string& post) {
    for (const auto& d : doc["deliveries"]) {
        if (d["post"] == post || d["id"] == post) {
            return d;
        }
    }
    FAIL("no delivery " << post << " in " << doc.dump());
    return {};
}

platforms::oauth::TokenSet token_set(const std::string& access, const std::string& refresh,
                                     std::chrono::seconds issued_ago,
                                     std::chrono::seconds expires_in) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    platforms::oauth::TokenSet t;
    t.access_token = access;
    t.refresh_token = refresh;
    t.issued_at = now - issued_ago;
    t.expires_at = now + expires_in;
    return t;
}

}  // namespace

TEST_SUITE("x cli") {
    TEST_CASE("X publish: text with a link, an image with alt text, a thread; once") {
        test::XSandbox s("x-publish");
        s.write_calendar(x_calendar());
        // The dry run shows the requests it would send, never the token, and sends nothing.
        const auto preview = s.run({"publish", "--dry-run", "--format", "json"});
        REQUIRE_MESSAGE(preview.exit_code == 0, preview.err);
        test::check_no_secret(preview.out + preview.err);
        const json planned = parse(preview.out);
        REQUIRE(planned["deliveries"].size() == 2);
        for (const auto& d : planned["deliveries"]) {
            CHECK(d["outcome"] == "would_send");
            REQUIRE_FALSE(d["parts"].empty());
            const json& req = d["parts"][0]["request"];
            CHECK(req["method"] == "POST");
            CHECK(req["url"].get<std::string>().ends_with("/2/tweets"));
        }
        CHECK(s.requests() == 0);
        CHECK(s.tweets().empty());
        const auto run = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(run.exit_code == 0, run.out << run.err);
        test::check_no_secret(run.out + run.err);
        const json doc = parse(run.out);
        REQUIRE(doc["deliveries"].size() == 2);
        for (const auto& d : doc["deliveries"]) {
            CHECK_MESSAGE(d["outcome"] == "sent", d.dump());
            CHECK(d["url"].get<std::string>().starts_with("https://x.com/alice/status/"));
        }
        const json tweets = s.tweets();
        REQUIRE(tweets.size() == 4);
        const json lamp =
            find_tweet(tweets, "Notre lampe en laiton & sa lumière https://atelier.example/lampe");
        CHECK(lamp["media_alt"] == json::array({"Une lampe en laiton sur un établi"}));
        CHECK(delivery(doc, "lampe")["remote_id"] == lamp["id"]);
        const json p1 = find_tweet(tweets, "Un fil en trois parties, 1/3");
        const json p2 = find_tweet(tweets, "2/3 : la suite.");
        const json p3 = find_tweet(tweets, "3/3 : la fin.");
        CHECK(p1["reply_to"].is_null());
        CHECK(p2["reply_to"] == p1["id"]);
        CHECK(p3["reply_to"] == p2["id"]);

        const long before = s.requests();
        const auto again = s.run({"publish"});
        CHECK_MESSAGE(again.exit_code == 0, again.err);
        CHECK(again.err.find("2 already sent") != std::string::npos);
        CHECK(s.requests() == before);
        CHECK(s.tweets().size() == 4);

        // Once sent, the dry run says so and still never shows the token.
        s.write_calendar(x_calendar());
        const auto dry = s.run({"publish", "--dry-run", "--catch-up", "--format", "json"});
        REQUIRE_MESSAGE(dry.exit_code == 0, dry.err);
        test::check_no_secret(dry.out + dry.err);
        for (const auto& d : parse(dry.out)["deliveries"]) {
            CHECK(d["outcome"] == "already_sent");
        }
        CHECK(s.requests() == before);
    }

    TEST_CASE("X duplicate content: the identical post already there is the one sent") {
        test::XSandbox s("x-duplicate");
        s.write_calendar(x_calendar());
        REQUIRE(s.run({"publish", "--post", "fil", "-q"}).exit_code == 0);
        CHECK(s.tweets().size() == 3);
        // The ledger is lost (another machine, a restored backup): X answers 403 duplicate
        // content; cmtool finds the identical posts and records them, sending nothing twice.
        std::filesystem::remove_all(s.root() / ".cmtool");
        const auto again = s.run({"publish", "--post", "fil", "--format", "json"});
        REQUIRE_MESSAGE(again.exit_code == 0, again.out << again.err);
        test::check_no_secret(again.out + again.err);
        const json d = delivery(parse(again.out), "fil");
        CHECK_MESSAGE(d["outcome"] == "sent", d.dump());
        CHECK(d["remote_id"] == find_tweet(s.tweets(), "Un fil en trois parties, 1/3")["id"]);
        CHECK(s.tweets().size() == 3);
    }

    TEST_CASE("X 429: deferred until x-rate-limit-reset, nothing posted") {
        test::XSandbox s("x-429");
        s.write_calendar(x_calendar());
        s.arm({{"path", "/2/tweets"}, {"method", "POST"}, {"mode", "429"}, {"count", 5}});
        const auto run = s.run({"publish", "--format", "json"});
        test::check_no_secret(run.out + run.err);
        const json doc = parse(run.out);
        const json d = delivery(doc, "fil");
        CHECK_MESSAGE(d["outcome"] == "deferred", d.dump());
        REQUIRE(d["retry_at"].is_string());
        // The fake's reset is 15 minutes ahead: the retry time is that, not a guess.
        const std::string retry = d["retry_at"].get<std::string>();
        const auto expected =
            std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now() + 15min);
        const std::string hour_min = fmt::format("{:%H:%M}", expected);
        const std::string next_min = fmt::format("{:%H:%M}", expected + 1min);
        CHECK_MESSAGE((retry.find(hour_min) != std::string::npos ||
                       retry.find(next_min) != std::string::npos),
                      retry << " vs " << hour_min);
        CHECK(s.tweets().empty());
    }

    TEST_CASE("X 24-hour posting cap: deferred until x-user-limit-24hour-reset") {
        test::XSandbox s("x-daily-cap");
        s.write_calendar(x_calendar());
        s.admin("POST", "/__admin/flags", {{"daily_cap", 1}});
        const auto run = s.run({"publish", "--format", "json"});
        const json doc = parse(run.out);
        CHECK(delivery(doc, "lampe")["outcome"] == "sent");
        const json d = delivery(doc, "fil");
        CHECK_MESSAGE(d["outcome"] == "deferred", d.dump());
        REQUIRE(d["retry_at"].is_string());
        // Not the 15-minute window's reset (budget left there): the day's, 24 hours on.
        const std::string tomorrow =
            fmt::format("{:%Y-%m-%d}", std::chrono::system_clock::now() + 24h - 1min);
        CHECK_MESSAGE(d["retry_at"].get<std::string>().starts_with(tomorrow),
                      d["retry_at"] << " vs " << tomorrow);
        CHECK(s.tweets().size() == 1);
    }

    TEST_CASE("X tokens: renewed before expiry, and after a 401; refresh tokens rotate") {
        test::XSandbox s("x-refresh");
        s.write_calendar(x_calendar());
        // A stored token at 97 % of its life: renewed before the first request.
        s.admin("POST", "/__admin/token",
                {{"username", "alice"},
                 {"token", "fake-x-access-old"},
                 {"expires_in", 200},
                 {"refresh_token", "fake-x-refresh-old"}});
        s.store_tokens(token_set("fake-x-access-old", "fake-x-refresh-old", 7000s, 200s));
        const auto run =
            s.run({"publish", "--post", "lampe", "--format", "json"}, test::XToken::none);
        REQUIRE_MESSAGE(run.exit_code == 0, run.out << run.err);
        test::check_no_secret(run.out + run.err);
        CHECK(s.tweets().size() == 1);
        const auto access = s.stored("token");
        const auto refresh = s.stored("refresh_token");
        REQUIRE(access);
        REQUIRE(refresh);
        CHECK(*access != "fake-x-access-old");
        CHECK(*refresh != "fake-x-refresh-old");  // rotated, the newest kept
        CHECK(s.stored("token_expires").has_value());

        // The fake revokes the current access token: the 401 renews it once, the post goes.
        s.admin("POST", "/__admin/expire_token", {{"token", *access}});
        const auto second =
            s.run({"publish", "--post", "fil", "--format", "json"}, test::XToken::none);
        REQUIRE_MESSAGE(second.exit_code == 0, second.out << second.err);
        test::check_no_secret(second.out + second.err);
        CHECK(s.tweets().size() == 4);
        CHECK(*s.stored("token") != *access);
        CHECK(*s.stored("refresh_token") != *refresh);

        // The old refresh token is spent at the fake: a renewal with it would be refused.
        s.store_tokens(token_set("fake-x-access-gone", *refresh, 7000s, 100s));
        s.write_calendar(x_calendar() + "  - id: encore\n    at: " + at(1min) +
                         "\n    channels: [x]\n    text: \"Encore un message.\"\n");
        const auto third = s.run({"publish", "--post", "encore"}, test::XToken::none);
        CHECK(third.exit_code != 0);
        CHECK_MESSAGE((third.out + third.err).find("auth login x") != std::string::npos,
                      third.out << third.err);
        test::check_no_secret(third.out + third.err);
    }

    TEST_CASE("X pull-metrics: public_metrics of the posts and the account") {
        for (const bool renamed : {false, true}) {
            INFO("new field names: " << renamed);
            test::XSandbox s(renamed ? "x-metrics-new" : "x-metrics",
                             renamed ? std::vector<std::string>{"--new-field-names=true"}
                                     : std::vector<std::string>{});
            s.write_calendar(x_calendar());
            REQUIRE(s.run({"publish", "-q"}).exit_code == 0);
            const std::string lamp = find_tweet(
                s.tweets(),
                "Notre lampe en laiton & sa lumière https://atelier.example/lampe")["id"];
            s.admin("POST", "/__admin/engagement",
                    {{"id", lamp},
                     {"like_count", 7},
                     {"retweet_count", 2},
                     {"reply_count", 1},
                     {"quote_count", 1},
                     {"bookmark_count", 3},
                     {"impression_count", 420}});
            s.admin("POST", "/__admin/account", {{"username", "alice"}, {"followers_count", 321}});
            const auto pull = s.run({"pull-metrics", "--format", "json"});
            REQUIRE_MESSAGE(pull.exit_code == 0, pull.out << pull.err);
            test::check_no_secret(pull.out + pull.err);
            const json p = parse(pull.out);
            REQUIRE(p["accounts"].size() == 1);
            CHECK(p["accounts"][0]["status"] == "ok");
            CHECK(p["accounts"][0]["profile"]["followers"] == 321);
            CHECK(p["accounts"][0]["profile"]["posts"] == 4);

            const auto exp = s.run({"metrics", "export", "--format", "json"});
            REQUIRE_MESSAGE(exp.exit_code == 0, exp.err);
            bool seen = false;
            const json exported = parse(exp.out);
            for (const auto& post : exported["posts"]) {
                if (post["post_id"] != "lampe") {
                    continue;
                }
                seen = true;
                REQUIRE(post["snapshots"].size() == 1);
                const json& snap = post["snapshots"][0];
                CHECK(snap["likes"] == 7);
                CHECK(snap["reposts"] == 2);
                CHECK(snap["replies"] == 1);
                CHECK(snap["quotes"] == 1);
                CHECK(snap["bookmarks"] == 3);
                CHECK(snap["views"] == 420);
                CHECK(snap["fields"].get<std::string>().find("retweet_count|repost_count") !=
                      std::string::npos);
            }
            CHECK_MESSAGE(seen, exp.out);
        }
    }

    TEST_CASE("X watch: recent search into mentions; a 403 for the tier fails that source alone") {
        test::XSandbox s("x-watch");
        s.dir.write("ws/cmtool.yaml", test::x_workspace_yaml(R"(watch:
  queries:
    brand: {terms: greencart, sources: [x-search, local]}
  sources:
    x-search: {type: x_search, account: x}
    local: {type: file, path: mentions.jsonl}
)"));
        s.dir.write("ws/mentions.jsonl",
                    R"({"uri": "file:1", "text": "greencart dans la presse", "platform": "file"})"
                    "\n");
        s.admin("POST", "/__admin/post", {{"username", "bob"}, {"text", "greencart livre vite"}});
        s.admin("POST", "/__admin/post", {{"username", "bob"}, {"text", "rien à voir"}});
        const auto r = s.run({"watch", "--once", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        test::check_no_secret(r.out + r.err);
        const json report = parse(r.out);
        std::size_t from_x = 0;
        for (const auto& m : report["mentions"]) {
            if (m["platform"] == "x") {
                ++from_x;
                CHECK(m["author"] == "@bob");
                CHECK(m["text"] == "greencart livre vite");
            }
        }
        CHECK(from_x == 1);
        const auto again = s.run({"watch", "--once", "--format", "json"});
        REQUIRE_MESSAGE(again.exit_code == 0, again.err);
        CHECK(parse(again.out)["mentions"].empty());

        // The plan does not include recent search: explained, and the file source still runs.
        s.admin("POST", "/__admin/flags", {{"search_forbidden", true}});
        s.dir.write("ws/mentions.jsonl",
                    R"({"uri": "file:1", "text": "greencart dans la presse", "platform": "file"})"
                    "\n"
                    R"({"uri": "file:2", "text": "greencart encore", "platform": "file"})"
                    "\n");
        const auto refused = s.run({"watch", "--once", "--format", "json"});
        test::check_no_secret(refused.out + refused.err);
        const json doc = parse(refused.out);
        bool explained = false;
        for (const auto& src : doc["sources"]) {
            if (src["source"] == "x-search/brand") {
                CHECK(src["status"] == "failed");
                explained =
                    src["error"].get<std::string>().find(
                        "X recent search is not included in the access tier") != std::string::npos;
            }
        }
        CHECK_MESSAGE(explained, refused.out << refused.err);
        // The hint says what to do about the plan.
        CHECK(refused.err.find("upgrade it in the developer portal") != std::string::npos);
        REQUIRE(doc["mentions"].size() == 1);
        CHECK(doc["mentions"][0]["text"] == "greencart encore");
    }
}
