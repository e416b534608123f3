// The built `cmtool publish`, `plan validate` and `pull-metrics` against fake_meta for the
// accounts fb (Facebook Page), insta (Instagram) and threads: posts land, no token in any
// output, a missing media_base_url stops Instagram before anything is sent, a throttled Page
// defers its delivery, and the counters reach the store. The threads_search watch source reads
// the keyword search into mentions, and a missing threads_keyword_search permission fails that
// source alone, with a hint.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <map>

#include "../support/publish_sandbox.hpp"
#include "cmtool/net/ratelimit.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string ago(std::chrono::minutes m) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%FT%T}+00:00", now - m);
}

std::string meta_calendar() {
    return fmt::format(R"(posts:
  - id: lampe
    at: {}
    channels: [fb, insta, threads]
    text: "Notre lampe en laiton #atelier"
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Lampe en laiton sur un établi"}}
  - id: fil
    at: {}
    channels: [fb, threads]
    text: "Les coulisses, 1/2"
    thread: ["2/2 : le polissage."]
)",
                       ago(20min), ago(10min));
}

json parse(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), text);
    return j;
}

void no_secret(const test::RunResult& r) {
    CHECK(r.out.find(test::k_meta_token) == std::string::npos);
    CHECK(r.err.find(test::k_meta_token) == std::string::npos);
}

}  // namespace

