// The built `cmtool pull-metrics` and `metrics export` against fake_mastodon and fake_bluesky:
// counts that change between two pulls, unplanned posts, a deleted status, a 429 in the middle
// of a run, a spent budget, an expired token, and the lock.
#include <doctest/doctest.h>

#include <csignal>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "../support/publish_sandbox.hpp"
#include "../support/raw_sqlite.hpp"
#include "cmtool/store/lock.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

constexpr const char* k_now = "2026-11-23T10:00:00+01:00";

constexpr const char* k_calendar = R"(posts:
  - id: lampe
    at: 2026-11-23 09:00
    channels: [masto, bsky]
    text: "Notre nouvelle lampe en laiton #atelier"
  - id: merci
    at: 2026-11-23 09:30
    channels: [masto, bsky]
    text: "Merci pour les photos ! #coulisses"
)";

json parse(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), text);
    return j;
}

json account_of(const json& pull, const std::string& name) {
    for (const auto& a : pull["accounts"]) {
        if (a["account"] == name) {
            return a;
        }
    }
    FAIL("no account " << name << " in " << pull.dump());
    return {};
}

// The exported post whose calendar post id is `post` on `account`.
json exported(const json& doc, const std::string& account, const std::string& post) {
    for (const auto& p : doc["posts"]) {
        if (p["account"] == account && p["post_id"] == post) {
            return p;
        }
    }
    FAIL("no exported post " << post << " on " << account << " in " << doc.dump());
    return {};
}

