// The Bluesky adapter against a REAL local AT Protocol network (reference PDS + AppView from
// ../shared/servers/bluesky/start.sh). Runs only when CMTOOL_BSKY_ENV names the env file that
// start.sh writes; see live_main.cpp. Everything stays on 127.0.0.1.
#include <doctest/doctest.h>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "../support/bluesky_harness.hpp"
#include "../support/bluesky_post.hpp"
#include "../support/live_bluesky.hpp"
#include "../unit/test_support.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using nlohmann::json;

namespace {

using Env = test::LiveEnv;
using test::load_live_env;

// GET `url`; the status and the parsed body (null when not JSON).
std::pair<long, json> get_json(const std::string& url) {
    net::CurlTransport http;
    net::HttpRequest r;
    r.url = url;
    auto res = http.send(r);
    REQUIRE_MESSAGE(res.has_value(), (res ? std::string() : res.error().message));
    return {res->status, json::parse(res->body, nullptr, false)};
}

json get_record(const Env& env, const RemoteRef& ref) {
    const auto at = ref.uri.substr(5);  // did/collection/rkey
    const auto slash = at.find('/');
    const auto [status, body] = get_json(net::append_query(
        env.at("BSKY_PDS_URL") + "/xrpc/com.atproto.repo.getRecord",
        {{"repo", at.substr(0, slash)}, {"collection", "app.bsky.feed.post"}, {"rkey", ref.id}}));
    REQUIRE_MESSAGE(status == 200, body.dump());
    CHECK(body["cid"] == ref.cid);
    return body["value"];
}

// The AppView indexes asynchronously: poll getPosts for a bounded time.
json app_view_post(const Env& env, const std::string& uri) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto [status, body] = get_json(net::append_query(
            env.at("BSKY_APPVIEW_URL") + "/xrpc/app.bsky.feed.getPosts", {{"uris", uri}}));
        if (status == 200 && body.contains("posts") && !body["posts"].empty()) {
            return body["posts"][0];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    FAIL("the AppView did not index " << uri << " within 20 s");
    return {};
}

std::size_t records_with_text(const Env& env, const std::string& did, const std::string& text) {
    const auto [status, body] = get_json(
        net::append_query(env.at("BSKY_PDS_URL") + "/xrpc/com.atproto.repo.listRecords",
                          {{"repo", did}, {"collection", "app.bsky.feed.post"}, {"limit", "100"}}));
    REQUIRE(status == 200);
    std::size_t n = 0;
    for (const auto& r : body["records"]) {
        n += r["value"].value("text", "") == text ? 1U : 0U;
    }
    return n;
}

}  // namespace