TEST_SUITE("cli: meta") {
    TEST_CASE("publish to a Page, Instagram and Threads then pull-metrics stores their counters") {
        test::PublishSandbox s("cli-meta", {}, {}, test::WithMeta::yes);
        s.write_calendar(meta_calendar());
        const auto run = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(run.exit_code == 0, run.out << run.err);
        no_secret(run);
        const auto fb = s.meta->posts("facebook");
        const auto ig = s.meta->posts("instagram");
        const auto th = s.meta->posts("threads");
        REQUIRE(fb.size() == 2);  // no thread on Facebook: the first part only
        REQUIRE(ig.size() == 1);
        REQUIRE(th.size() == 3);
        CHECK(ig[0]["media"][0]["image_url"] == "https://cdn.example/media/lampe-laiton.jpg");
        CHECK(ig[0]["media"][0]["alt_text"] == "Lampe en laiton sur un établi");
        CHECK(th[2]["reply_to"] == th[1]["id"]);

        s.meta->admin(
            "POST", "/__admin/engagement",
            {{"id", fb[0]["id"]}, {"counts", {{"likes", 5}, {"comments", 2}, {"shares", 1}}}});
        s.meta->admin("POST", "/__admin/engagement",
                      {{"id", ig[0]["id"]},
                       {"counts", {{"likes", 11}, {"comments", 3}, {"views", 240}, {"saved", 4}}}});
        s.meta->admin(
            "POST", "/__admin/engagement",
            {{"id", th[0]["id"]}, {"counts", {{"likes", 6}, {"views", 90}, {"quotes", 1}}}});
        s.meta->admin("POST", "/__admin/followers", {{"count", 1500}});
        const auto pull = s.run({"pull-metrics", "--format", "json"});
        REQUIRE_MESSAGE(pull.exit_code == 0, pull.out << pull.err);
        no_secret(pull);
        const auto exp = s.run({"metrics", "export", "--format", "json"});
        REQUIRE_MESSAGE(exp.exit_code == 0, exp.err);
        const json doc = parse(exp.out);
        auto snapshot = [&](const std::string& account) -> json {
            for (const auto& p : doc["posts"]) {
                if (p["account"] == account && p["post_id"] == "lampe") {
                    REQUIRE(!p["snapshots"].empty());
                    return p["snapshots"].back();
                }
            }
            FAIL("no lampe on " << account << ": " << doc.dump());
            return {};
        };
        const json f = snapshot("fb");
        CHECK(f["likes"] == 5);
        CHECK(f["replies"] == 2);
        CHECK(f["reposts"] == 1);
        const json i = snapshot("insta");
        CHECK(i["likes"] == 11);
        CHECK(i["replies"] == 3);
        CHECK(i["views"] == 240);
        CHECK(i["bookmarks"] == 4);
        CHECK(i["quotes"].is_null());  // Instagram has no quotes: unknown, not 0
        const json t = snapshot("threads");
        CHECK(t["likes"] == 6);
        CHECK(t["views"] == 90);
        CHECK(t["quotes"] == 1);
        CHECK(t["fields"].get<std::string>().find("likes=insights:likes") != std::string::npos);
        int accounts = 0;
        for (const auto& a : doc["accounts"]) {
            if (a["account"] == "fb" || a["account"] == "insta" || a["account"] == "threads") {
                CHECK_MESSAGE(a["followers"] == 1500, a.dump());
                ++accounts;
            }
        }
        CHECK(accounts == 3);
    }

    TEST_CASE("Instagram without media_base_url: a clear error, nothing sent") {
        test::PublishSandbox s("cli-meta-nobase", {}, {}, test::WithMeta::yes);
        std::string yaml = test::with_meta_accounts(test::k_publish_workspace_yaml);
        yaml.erase(0, yaml.find('\n') + 1);  // without the media_base_url line
        s.dir.write("ws/cmtool.yaml", yaml);
        s.write_calendar(meta_calendar());
        const auto validate = s.run({"plan", "validate"});
        CHECK(validate.exit_code != 0);
        CHECK(validate.out.find("media_base_url") != std::string::npos);
        const auto run = s.run({"publish", "--channel", "insta"});
        CHECK(run.exit_code != 0);
        // Blocked by the media-base-url rule, or refused by the adapter before any request:
        // either way the delivery line says why.
        CHECK_MESSAGE((run.out + run.err).find("media_base_url") != std::string::npos,
                      run.out << run.err);
        no_secret(run);
        CHECK(s.meta->requests() == 0);
        CHECK(s.meta->posts("instagram").empty());
    }

    TEST_CASE("a throttled Page (code 32): deferred, with the time Meta gives") {
        test::PublishSandbox s("cli-meta-throttle", {}, {}, test::WithMeta::yes);
        s.write_calendar(meta_calendar());
        s.meta->admin("POST", "/__admin/throttle",
                      {{"code", 32}, {"count", 1}, {"status", 400}, {"regain_minutes", 12}});
        const auto before =
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto run = s.run({"publish", "--channel", "fb", "--format", "json"});
        const auto after =
            std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now());
        CHECK(run.exit_code == 1);  // deferred
        no_secret(run);
        const json doc = parse(run.out);
        std::size_t deferred = 0;
        for (const auto& d : doc["deliveries"]) {
            if (d["outcome"] != "deferred") {
                continue;
            }
            ++deferred;
            // Meta's estimated_time_to_regain_access: 12 minutes from the answer.
            REQUIRE(d["retry_at"].is_string());
            const auto at = net::parse_iso8601(d["retry_at"].get<std::string>());
            REQUIRE(at.has_value());
            CHECK(*at >= before + std::chrono::minutes(12));
            CHECK(*at <= after + std::chrono::minutes(12));
        }
        CHECK_MESSAGE(deferred >= 1, run.out);
        CHECK(s.meta->posts("facebook").empty());
    }

    TEST_CASE(
        "Threads watch: keyword search into mentions; a permission error fails that source "
        "alone") {
        test::PublishSandbox s("cli-meta-watch", {}, {}, test::WithMeta::yes);
        s.dir.write("ws/cmtool.yaml", test::with_meta_accounts(test::k_publish_workspace_yaml) +
                                          R"(watch:
  queries:
    brand: {terms: greencart, sources: [threads-search, local]}
  sources:
    threads-search: {type: threads_search, account: threads}
    local: {type: file, path: mentions.jsonl}
)");
        s.dir.write("ws/mentions.jsonl",
                    R"({"uri": "file:1", "text": "greencart dans la presse", "platform": "file"})"
                    "\n");
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                             .time_since_epoch()
                             .count();
        s.meta->admin(
            "POST", "/__admin/threads/search_post",
            {{"username", "bob"}, {"text", "GreenCart livre vite"}, {"timestamp", now - 120}});
        s.meta->admin(
            "POST", "/__admin/threads/search_post",
            {{"username", "carla"}, {"text", "j'adore greencart"}, {"timestamp", now - 60}});
        s.meta->admin("POST", "/__admin/threads/search_post",
                      {{"username", "dan"}, {"text", "rien à voir"}, {"timestamp", now - 30}});
        const auto r = s.run({"watch", "--once", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        no_secret(r);
        const json report = parse(r.out);
        std::map<std::string, json> from_threads;
        for (const auto& m : report["mentions"]) {
            if (m["platform"] == "threads") {
                from_threads[m["author"].get<std::string>()] = m;
            }
        }
        REQUIRE_MESSAGE(from_threads.size() == 2, r.out);
        const json bob = from_threads["@bob"];
        CHECK(bob["text"] == "GreenCart livre vite");
        CHECK(bob["url"].get<std::string>().rfind("https://www.threads.net/@bob/post/", 0) == 0);
        CHECK(bob["author_url"] == "https://www.threads.net/@bob");
        const json carla = from_threads["@carla"];
        CHECK(carla["url"].get<std::string>().rfind("https://www.threads.net/@carla/post/", 0) ==
              0);
        CHECK(carla["author_url"] == "https://www.threads.net/@carla");
        const auto again = s.run({"watch", "--once", "--format", "json"});
        REQUIRE_MESSAGE(again.exit_code == 0, again.err);
        no_secret(again);
        CHECK_MESSAGE(parse(again.out)["mentions"].empty(), again.out);

        // The app lacks threads_keyword_search: explained, and the file source still runs.
        s.meta->admin("POST", "/__admin/threads/search_forbidden", {{"on", true}});
        s.dir.write("ws/mentions.jsonl",
                    R"({"uri": "file:1", "text": "greencart dans la presse", "platform": "file"})"
                    "\n"
                    R"({"uri": "file:2", "text": "greencart encore", "platform": "file"})"
                    "\n");
        const auto refused = s.run({"watch", "--once", "--format", "json"});
        no_secret(refused);
        const json doc = parse(refused.out);
        bool explained = false;
        for (const auto& src : doc["sources"]) {
            if (src["source"] == "threads-search/brand") {
                CHECK(src["status"] == "failed");
                explained = src["error"].get<std::string>().find(
                                "lacks the permission threads_keyword_search") != std::string::npos;
            }
        }
        CHECK_MESSAGE(explained, refused.out << refused.err);
        CHECK_MESSAGE(refused.err.find("re-run `cmtool auth login threads` after adding "
                                       "threads_keyword_search to the app") != std::string::npos,
                      refused.err);
        REQUIRE(doc["mentions"].size() == 1);
        CHECK(doc["mentions"][0]["text"] == "greencart encore");
    }

    TEST_CASE("Threads watch: a throttled keyword search backs off until Meta's regain time") {
        test::PublishSandbox s("cli-meta-watch-throttle", {}, {}, test::WithMeta::yes);
        s.dir.write("ws/cmtool.yaml", test::with_meta_accounts(test::k_publish_workspace_yaml) +
                                          R"(watch:
  queries:
    brand: {terms: greencart, sources: [threads-search]}
  sources:
    threads-search: {type: threads_search, account: threads}
)");
        s.meta->admin("POST", "/__admin/threads/search_post",
                      {{"username", "bob"}, {"text", "greencart livre vite"}});
        // Code 4 in a 400, 90 minutes to regain access: longer than watch's own backoff cap.
        s.meta->admin("POST", "/__admin/throttle",
                      {{"code", 4}, {"count", 1}, {"status", 400}, {"regain_minutes", 90}});
        const auto start =
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto r = s.run({"watch", "--once", "--format", "json"});
        no_secret(r);
        const json doc = parse(r.out);
        bool seen = false;
        for (const auto& src : doc["sources"]) {
            if (src["source"] == "threads-search/brand") {
                seen = true;
                CHECK(src["status"] == "failed");
                REQUIRE_MESSAGE(src["next_try_at"].is_string(), src.dump());
                CHECK_MESSAGE(src["next_try_at"].get<std::string>() >=
                                  fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", start + 89min),
                              src.dump());
            }
        }
        CHECK_MESSAGE(seen, r.out << r.err);
        CHECK(doc["mentions"].empty());
    }
}