// A sandbox where both posts of k_calendar were published at k_now.
struct Published : test::PublishSandbox {
    explicit Published(const std::string& name, std::vector<std::string> masto_flags = {})
        : test::PublishSandbox(name, std::move(masto_flags)) {
        write_calendar(k_calendar);
        const auto r = run({"publish", "--now", k_now, "-q"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }

    test::RunResult pull(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"pull-metrics", "--since", "2026-11-01", "--format", "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }

    std::string masto_id(const std::string& text) {
        for (const auto& s : statuses()) {
            if (s["text"] == text) {
                return s["id"].get<std::string>();
            }
        }
        FAIL("no status " << text);
        return {};
    }

    // Posts `n` statuses on alice's account straight through the API: not from cmtool.
    void post_directly(int n) {
        for (int i = 0; i < n; ++i) {
            auto r = masto.request("POST", "/api/v1/statuses");
            net::set_json_body(r, json{{"status", "Hors calendrier " + std::to_string(i)}}.dump());
            const auto res = masto.api.send(r);
            REQUIRE(res.has_value());
            REQUIRE(res->status == 200);
        }
    }
};

}  // namespace

TEST_CASE("pull-metrics: two pulls keep both snapshots, with the platform's field names") {
    Published s("pull-two");
    const std::string lampe = s.masto_id("Notre nouvelle lampe en laiton #atelier");
    s.masto.admin("POST", "/__admin/engagement",
                  {{"id", lampe}, {"favourites_count", 4}, {"reblogs_count", 1}});
    s.masto.admin("POST", "/__admin/account", {{"username", "alice"}, {"followers_count", 120}});
    const auto lamp_record = s.bsky.records_with_text("Notre nouvelle lampe en laiton #atelier");
    REQUIRE(lamp_record.size() == 1);
    s.bsky.admin("POST", "/__admin/engagement",
                 {{"uri", lamp_record[0]["uri"]}, {"likes", 7}, {"reposts", 2}, {"replies", 1}});

    const auto first = s.pull();
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    const json p1 = parse(first.out);
    CHECK(account_of(p1, "masto")["status"] == "ok");
    CHECK(account_of(p1, "masto")["posts"] == 2);
    CHECK(account_of(p1, "masto")["profile"]["followers"] == 120);
    CHECK(account_of(p1, "bsky")["posts"] == 2);

    s.masto.admin("POST", "/__admin/engagement",
                  {{"id", lampe}, {"favourites_count", 9}, {"replies_count", 3}});
    s.masto.admin("POST", "/__admin/account", {{"username", "alice"}, {"followers_count", 125}});
    const auto second = s.pull();
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);

    const auto exp = s.run({"metrics", "export", "--format", "json"});
    REQUIRE_MESSAGE(exp.exit_code == 0, exp.err);
    const json doc = parse(exp.out);
    const json m = exported(doc, "masto", "lampe");
    REQUIRE(m["snapshots"].size() == 2);
    CHECK(m["planned"] == true);
    CHECK(m["snapshots"][0]["likes"] == 4);
    CHECK(m["snapshots"][0]["reposts"] == 1);
    CHECK(m["snapshots"][1]["likes"] == 9);
    CHECK(m["snapshots"][1]["replies"] == 3);
    CHECK(m["snapshots"][1]["views"].is_null());      // Mastodon gives no views: not 0
    CHECK(m["snapshots"][1]["bookmarks"].is_null());  // nor bookmark counts
    CHECK(m["snapshots"][1]["fields"].get<std::string>().find("likes=favourites_count") !=
          std::string::npos);
    const json b = exported(doc, "bsky", "lampe");
    REQUIRE(b["snapshots"].size() == 2);
    CHECK(b["snapshots"][0]["likes"] == 7);
    CHECK(b["snapshots"][0]["replies"] == 1);
    CHECK(b["snapshots"][0]["fields"].get<std::string>().find("likes=likeCount") !=
          std::string::npos);
    std::vector<long> followers;
    for (const auto& a : doc["accounts"]) {
        if (a["account"] == "masto") {
            followers.push_back(a["followers"].get<long>());
        }
    }
    CHECK(followers == std::vector<long>{120, 125});

    const auto csv = s.run({"metrics", "export", "--format", "csv", "--account", "masto"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("taken_at,account,platform,remote_id,url,post_id,planned,", 0) == 0);
    CHECK(csv.out.find(",lampe,yes,") != std::string::npos);
}

TEST_CASE("pull-metrics: the account's own posts are tracked as unplanned, replies are not") {
    Published s("pull-unplanned");
    s.post_directly(2);
    const auto r = s.pull();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["unplanned"] == 2);
    CHECK(masto["posts"] == 4);
    const json doc = parse(s.run({"metrics", "export", "--format", "json"}).out);
    int unplanned = 0;
    for (const auto& p : doc["posts"]) {
        if (p["account"] == "masto" && p["planned"] == false) {
            ++unplanned;
            CHECK(p["post_id"].is_null());
            CHECK(p["excerpt"].get<std::string>().rfind("Hors calendrier", 0) == 0);
        }
    }
    CHECK(unplanned == 2);
    // Seen again: not new any more.
    const auto again = s.pull();
    CHECK(account_of(parse(again.out), "masto")["unplanned"] == 0);
}

TEST_CASE("pull-metrics: a deleted status is recorded as deleted and not asked for again") {
    Published s("pull-deleted");
    const std::string merci = s.masto_id("Merci pour les photos ! #coulisses");
    const auto del = s.masto.api.send(s.masto.request("DELETE", "/api/v1/statuses/" + merci));
    REQUIRE(del.has_value());
    REQUIRE(del->status == 200);
    const auto r = s.pull({"--account", "masto"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["deleted"] == 1);
    CHECK(masto["posts"] == 1);
    CHECK(masto["failed"] == 0);
    const json doc = parse(s.run({"metrics", "export", "--format", "json"}).out);
    CHECK(exported(doc, "masto", "lampe")["deleted_at"].is_null());
    // The deleted post has no snapshot, so it is not in the export's posts; the next pull does
    // not ask for it (no single lookup, no error loop).
    const long before = s.masto_requests();
    const auto again = s.pull({"--account", "masto"});
    REQUIRE(again.exit_code == 0);
    CHECK(account_of(parse(again.out), "masto")["deleted"] == 0);
    CHECK(s.masto_requests() - before == 2);  // verify_credentials and one page (lampe on it)
}

TEST_CASE("pull-metrics: a 429 in the middle stops that account and leaves the rest") {
    Published s("pull-429");
    s.post_directly(118);  // 120 posts: three timeline pages on the first pull
    const auto first = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    CHECK(account_of(parse(first.out), "masto")["posts"] == 120);
    // Second pull: page 1 (40 known posts, so discovery stops), then 80 posts in 4 batches,
    // and the first batch gets Mastodon's 429 (with its X-RateLimit headers).
    s.masto.arm({{"path", "/api/v1/statuses"}, {"method", "GET"}, {"mode", "429"}, {"count", 1}});
    const long before = s.masto_requests();
    const auto second = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);
    const json masto = account_of(parse(second.out), "masto");
    CHECK(masto["status"] == "partial");
    CHECK(masto["posts"] == 40);     // the timeline page only
    CHECK(masto["deferred"] == 80);  // every batch left for the next run
    CHECK(masto["failed"] == 0);
    CHECK(second.err.find("left for the next run") != std::string::npos);
    // Not hammered: verify_credentials, the page, the refused batch, and nothing after it.
    CHECK(s.masto_requests() - before == 3);
    // The next run starts with what was left (least recently pulled first).
    const auto third = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE(third.exit_code == 0);
    const json m3 = account_of(parse(third.out), "masto");
    CHECK(m3["status"] == "ok");
    CHECK(m3["posts"] == 120);
    CHECK(m3["deferred"] == 0);
}

TEST_CASE("pull-metrics: a 429 whose body echoes the token never shows it") {
    Published s("pull-429-echo");
    s.post_directly(118);
    REQUIRE(s.pull({"--account", "masto", "--concurrency", "1"}).exit_code == 0);
    s.masto.arm({{"path", "/api/v1/statuses"},
                 {"method", "GET"},
                 {"mode", "429"},
                 {"error", std::string("slow down, Bearer ") + test::k_alice_token},
                 {"count", 1}});
    const auto r = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["status"] == "partial");
    CHECK(masto["deferred"] == 80);
    // The hint carries the API's words, with the token masked.
    CHECK(r.err.find("left for the next run") != std::string::npos);
    CHECK(r.err.find("slow down") != std::string::npos);
    CHECK(r.err.find(test::k_alice_token) == std::string::npos);
    CHECK(r.out.find(test::k_alice_token) == std::string::npos);
}

