// LinkedIn's pure pieces: little-format escaping, the version setting, the daily 429 reset and
// the post body (platforms.md §3.2, §3.8).
#include <doctest/doctest.h>

#include "../../lib/src/platforms/adapters.hpp"
#include "../../lib/src/platforms/linkedin_adapter.hpp"
#include "../../lib/src/platforms/linkedin_api.hpp"
#include "../support/memory_credentials.hpp"
#include "../support/scripted_transport.hpp"
#include "cmtool/net/ratelimit.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using namespace std::chrono;

namespace {

calendar::Account li_account(std::map<std::string, std::string> settings) {
    calendar::Account a;
    a.name = "li";
    a.platform = Platform::linkedin;
    a.settings = std::move(settings);
    return a;
}

}  // namespace

TEST_CASE("linkedin: little-format escaping and its inverse") {
    CHECK(linkedin::escape_little("a (b) [c] {d} <e> *f* _g_ ~h~ @i | j \\ k") ==
          "a \\(b\\) \\[c\\] \\{d\\} \\<e\\> \\*f\\* \\_g\\_ \\~h\\~ \\@i \\| j \\\\ k");
    CHECK(linkedin::escape_little("#laiton et #été, mais pas a#b ni # seul") ==
          "{hashtag|\\#|laiton} et {hashtag|\\#|été}, mais pas a\\#b ni \\# seul");
    for (const std::string text :
         {"Nouveau (enfin) : #laiton 100% main_ici ~ @atelier", "rien à échapper", "\\ # []"}) {
        CHECK(linkedin::unescape_little(linkedin::escape_little(text)) == text);
    }
    CHECK(linkedin::unescape_little("Merci @[Alice Martin](urn:li:person:abc) !") ==
          "Merci Alice Martin !");
}

TEST_CASE("linkedin: version setting, author and the next 00:00 UTC") {
    CHECK(*linkedin::version_of(li_account({})) == std::string(linkedin::k_default_version));
    CHECK(*linkedin::version_of(li_account({{"version", "202511"}})) == "202511");
    CHECK_FALSE(linkedin::version_of(li_account({{"version", "2025-11"}})));
    CHECK_FALSE(linkedin::version_of(li_account({{"version", "202513"}})));
    CHECK_FALSE(linkedin::author_of(li_account({{"author", "abc123"}})));
    CHECK(linkedin::author_of(li_account({{"author", "urn:li:organization:5"}})));
    const auto t = sys_days{year{2026} / 3 / 14} + hours{23} + minutes{59};
    CHECK(linkedin::next_utc_midnight(t) == sys_days{year{2026} / 3 / 15});

    net::HttpResponse r{429, {}, R"({"status":429,"serviceErrorCode":101,"message":"x"})"};
    auto limit = net::parse_linkedin_rate_limit(r, t);
    CHECK(limit.remaining == 0);
    CHECK(limit.reset == sys_seconds(sys_days{year{2026} / 3 / 15}));
    r.headers = {{"Retry-After", "120"}};
    CHECK(net::parse_linkedin_rate_limit(r, t).reset == sys_seconds(t + seconds(120)));
    r.status = 200;
    CHECK(net::parse_linkedin_rate_limit(r, t).empty());
}

TEST_CASE("linkedin: version refusals are recognised") {
    CHECK(linkedin::version_refused(net::HttpResponse{426, {}, "{}"}));
    CHECK(linkedin::version_refused(net::HttpResponse{
        400,
        {},
        R"({"status":400,"code":"VERSION_MISSING","message":"A version must be present"})"}));
    CHECK_FALSE(linkedin::version_refused(
        net::HttpResponse{400, {}, R"({"status":400,"message":"bad author"})"}));
}

