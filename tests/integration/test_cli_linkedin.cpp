// `cmtool publish` and `pull-metrics` on LinkedIn against fake_linkedin (platforms.md §3): text
// with little-format escaping, a link as an article, an image with alt text, share statistics
// and followers into the store, token renewal after a 401, the re-consent error without a
// refresh token, a 429 deferred to 00:00 UTC, member posts that cannot be listed, a sunset
// version, and no token in any output.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "../support/linkedin_sandbox.hpp"
#include "cmtool/net/ratelimit.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string ago(std::chrono::minutes m) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%FT%T}+00:00", now - m);
}

const std::string k_text =
    "Nouveau (enfin) : la lampe #laiton est là, 100% faite main_ici ~ @atelier";
const std::string k_link = "https://atelier.example/lampe";

std::string li_calendar(const std::string& channel) {
    return fmt::format(R"(posts:
  - id: texte
    at: {}
    channels: [{}]
    text: "{}"
  - id: lien
    at: {}
    channels: [{}]
    text: "La fiche produit"
    link: {}
  - id: image
    at: {}
    channels: [{}]
    text: "Une image, avec sa description."
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Lampe en laiton sur un établi"}}
)",
                       ago(30min), channel, k_text, ago(20min), channel, k_link, ago(10min),
                       channel);
}

json run_json(const test::RunResult& r) {
    INFO(r.out << r.err);
    return json::parse(r.out);
}

}  // namespace