TEST_CASE("pull-metrics: a spent rate-limit budget is never overrun") {
    Published s("pull-budget");
    s.post_directly(118);
    REQUIRE(s.pull({"--account", "masto"}).exit_code == 0);
    s.masto.admin("POST", "/__admin/rate_limit", {{"limit", 4}});
    const long before = s.masto_requests();
    const auto r = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(s.masto_requests() - before == 4);  // the budget, not one request more
    CHECK(masto["status"] == "partial");
    CHECK(masto["deferred"] == 40);  // 2 of the 4 batches fit
    CHECK_FALSE(masto["budget_reset"].is_null());
}

TEST_CASE("pull-metrics: an expired token fails that account with a hint, the others go on") {
    Published s("pull-expired");
    s.masto.admin("POST", "/__admin/expire_token", {{"token", test::k_alice_token}});
    const auto r = s.pull();
    CHECK(r.exit_code == 1);
    const json doc = parse(r.out);
    const json masto = account_of(doc, "masto");
    CHECK(masto["status"] == "failed");
    CHECK(masto["hint"].get<std::string>().find("cmtool auth login masto") != std::string::npos);
    CHECK(account_of(doc, "bsky")["status"] == "ok");
    CHECK(account_of(doc, "bsky")["posts"] == 2);
    CHECK(r.err.find("error: masto") != std::string::npos);
    CHECK(r.err.find(test::k_alice_token) == std::string::npos);
    CHECK(r.out.find(test::k_alice_token) == std::string::npos);
}

TEST_CASE("pull-metrics: missing credentials are a configuration error (exit 2)") {
    Published s("pull-nocreds");
    const auto r = s.run({"pull-metrics", "--account", "masto"}, test::Credentials::no);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("CMTOOL_MASTO_TOKEN") != std::string::npos);
}

TEST_CASE("pull-metrics: a second run exits at once while one holds the lock") {
    Published s("pull-lock");
    auto held = store::FileLock::acquire(s.root() / ".cmtool" / "pull-metrics.lock",
                                         std::chrono::milliseconds(0), "test");
    REQUIRE(held.has_value());
    const long masto_before = s.masto_requests();
    const long bsky_before = s.bsky_requests();
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.pull();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cmtool pull-metrics") != std::string::npos);
    // It sent nothing to either platform.
    CHECK(s.masto_requests() == masto_before);
    CHECK(s.bsky_requests() == bsky_before);
}

TEST_CASE("pull-metrics: quiet when all is well, an unknown account is a usage error") {
    Published s("pull-quiet");
    const auto quiet = s.run({"pull-metrics", "-q"});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.out.empty());
    CHECK(quiet.err.empty());
    const auto unknown = s.run({"pull-metrics", "--account", "mastp"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("did you mean `masto`") != std::string::npos);
}

TEST_CASE("pull-metrics: an instance without the batch endpoint gets one request per post") {
    Published s("pull-nobatch");
    s.post_directly(48);  // 50 posts: page 1 shows 40, 10 are left for the batch endpoint
    REQUIRE(s.pull({"--account", "masto"}).exit_code == 0);
    // An instance older than 4.3: GET /api/v1/statuses does not exist.
    s.masto.arm({{"path", "/api/v1/statuses"}, {"method", "GET"}, {"mode", "404"}, {"count", 50}});
    const long before = s.masto_requests();
    const auto r = s.pull({"--account", "masto", "--concurrency", "1"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["status"] == "ok");
    CHECK(masto["posts"] == 50);
    // verify_credentials, the page, the one batch that said 404, then 10 single GETs.
    CHECK(s.masto_requests() - before == 13);
}

TEST_CASE("pull-metrics: a malformed answer fails those posts with a message, not a crash") {
    Published s("pull-malformed");
    s.post_directly(48);
    REQUIRE(s.pull({"--account", "masto"}).exit_code == 0);
    s.masto.arm({{"path", "/api/v1/statuses"},
                 {"method", "GET"},
                 {"mode", "malformed_json"},
                 {"count", 5}});
    const auto r = s.pull({"--account", "masto"});
    CHECK(r.exit_code == 1);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["status"] == "partial");
    CHECK(masto["failed"] == 10);
    CHECK(masto["posts"] == 40);
    CHECK(masto["error"].get<std::string>().find("malformed") != std::string::npos);
    CHECK(r.err.find("error: masto") != std::string::npos);
}