TEST_CASE("linkedin: post body for text, article, one image and several") {
    calendar::WorkspaceConfig ws;
    const auto account = li_account({{"author", "urn:li:organization:5"}});
    test::ScriptedTransport http;
    test::MemoryCredentials creds;
    net::SystemClock clock;
    test::RecordingSleeper sleeper;
    AdapterContext ctx{ws, account, http, creds, clock, sleeper};
    auto made = make_linkedin_adapter(ctx);
    REQUIRE(made);
    auto& adapter = static_cast<linkedin::LinkedInAdapter&>(**made);
    PublishRequest req;
    req.part.text = "Voir (ici)";
    auto body = adapter.post_body(req, {});
    CHECK(body["author"] == "urn:li:organization:5");
    CHECK(body["commentary"] == "Voir \\(ici\\)");
    CHECK(body["lifecycleState"] == "PUBLISHED");
    CHECK(body["distribution"]["feedDistribution"] == "MAIN_FEED");
    CHECK_FALSE(body.contains("content"));
    req.part.link = "https://ex.example/a";
    CHECK(adapter.post_body(req, {})["content"]["article"]["source"] == "https://ex.example/a");
    body = adapter.post_body(req, {{"urn:li:image:1", "alt"}});
    CHECK(body["content"]["media"] == nlohmann::json{{"id", "urn:li:image:1"}, {"altText", "alt"}});
    body = adapter.post_body(req, {{"urn:li:image:1", "a"}, {"urn:li:image:2", ""}});
    CHECK(body["content"]["multiImage"]["images"].size() == 2);
    CHECK_FALSE(body["content"]["multiImage"]["images"][1].contains("altText"));
    CHECK(adapter.preview(req)["headers"]["X-Restli-Protocol-Version"] == "2.0.0");
    CHECK_FALSE(adapter.capabilities().threads);
}

TEST_CASE("linkedin: outcomes of POST /rest/posts (id headers, 5xx unknown, 422, 426, 429)") {
    calendar::WorkspaceConfig ws;
    const auto account = li_account({{"author", "urn:li:person:abc"}, {"api", "http://api.test"}});
    test::ScriptedTransport http;
    test::MemoryCredentials creds;
    creds.set("li", "token", "tok-secret-1");
    test::FixedClock clock(sys_days{year{2026} / 3 / 14} + hours{10});
    test::RecordingSleeper sleeper;
    AdapterContext ctx{ws, account, http, creds, clock, sleeper};
    PublishRequest req;
    req.part.text = "Bonjour";
    auto publish = [&] {
        auto made = make_linkedin_adapter(ctx);
        REQUIRE(made);
        return (*made)->publish(req);
    };

    http.answer(201, "", {{"X-LinkedIn-Id", "urn:li:ugcPost:9"}});
    auto r = publish();
    CHECK(r.outcome == Outcome::sent);
    CHECK(r.ref.id == "urn:li:ugcPost:9");
    CHECK(r.ref.url == "https://www.linkedin.com/feed/update/urn:li:ugcPost:9");
    const auto& sent = http.seen.back();
    CHECK(net::find_header(sent.headers, "LinkedIn-Version") ==
          std::string(linkedin::k_default_version));
    CHECK(net::find_header(sent.headers, "X-Restli-Protocol-Version") == "2.0.0");
    CHECK(sent.url == "http://api.test/rest/posts");

    http.answer(201, "", {{"x-restli-id", "urn:li:share:7"}});
    CHECK(publish().ref.id == "urn:li:share:7");

    http.answer(201, "");  // created, but no id: cannot tell which
    CHECK(publish().outcome == Outcome::unknown);

    http.answer(502, R"({"status":502,"message":"Bad Gateway"})");  // never retried: unknown
    CHECK(publish().outcome == Outcome::unknown);
    CHECK(http.answers.empty());

    http.answer(422,
                R"({"status":422,"code":"DUPLICATE_POST","message":"Content is a duplicate"})");
    r = publish();
    CHECK(r.outcome == Outcome::permanent_failure);
    CHECK(r.message.find("Content is a duplicate") != std::string::npos);

    http.answer(426, R"({"status":426,"message":"Requested version 202601 is not active"})");
    r = publish();
    CHECK(r.outcome == Outcome::permanent_failure);
    CHECK(r.hint.find("set `version:`") != std::string::npos);

    for (int i = 0; i < 3; ++i) {  // three attempts, then deferred to 00:00 UTC
        http.answer(429, R"({"status":429,"serviceErrorCode":101,"message":"throttled"})");
    }
    r = publish();
    CHECK(r.outcome == Outcome::rate_limited);
    CHECK(r.retry_at == sys_seconds(sys_days{year{2026} / 3 / 15}));
    CHECK(r.message.find("tok-secret-1") == std::string::npos);
    CHECK(http.answers.empty());
}
