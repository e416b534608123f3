// pull-metrics against the REAL local Bluesky network: the second test account likes, reposts
// and follows; the pull records exactly those counts. The AppView indexes asynchronously, so
// the test waits (bounded) until it shows them before pulling.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <thread>

#include <date/date.h>
#include <date/tz.h>

#include "../support/live_bluesky.hpp"
#include "../support/memory_credentials.hpp"
#include "../unit/test_support.hpp"
#include "cmtool/metrics/pull.hpp"
#include "cmtool/store/metrics.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

std::string now_rfc3339() {
    const auto t = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    return date::format("%FT%TZ", t);
}

// Polls `done` every 250 ms for at most 30 s.
template <class F>
bool eventually(F done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
}

std::int64_t followers(test::XrpcClient& as, const std::string& actor) {
    return as.call("GET", "app.bsky.actor.getProfile", {{"actor", actor}})
        .value("followersCount", std::int64_t{0});
}

}  // namespace

TEST_SUITE("live.bluesky") {
    TEST_CASE("pull-metrics records the likes, reposts and follow a second account makes") {
        const auto env = test::load_live_env();
        if (!env) {
            MESSAGE("skipped: CMTOOL_BSKY_ENV is not set");
            return;
        }
        if (env->at("BSKY_APPVIEW_URL").empty()) {
            MESSAGE("BSKY_MODE=pds: no AppView, no counters to pull; skipped");
            return;
        }
        const std::string pds = env->at("BSKY_PDS_URL");
        test::XrpcClient alice(pds, env->at("BSKY_USER1_HANDLE"), env->at("BSKY_USER1_PASSWORD"));
        test::XrpcClient bob(pds, env->at("BSKY_USER2_HANDLE"), env->at("BSKY_USER2_PASSWORD"));
        const std::string run = std::to_string(::getpid()) + "-" + now_rfc3339();

        // Bob may already follow Alice from an earlier run on the same network: start clean.
        const auto follows = bob.call(
            "GET", "com.atproto.repo.listRecords",
            {{"repo", bob.did()}, {"collection", "app.bsky.graph.follow"}, {"limit", "100"}});
        for (const auto& r : follows["records"]) {
            if (r["value"].value("subject", "") == alice.did()) {
                const std::string uri = r["uri"];
                bob.call("POST", "com.atproto.repo.deleteRecord",
                         {{"repo", bob.did()},
                          {"collection", "app.bsky.graph.follow"},
                          {"rkey", uri.substr(uri.rfind('/') + 1)}});
            }
        }
        // Wait until the AppView has processed the unfollow: Bob's view of Alice shows no
        // follow. Then Alice's follower count is the baseline.
        REQUIRE_MESSAGE(eventually([&] {
                            const auto p = bob.call("GET", "app.bsky.actor.getProfile",
                                                    {{"actor", alice.did()}});
                            return !p.value("viewer", json::object()).contains("following");
                        }),
                        "the AppView did not process the unfollow within 30 s");
        const std::int64_t before = followers(alice, alice.did());

        const json post = alice.create(
            "app.bsky.feed.post",
            {{"text", "Métriques en direct (run " + run + ")"}, {"createdAt", now_rfc3339()}});
        const json subject = {{"uri", post["uri"]}, {"cid", post["cid"]}};
        bob.create("app.bsky.feed.like", {{"subject", subject}, {"createdAt", now_rfc3339()}});
        bob.create("app.bsky.feed.repost", {{"subject", subject}, {"createdAt", now_rfc3339()}});
        bob.create("app.bsky.graph.follow",
                   {{"subject", alice.did()}, {"createdAt", now_rfc3339()}});
        REQUIRE_MESSAGE(
            eventually([&] {
                const auto p = alice.call("GET", "app.bsky.feed.getPosts", {{"uris", post["uri"]}});
                return !p["posts"].empty() && p["posts"][0].value("likeCount", 0) == 1 &&
                       p["posts"][0].value("repostCount", 0) == 1 &&
                       followers(alice, alice.did()) == before + 1;
            }),
            "the AppView did not show the like, repost and follow within 30 s");

        // The pull, through the library with the workspace of one Bluesky account.
        test::TempDir dir("live-metrics");
        calendar::WorkspaceConfig ws;
        ws.root = dir.path();
        ws.zone = date::locate_zone("UTC");
        calendar::Account account;
        account.name = "bsky";
        account.platform = Platform::bluesky;
        account.settings = {{"handle", env->at("BSKY_USER1_HANDLE")}, {"api", pds}};
        ws.accounts.push_back(account);
        test::MemoryCredentials credentials;
        credentials.set("bsky", "app_password", env->at("BSKY_USER1_APP_PASSWORD"));
        auto store = store::Store::open(dir.path() / ".cmtool");
        REQUIRE(store.has_value());
        net::CurlTransport http;
        net::SystemClock clock;
        test::RecordingSleeper sleeper;
        metrics::PullContext ctx{ws, *store, http, credentials, clock, sleeper};
        metrics::PullOptions options;
        options.since =
            std::chrono::floor<std::chrono::seconds>(clock.now()) - std::chrono::hours(1);
        const auto report = metrics::pull_metrics(options, ctx);
        REQUIRE_MESSAGE(report.has_value(), (report ? std::string() : report.error().message));
        REQUIRE(report->accounts.size() == 1);
        const auto& pulled = report->accounts.front();
        CHECK_MESSAGE(pulled.status == metrics::AccountStatus::ok, pulled.error);
        CHECK(pulled.unplanned >= 1);

        store::MetricsStore m(*store);
        const auto posts = m.posts();
        REQUIRE(posts.has_value());
        std::int64_t id = 0;
        for (const auto& p : *posts) {
            if (p.remote_id == post["uri"]) {
                id = p.id;
                CHECK(p.excerpt.find("Métriques en direct") == 0);
                CHECK(p.url.find("https://bsky.app/profile/") == 0);
            }
        }
        REQUIRE_MESSAGE(id != 0, "the new post was not tracked");
        const auto snaps = m.post_snapshots();
        REQUIRE(snaps.has_value());
        bool found = false;
        for (const auto& s : *snaps) {
            if (s.post == id) {
                found = true;
                CHECK(s.counters.likes == 1);
                CHECK(s.counters.reposts == 1);
                CHECK(s.counters.replies == 0);
                CHECK(s.counters.quotes == 0);
                CHECK_FALSE(s.counters.views.has_value());
            }
        }
        CHECK(found);
        const auto accounts = m.account_snapshots();
        REQUIRE(accounts.has_value());
        REQUIRE(accounts->size() == 1);
        CHECK(accounts->front().counters.followers == before + 1);
    }
}