namespace {

using test::raw_query;

// The store after a run that was cut short: intact, and every post marked pulled at time T has
// its snapshot taken at T (a snapshot and its mark are written together or not at all).
void check_consistent(const std::filesystem::path& db) {
    CHECK(raw_query(db, "PRAGMA integrity_check") == "ok");
    CHECK(raw_query(db,
                    "SELECT count(*) FROM tracked_posts t WHERE t.last_pulled IS NOT NULL "
                    "AND t.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM post_snapshots s "
                    "WHERE s.post = t.id AND s.taken_at = t.last_pulled)") == "0");
    CHECK(raw_query(db,
                    "SELECT count(*) FROM post_snapshots s WHERE NOT EXISTS (SELECT 1 FROM "
                    "tracked_posts t WHERE t.id = s.post)") == "0");
}

}  // namespace

TEST_CASE("pull-metrics: killed or interrupted at any moment, the store stays consistent") {
    Published s("pull-kill", {"--rate-limit", "100000"});
    s.post_directly(298);  // 300 posts
    const auto first = s.pull({"--account", "masto", "--max-pages", "20"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    REQUIRE(account_of(parse(first.out), "masto")["posts"] == 300);
    s.masto.admin("POST", "/__admin/latency", {{"ms", 40}});
    const auto db = s.root() / ".cmtool" / "state.db";
    // 300 posts: one page, then 13 batches of 20, one at a time, 40 ms each, a commit after
    // every batch. Kill it anywhere.
    for (const int after_ms : {30, 90, 150, 210, 270, 330, 390}) {
        auto p = s.start(
            {"pull-metrics", "--account", "masto", "--concurrency", "1", "--commit-every", "20"},
            "kill-" + std::to_string(after_ms));
        std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
        p->kill_now();
        p->wait();
        check_consistent(db);
    }
    // Some of the killed runs had committed snapshots (the cut fell between transactions).
    CHECK(raw_query(db,
                    "SELECT count(*) > 0 FROM post_snapshots s JOIN pull_runs r ON r.id = "
                    "s.run WHERE r.status = 'running'") == "1");
    // Ctrl-C: the requests in flight finish, what they brought is written, exit 130.
    auto p = s.start({"pull-metrics", "--account", "masto", "--concurrency", "1", "--commit-every",
                      "20", "--format", "json"},
                     "sigint");
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    ::kill(p->pid(), SIGINT);
    const auto interrupted = p->wait();
    CHECK(interrupted.exit_code == 130);
    check_consistent(db);
    CHECK(raw_query(db, "SELECT status FROM pull_runs ORDER BY id DESC LIMIT 1") == "interrupted");
    CHECK(interrupted.err.find("interrupted") != std::string::npos);
    // And the next run completes.
    s.masto.admin("POST", "/__admin/latency", {{"ms", 0}});
    const auto last = s.pull({"--account", "masto"});
    REQUIRE_MESSAGE(last.exit_code == 0, last.err);
    CHECK(account_of(parse(last.out), "masto")["posts"] == 300);
    check_consistent(db);
}

TEST_CASE("pull-metrics: a server error that persists is asked three times, then reported") {
    Published s("pull-5xx");
    s.bsky.arm({{"path", "/xrpc/app.bsky.actor.getProfile"}, {"mode", "503"}, {"count", 1000}});
    const long before = s.bsky_requests();
    const auto r = s.pull({"--account", "bsky"});
    CHECK(r.exit_code == 1);
    const json bsky = account_of(parse(r.out), "bsky");
    CHECK(bsky["status"] == "partial");
    CHECK(bsky["posts"] == 2);  // the posts were pulled; only the profile failed
    CHECK(bsky["profile"].is_null());
    CHECK(bsky["error"].get<std::string>().find("getProfile: HTTP 503") != std::string::npos);
    // 3 x getProfile and getAuthorFeed (both posts on it; the session is cached): bounded.
    CHECK(s.bsky_requests() - before == 4);
}

TEST_CASE("pull-metrics: a budget spent before the run starts leaves everything for the next") {
    Published s("pull-spent");
    s.masto.admin("POST", "/__admin/rate_limit", {{"limit", 0}});
    const auto r = s.pull({"--account", "masto"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const json masto = account_of(parse(r.out), "masto");
    CHECK(masto["status"] == "partial");
    CHECK(masto["deferred"] == 2);
    CHECK(masto["error"].is_null());
    CHECK(r.err.find("left for the next run") != std::string::npos);
}