TEST_SUITE("linkedin") {
    TEST_CASE("LinkedIn: publish text, a link and an image with alt text as the organization") {
        test::LinkedInSandbox s("li-publish");
        s.write_calendar(li_calendar("li"));
        const auto r = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        CHECK(test::shows_no_token(r.out + r.err));
        const json doc = run_json(r);
        REQUIRE(doc["deliveries"].size() == 3);
        for (const auto& d : doc["deliveries"]) {
            CHECK(d["outcome"] == "sent");
            CHECK(d["url"].get<std::string>().starts_with(
                "https://www.linkedin.com/feed/update/urn:li:share:"));
        }
        const json posts = s.posts();
        REQUIRE(posts.size() == 3);
        // The escaped commentary reaches the feed whole (the fake cuts at an unescaped reserved
        // character), the hashtag as LinkedIn's template.
        CHECK(posts[0]["author"] == test::k_li_org);
        CHECK(posts[0]["text"] == k_text);
        CHECK(posts[0]["commentary"].get<std::string>().find("{hashtag|\\#|laiton}") !=
              std::string::npos);
        CHECK(posts[0]["commentary"].get<std::string>().find("\\(enfin\\)") != std::string::npos);
        CHECK_FALSE(posts[0].contains("content"));
        CHECK(posts[1]["content"]["article"]["source"] == k_link);
        CHECK(posts[1]["text"] == "La fiche produit\n\n" + k_link);
        CHECK(posts[2]["content"]["media"]["altText"] == "Lampe en laiton sur un établi");
        const json images = s.admin("POST", "/__admin/dump")["images"];
        REQUIRE(images.size() == 1);
        CHECK(images[0]["uploaded"] == true);
        CHECK(images[0]["urn"] == posts[2]["content"]["media"]["id"]);

        const auto again = s.run({"publish"});
        CHECK(again.exit_code == 0);
        CHECK(s.posts().size() == 3);
    }

    TEST_CASE("LinkedIn: pull-metrics stores share statistics and the follower count") {
        test::LinkedInSandbox s("li-metrics");
        s.write_calendar(li_calendar("li"));
        REQUIRE(s.run({"publish"}).exit_code == 0);
        const json posts = s.posts();
        REQUIRE(posts.size() == 3);
        s.admin("POST", "/__admin/stats",
                {{"post", posts[0]["id"]},
                 {"likes", 12},
                 {"comments", 3},
                 {"shares", 2},
                 {"impressions", 480},
                 {"clicks", 9}});
        s.admin("POST", "/__admin/followers", {{"count", 4321}});
        // A post made outside cmtool: found through the author's posts, counters from a batch.
        net::HttpRequest direct;
        direct.method = "POST";
        direct.url = s.server.base_url() + "/rest/posts";
        direct.headers = {{"Authorization", std::string("Bearer ") + test::k_li_token},
                          {"LinkedIn-Version", "202601"},
                          {"X-Restli-Protocol-Version", "2.0.0"}};
        net::set_json_body(direct, json{{"author", test::k_li_org},
                                        {"commentary", "Posté à la main"},
                                        {"visibility", "PUBLIC"},
                                        {"distribution", {{"feedDistribution", "MAIN_FEED"}}},
                                        {"lifecycleState", "PUBLISHED"}}
                                       .dump());
        const auto made = s.admin_api.send(direct);
        REQUIRE(made.has_value());
        REQUIRE(made->status == 201);
        const std::string unplanned = made->header("x-restli-id").value_or("");
        s.admin("POST", "/__admin/stats", {{"post", unplanned}, {"likes", 5}, {"impressions", 70}});
        const auto pull = s.run({"pull-metrics", "--account", "li", "--format", "json"});
        REQUIRE_MESSAGE(pull.exit_code == 0, pull.out << pull.err);
        CHECK(test::shows_no_token(pull.out + pull.err));
        const auto exported = s.run({"metrics", "export", "--format", "json"});
        REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
        const json doc = json::parse(exported.out);
        INFO(doc.dump());
        bool seen = false;
        for (const auto& row : doc["posts"]) {
            if (row.value("remote_id", "") == posts[0]["id"]) {
                seen = true;
                CHECK(row["planned"] == true);
                const json& snap = row["snapshots"].back();
                CHECK(snap["likes"] == 12);
                CHECK(snap["replies"] == 3);
                CHECK(snap["reposts"] == 2);
                CHECK(snap["views"] == 480);
                CHECK(snap["quotes"].is_null());  // not provided, never 0
            }
        }
        CHECK(seen);
        bool found_unplanned = false;
        for (const auto& row : doc["posts"]) {
            if (row.value("remote_id", "") == unplanned) {
                found_unplanned = true;
                CHECK(row["planned"] == false);
                CHECK(row["excerpt"] == "Posté à la main");
                CHECK(row["snapshots"].back()["likes"] == 5);
                CHECK(row["snapshots"].back()["views"] == 70);
            }
        }
        CHECK(found_unplanned);
        REQUIRE(doc["accounts"].size() >= 1);
        CHECK(doc["accounts"].back()["followers"] == 4321);
        CHECK(doc["accounts"].back()["fields"] == "followers=firstDegreeSize");
    }

    TEST_CASE("LinkedIn: a refused token is renewed with the refresh token, then the post goes") {
        test::LinkedInSandbox s("li-refresh", {"--refresh-token", "li-refresh-partner-fake"});
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                             .time_since_epoch()
                             .count();
        // Stored 10 days ago for 60 days: not due for renewal, but the server says expired.
        s.store_tokens("li", {{"token", test::k_li_token},
                              {"token_issued", std::to_string(now - 10 * 86400)},
                              {"token_expires", std::to_string(now + 50 * 86400)},
                              {"refresh_token", "li-refresh-partner-fake"},
                              {"refresh_expires", std::to_string(now + 300 * 86400)}});
        s.admin("POST", "/__admin/expire_token", {{"token", test::k_li_token}});
        s.write_calendar(li_calendar("li"));
        const auto r = s.run({"publish", "--format", "json"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        CHECK(test::shows_no_token(r.out + r.err));
        CHECK(s.posts().size() == 3);
        const json saved = s.stored("li");
        CHECK(saved["token"].get<std::string>().starts_with("li-access-"));
        CHECK(saved["refresh_token"] == "li-refresh-partner-fake");
        // The refresh token keeps the expiry the fake gave it when issued (365 days from its
        // start): renewing did not extend it.
        const long refresh_expires = std::stol(saved["refresh_expires"].get<std::string>());
        CHECK(refresh_expires <= now + 365 * 86400 + 60);
        CHECK(refresh_expires >= now + 365 * 86400 - 600);
    }

    TEST_CASE("LinkedIn: an expiring stored token is renewed before the publish") {
        test::LinkedInSandbox s("li-due", {"--refresh-token", "li-refresh-partner-fake"});
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                             .time_since_epoch()
                             .count();
        s.store_tokens("li", {{"token", test::k_li_token},
                              {"token_issued", std::to_string(now - 55 * 86400)},
                              {"token_expires", std::to_string(now + 5 * 86400)},
                              {"refresh_token", "li-refresh-partner-fake"}});
        s.write_calendar(li_calendar("li"));
        const auto r = s.run({"publish"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
        CHECK(s.stored("li")["token"] != test::k_li_token);
        CHECK(s.posts().size() == 3);
    }

    TEST_CASE("LinkedIn: without a refresh token a refused token asks to consent again") {
        test::LinkedInSandbox s("li-reconsent");
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                             .time_since_epoch()
                             .count();
        s.store_tokens("li", {{"token", test::k_li_token},
                              {"token_issued", std::to_string(now - 10 * 86400)},
                              {"token_expires", std::to_string(now + 50 * 86400)}});
        s.admin("POST", "/__admin/expire_token", {{"token", test::k_li_token}});
        s.write_calendar(li_calendar("li"));
        const auto r = s.run({"publish"});
        CHECK(r.exit_code != 0);
        CHECK(test::shows_no_token(r.out + r.err));
        INFO(r.out << r.err);
        CHECK((r.out + r.err).find("cmtool auth login li") != std::string::npos);
        CHECK((r.out + r.err).find("60 days") != std::string::npos);
        CHECK(s.posts().empty());
    }

    TEST_CASE("LinkedIn: a 429 defers the delivery until 00:00 UTC") {
        test::LinkedInSandbox s("li-429");
        s.write_calendar(li_calendar("li"));
        s.admin("POST", "/__admin/daily_limit", {{"limit", 0}});
        const auto r = s.run({"publish", "--format", "json"});
        INFO(r.out << r.err);
        CHECK(test::shows_no_token(r.out + r.err));
        const json doc = json::parse(r.out);
        const auto midnight =
            std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
            std::chrono::days(1);
        std::size_t deferred = 0;
        for (const auto& d : doc["deliveries"]) {
            if (d["outcome"] == "deferred") {
                ++deferred;
                REQUIRE(d["retry_at"].is_string());
                // Written in the workspace's zone (Europe/Paris): the next 00:00 UTC.
                const auto at = net::parse_iso8601(d["retry_at"].get<std::string>());
                REQUIRE(at.has_value());
                CHECK(*at == std::chrono::sys_seconds(midnight));
            }
        }
        CHECK(deferred == 3);
        CHECK(s.posts().empty());
        const auto status = s.run({"publish", "status", "--format", "json"});
        REQUIRE(status.exit_code == 0);
        CHECK(status.out.find("deferred") != std::string::npos);
    }

    TEST_CASE("LinkedIn: member posts that cannot be listed stay unknown and are never resent") {
        test::LinkedInSandbox s("li-member", {"--restricted-member-posts", "true"});
        s.write_calendar(li_calendar("lime"));
        // The post is created, then the connection held: cmtool cannot know (timeout 1.5 s).
        s.arm({{"path", "/rest/posts"}, {"method", "POST"}, {"mode", "hang"}});
        const auto first = s.run({"publish", "--post", "texte"});
        INFO(first.out << first.err);
        CHECK(test::shows_no_token(first.out + first.err));
        CHECK(s.posts().size() == 1);
        s.admin("DELETE", "/__admin/faults");
        const auto second = s.run({"publish", "--post", "texte", "--format", "json"});
        INFO(second.out << second.err);
        CHECK(test::shows_no_token(second.out + second.err));
        CHECK(second.out.find("r_member_social") != std::string::npos);
        CHECK(s.posts().size() == 1);  // held and reported, not sent again
        const json doc = json::parse(second.out);
        REQUIRE(doc["deliveries"].size() == 1);
        CHECK(doc["deliveries"][0]["outcome"] == "deferred");
    }

    TEST_CASE("LinkedIn: a sunset LinkedIn-Version asks to update `version`") {
        test::LinkedInSandbox s("li-sunset", {"--sunset-version", "202401"},
                                ", version: \"202401\"");
        s.write_calendar(li_calendar("li"));
        const auto r = s.run({"publish", "--post", "texte"});
        INFO(r.out << r.err);
        CHECK(r.exit_code != 0);
        CHECK((r.out + r.err).find("set `version:`") != std::string::npos);
        CHECK(s.posts().empty());
    }

    TEST_CASE("LinkedIn: a watch source on LinkedIn is a configuration error") {
        test::LinkedInSandbox s("li-watch");
        s.dir.write("ws/cmtool.yaml",
                    "version: 1\nbrand: T\ntimezone: Europe/Paris\naccounts:\n"
                    "  li: {platform: linkedin, author: \"urn:li:organization:5515715\"}\n"
                    "watch:\n  sources:\n    marque: {type: linkedin_mentions, account: li}\n");
        const auto r = s.run({"plan", "validate"});
        INFO(r.out << r.err);
        CHECK(r.exit_code != 0);
        CHECK((r.out + r.err).find("LinkedIn cannot be watched") != std::string::npos);
    }
}