TEST_SUITE("live.bluesky") {
    TEST_CASE("publish a rich post with an image and a thread to a real PDS, exactly once") {
        const auto env = load_live_env();
        if (!env) {
            MESSAGE("skipped: CMTOOL_BSKY_ENV is not set");
            return;
        }
        test::BlueskyHarness h(env->at("BSKY_PDS_URL"), env->at("BSKY_USER1_HANDLE"),
                               env->at("BSKY_USER1_APP_PASSWORD"));
        auto adapter = h.adapter();
        // Unique per run, so that a network reused between runs still sees new record keys.
        const std::string run =
            std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        const std::string text = "Atelier ouvert 🎄 : https://example.com/noel. Merci @" +
                                 env->at("BSKY_USER2_HANDLE") + " ! #Lampes (run " + run + ")";
        auto head = test::bluesky_request("live/" + run + "/0", text);
        head.scheduled_at =
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        head.part.media = {
            MediaFile{std::filesystem::path(CMTOOL_EXAMPLES) / "media/black-friday.jpg",
                      "media/black-friday.jpg", "Affiche Black Friday", "", 0, 0, 0}};
        const PublishResult first = adapter->publish(head);
        REQUIRE_MESSAGE(first.outcome == Outcome::sent, first.message);

        auto tail =
            test::bluesky_request("live/" + run + "/1", "La suite du fil (run " + run + ")", 1);
        tail.scheduled_at = head.scheduled_at;
        tail.parent = first.ref;
        tail.root = first.ref;
        const PublishResult second = adapter->publish(tail);
        REQUIRE_MESSAGE(second.outcome == Outcome::sent, second.message);
        CHECK(second.ref.id == test::bluesky_rkey(tail));

        // What the PDS stored.
        const json value = get_record(*env, first.ref);
        CHECK(value["text"] == text);
        const json facets = value["facets"];
        REQUIRE(facets.size() == 3);
        const std::string mention = "@" + env->at("BSKY_USER2_HANDLE");
        CHECK(facets[0]["index"]["byteStart"] == text.find("https://"));
        CHECK(facets[0]["index"]["byteEnd"] == text.find(". Merci"));
        CHECK(facets[0]["features"][0]["uri"] == "https://example.com/noel");
        CHECK(facets[1]["index"]["byteStart"] == text.find(mention));
        CHECK(facets[1]["index"]["byteEnd"] == text.find(mention) + mention.size());
        CHECK(facets[1]["features"][0]["did"] == env->at("BSKY_USER2_DID"));
        CHECK(facets[2]["features"][0]["tag"] == "Lampes");
        const json image = value["embed"]["images"][0];
        CHECK(image["alt"] == "Affiche Black Friday");
        CHECK(image["aspectRatio"] == json{{"width", 1080}, {"height", 1350}});
        const json reply = get_record(*env, second.ref)["reply"];
        CHECK(reply["root"] == json{{"uri", first.ref.uri}, {"cid", first.ref.cid}});
        CHECK(reply["parent"] == json{{"uri", first.ref.uri}, {"cid", first.ref.cid}});

        // What the AppView serves (full mode only).
        if (!env->at("BSKY_APPVIEW_URL").empty()) {
            const json post = app_view_post(*env, first.ref.uri);
            CHECK(post["record"]["text"] == text);
            CHECK(post["embed"]["images"][0]["alt"] == "Affiche Black Friday");
            CHECK(post["embed"]["images"][0]["aspectRatio"]["height"] == 1350);
            CHECK(app_view_post(*env, second.ref.uri)["record"]["reply"]["parent"]["cid"] ==
                  first.ref.cid);
        } else {
            MESSAGE("BSKY_MODE=pds: AppView checks skipped");
        }

        // The same key again: the PDS refuses the record key and the adapter reconciles.
        const PublishResult again = h.adapter()->publish(head);
        REQUIRE_MESSAGE(again.outcome == Outcome::sent, again.message);
        CHECK(again.ref.uri == first.ref.uri);
        CHECK(again.ref.cid == first.ref.cid);
        CHECK(again.message.find("InternalServerError") != std::string::npos);
        MESSAGE("duplicate reconciled: " << again.message);
        const std::string did = first.ref.uri.substr(5, first.ref.uri.find('/', 5) - 5);
        CHECK(records_with_text(*env, did, text) == 1);
        const auto found = adapter->lookup(tail, tail.scheduled_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::yes);
        CHECK(found->ref.cid == second.ref.cid);
    }

    TEST_CASE("a real PDS refuses a wrong app password: permanent, with the login hint") {
        const auto env = load_live_env();
        if (!env) {
            MESSAGE("skipped: CMTOOL_BSKY_ENV is not set");
            return;
        }
        test::BlueskyHarness h(env->at("BSKY_PDS_URL"), env->at("BSKY_USER1_HANDLE"),
                               "wrong-password-for-the-live-test");
        const PublishResult r = h.adapter()->publish(test::bluesky_request("live/bad/0", "Non"));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("AuthenticationRequired") != std::string::npos);
        CHECK(r.hint.find("cmtool auth login") != std::string::npos);
    }

    TEST_CASE("watch: the second account mentions the first; found once, stored, scored") {
        const auto env = load_live_env();
        if (!env) {
            MESSAGE("skipped: CMTOOL_BSKY_ENV is not set");
            return;
        }
        test::TempDir dir("live-watch");
        dir.write("ws/cmtool.yaml",
                  "version: 1\ntimezone: Europe/Paris\naccounts:\n"
                  "  bsky: {platform: bluesky, handle: " +
                      env->at("BSKY_USER1_HANDLE") +
                      "}\nwatch:\n  queries:\n"
                      "    brand: {terms: atelier, sources: [bsky-mentions]}\n"
                      "  sources:\n"
                      "    bsky-mentions: {type: bluesky_mentions, account: "
                      "bsky}\n");
        const std::vector<std::string> vars = {
            "CMTOOL_BSKY_API=" + env->at("BSKY_PDS_URL"),
            "CMTOOL_BSKY_APP_PASSWORD=" + env->at("BSKY_USER1_APP_PASSWORD"),
            "XDG_CONFIG_HOME=" + (dir.path() / "config").string()};
        const auto watch = [&] {
            auto r = test::run_cmtool(
                {"-C", (dir.path() / "ws").string(), "watch", "--once", "--format", "json"}, {},
                vars);
            REQUIRE_MESSAGE(r.exit_code == 0, r.err);
            return json::parse(r.out);
        };
        watch();  // starts listening: the cursor is now the newest notification
        const std::string run =
            std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        const auto posted = test::post_mention(
            env->at("BSKY_PDS_URL"), env->at("BSKY_USER2_HANDLE"), env->at("BSKY_USER2_PASSWORD"),
            env->at("BSKY_USER1_HANDLE"), env->at("BSKY_USER1_DID"),
            "merci, votre atelier est génial ! (run " + run + ")");
        // The AppView indexes asynchronously: poll for a bounded time.
        json found;
        const auto started = std::chrono::steady_clock::now();
        const auto deadline = started + std::chrono::seconds(90);
        while (found.is_null() && std::chrono::steady_clock::now() < deadline) {
            const json report = watch();  // kept alive: the loop reads into it
            for (const auto& m : report["mentions"]) {
                if (m["uri"] == posted.uri) {
                    CHECK(found.is_null());  // stored once, even over several runs
                    found = m;
                }
            }
            if (found.is_null()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
            }
        }
        REQUIRE_MESSAGE(!found.is_null(), "the mention of " << posted.uri << " never showed");
        MESSAGE("mention found after " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - started)
                                              .count()
                                       << " ms");
        CHECK(found["author"] == env->at("BSKY_USER2_HANDLE"));
        CHECK(found["platform"] == "bluesky");
        CHECK(found["sentiment"] == "positive");
        CHECK(found["score"].get<double>() > 0.2);
        const json again = watch();
        for (const auto& m : again["mentions"]) {
            CHECK(m["uri"] != posted.uri);
        }
        auto digest = test::run_cmtool({"-C", (dir.path() / "ws").string(), "watch", "digest",
                                        "--since", "1h", "--format", "json"},
                                       {}, vars);
        REQUIRE(digest.exit_code == 0);
        CHECK(json::parse(digest.out)["queries"][0]["total"].get<int>() >= 1);
    }
}
