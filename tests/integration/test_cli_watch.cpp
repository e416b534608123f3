// The built `cmtool watch` against fake_mastodon, fake_bluesky and loopback feed, webhook and
// SMTP servers: mentions appearing between runs, a burst that trips the spike rule once within
// its cooldown, ETag 304, a malformed feed, keyword alerts by e-mail, and `watch digest`.
#include <doctest/doctest.h>

#include <signal.h>

#include <map>

#include <nlohmann/json.hpp>
#include <thread>

#include "../support/bluesky_post.hpp"
#include "../support/loopback_servers.hpp"
#include "../support/publish_sandbox.hpp"
#include "../unit/test_support.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

std::string workspace(const std::string& watch, const std::string& lang = "en") {
    return R"(version: 1
brand: Atelier Test
timezone: Europe/Paris
lang: )" + lang +
           R"(
accounts:
  masto: {platform: mastodon, instance: https://mastodon.example}
  bsky:  {platform: bluesky, handle: alice.test}
watch:
)" + watch;
}

std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        end = end == std::string::npos ? out.size() : end;
        const auto j = json::parse(out.substr(start, end - start), nullptr, false);
        if (j.is_object()) {
            lines.push_back(j);
        }
        start = end + 1;
    }
    return lines;
}

std::size_t count_lines(const std::string& out, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

void mention(test::FakeMastodon& m, const std::string& text, const std::string& from) {
    m.admin("POST", "/__admin/mention", {{"to", "alice"}, {"from", from}, {"text", text}});
}

constexpr const char* k_rss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News</title>
<item><title>GreenCart l&#232;ve 10 millions</title><link>https://news.example/a</link>
<guid>https://news.example/a</guid><pubDate>Sat, 21 Nov 2026 09:00:00 +0100</pubDate>
<description><![CDATA[<p>La start-up <b>GreenCart</b> annonce une levée de fonds.</p>]]></description>
<dc:creator>Jeanne</dc:creator></item>
<item><title>Météo du week-end</title><link>https://news.example/b</link>
<guid>https://news.example/b</guid><description>Rien sur les marques</description></item>
<item><title>GreenCart : les livreurs dénoncent une arnaque</title>
<link>https://news.example/c</link><guid>https://news.example/c</guid></item>
</channel></rss>
)";

}  // namespace

TEST_CASE("watch: Mastodon mentions between runs, a spike alert fired once then updated") {
    test::PublishSandbox sb("watch-masto");
    test::LoopbackHttp hooks;
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    brand: {terms: 'atelier "atelier test"', sources: [masto-mentions]}
  sources:
    masto-mentions: {type: mastodon_mentions, account: masto}
  rules:
    spike: {type: spike, window: 1h, baseline: 24, min_count: 5, z: 3, ratio: 3, cooldown: 6h}
  channels:
    console: {type: stdout}
    slack: {type: webhook, url: )" + hooks.url("/hook") +
                                             R"(, format: slack}
)"));
    auto first = sb.run({"watch", "--once"});
    CHECK_MESSAGE(first.exit_code == 0, first.err);
    CHECK(first.out.empty());

    mention(sb.masto, "@alice merci, la lampe est magnifique !", "fan@remote.example");
    mention(sb.masto, "@alice livraison en retard, toujours rien reçu", "client@remote.example");
    auto second = sb.run({"watch", "--once", "--explain"});
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(count_lines(second.out, "mastodon") == 2);
    CHECK(second.out.find("positive") != std::string::npos);
    CHECK(second.out.find("negative") != std::string::npos);
    CHECK(second.out.find("magnifique") != std::string::npos);  // --explain lists the word

    auto third = sb.run({"watch", "--once"});
    CHECK_MESSAGE(third.exit_code == 0, third.err);
    CHECK(third.out.empty());  // nothing new: stored once, the cursor moved on

    for (int i = 0; i < 5; ++i) {
        mention(sb.masto, "@alice c'est quoi ce bazar #" + std::to_string(i),
                "angry" + std::to_string(i) + "@remote.example");
    }
    auto burst = sb.run({"watch", "--once"});
    CHECK_MESSAGE(burst.exit_code == 3, burst.err);
    const auto alerts = json_lines(burst.out);
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0]["alert"] == "new");
    CHECK(alerts[0]["rule"] == "spike");
    CHECK(alerts[0]["figures"]["count"] == 7);
    CHECK(alerts[0]["top"].size() == 5);
    auto slack = hooks.received("/hook");
    REQUIRE(slack.size() == 1);
    const auto payload = json::parse(slack[0]);
    CHECK(payload["text"].get<std::string>().find("Mention spike") != std::string::npos);
    CHECK(payload["blocks"].is_array());

    mention(sb.masto, "@alice encore un souci", "late@remote.example");
    auto update = sb.run({"watch", "--once"});
    CHECK_MESSAGE(update.exit_code == 0, update.err);  // an update, not a new alert
    const auto updates = json_lines(update.out);
    REQUIRE(updates.size() == 1);
    CHECK(updates[0]["alert"] == "update");
    CHECK(updates[0]["figures"]["count"] == 8);
    slack = hooks.received("/hook");
    REQUIRE(slack.size() == 2);
    CHECK(json::parse(slack[1])["text"].get<std::string>().starts_with("[update]"));

    auto quiet = sb.run({"watch", "--once"});
    CHECK(quiet.exit_code == 0);
    CHECK(json_lines(quiet.out).empty());  // the same storm says nothing new
    CHECK(hooks.received("/hook").size() == 2);

    auto digest = sb.run(
        {"watch", "digest", "--since", "24h", "--format", "json", "--explain", "--top", "10"});
    REQUIRE_MESSAGE(digest.exit_code == 0, digest.err);
    const auto d = json::parse(digest.out);
    bool explained = false;
    for (const auto& m : d["queries"][0]["top"]) {
        for (const auto& c : m["explain"]) {
            explained = explained || c["token"] == "magnifique";
        }
    }
    CHECK(explained);
    CHECK(d["queries"][0]["total"] == 8);
    REQUIRE(d["alerts"].size() == 1);
    CHECK(d["alerts"][0]["updates"] == 1);
}

TEST_CASE("watch: a webhook answering 503 is retried, Retry-After honoured") {
    test::PublishSandbox sb("watch-hook-retry");
    test::LoopbackHttp hooks;
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    brand: {terms: atelier, sources: [masto-mentions]}
  sources:
    masto-mentions: {type: mastodon_mentions, account: masto}
  rules:
    words: {type: keyword, words: [arnaque, boycott], cooldown: 1h}
  channels:
    hook: {type: webhook, format: discord}
)"));
    // The URL (a secret for Slack and Discord) comes from the environment.
    auto env = sb.env();
    env.push_back("CMTOOL_HOOK_WEBHOOK_URL=" + hooks.url("/discord"));
    const auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"-C", sb.root().string()});
        return test::run_cmtool(args, {}, env);
    };
    hooks.fail_webhooks(503, 1);
    mention(sb.masto, "@alice c'est une ARNAQUE, boycott !", "x@remote.example");
    auto r = run({"watch", "--once", "--format", "json"});
    CHECK_MESSAGE(r.exit_code == 3, r.err);
    const auto report = json::parse(r.out);
    REQUIRE(report["alerts"].size() == 1);
    CHECK(report["alerts"][0]["delivered"]["hook"] == "ok");
    CHECK(report["alerts"][0]["figures"]["words"].size() == 2);
    const auto got = hooks.received("/discord");
    REQUIRE(got.size() == 1);
    const auto body = json::parse(got[0]);
    CHECK(body["content"].is_string());
    CHECK(body["embeds"][0]["description"].get<std::string>().find("ARNAQUE") != std::string::npos);

    // A webhook that keeps failing: reported per channel, the URL (a secret) never shown.
    hooks.fail_webhooks(500, 10);
    mention(sb.masto, "@alice boycott de cette arnaque", "y@remote.example");
    auto failed = run({"watch", "--once", "--format", "json"});
    CHECK_MESSAGE(failed.exit_code == 1, failed.err);  // an update, but it was not delivered
    const auto failed_report = json::parse(failed.out);
    REQUIRE(failed_report["alerts"].size() == 1);
    CHECK(failed_report["alerts"][0]["alert"] == "update");
    CHECK(failed_report["alerts"][0]["delivered"]["hook"] == "webhook hook: HTTP 500");
    CHECK(failed.err.find("not delivered to hook") != std::string::npos);
    CHECK(failed.out.find("/discord") == std::string::npos);
    CHECK(failed.err.find("/discord") == std::string::npos);

    mention(sb.masto, "@alice encore une arnaque", "z@remote.example");
    auto no_url = sb.run({"watch", "--once", "--format", "json"});  // without the variable
    CHECK(no_url.exit_code == 1);
    const auto no_url_report = json::parse(no_url.out);
    REQUIRE(no_url_report["alerts"].size() == 1);
    CHECK(no_url_report["alerts"][0]["delivered"]["hook"] ==
          "webhook hook: no URL: set CMTOOL_HOOK_WEBHOOK_URL");
}

TEST_CASE("watch: RSS feed with ETag 304, a malformed feed fails alone, keyword e-mail") {
    test::PublishSandbox sb("watch-feed");
    test::LoopbackHttp web;
    test::SmtpServer smtp;
    web.serve("/news.xml", k_rss, "\"v1\"");
    web.serve("/broken.xml", "<rss><channel><item><title>GreenCart</title></channel></rss>",
              "\"b1\"");
    sb.dir.write(
        "ws/cmtool.yaml", workspace(R"(  queries:
    greencart: {terms: 'greencart "green cart" -recrute', sources: [news, broken]}
  sources:
    news: {type: feed, url: )" + web.url("/news.xml") +
                                        R"(}
    broken: {type: feed, url: )" + web.url("/broken.xml") +
                                        R"(}
  rules:
    scam: {type: keyword, words: [arnaque], cooldown: 1h, channels: [mail]}
  channels:
    mail: {type: email, smtp: ')" + smtp.url() +
                                        R"(', from: veille@atelier.test, to: [cm@atelier.test]}
)",
                                    "fr"));
    auto r = sb.run({"watch", "--once"});
    CHECK_MESSAGE(r.exit_code == 3, r.err);  // an alert fired, which outranks the failed source
    CHECK(count_lines(r.out, "https://news.example/") == 2);
    CHECK(r.out.find("news.example/b") == std::string::npos);  // does not match the query
    CHECK(r.err.find("line 1, column") != std::string::npos);
    CHECK(r.err.find("</channel> closes <item>") != std::string::npos);
    CHECK(r.err.find("next try") != std::string::npos);  // the failed source waits

    const auto mails = smtp.mails();
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].from == "veille@atelier.test");
    CHECK(mails[0].to == std::vector<std::string>{"cm@atelier.test"});
    CHECK(mails[0].data.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(mails[0].data.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
    CHECK(mails[0].data.find("Mentions principales") != std::string::npos);
    CHECK(mails[0].data.find("https://news.example/c") != std::string::npos);

    auto again = sb.run({"watch", "--once"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);  // 304, and `broken` is backing off
    CHECK(again.out.empty());
    bool conditional = false;
    for (const auto& h : web.hits()) {
        conditional = conditional ||
                      (h.path == "/news.xml" && h.status == 304 && h.if_none_match == "\"v1\"");
    }
    CHECK(conditional);
    CHECK(again.err.find("backing off") != std::string::npos);
}

TEST_CASE("watch: Bluesky mention notifications and searchPosts, each post stored once") {
    test::PublishSandbox sb("watch-bsky");
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    brand: {terms: atelier, sources: [bsky-mentions, bsky-search]}
  sources:
    bsky-mentions: {type: bluesky_mentions, account: bsky}
    bsky-search: {type: bluesky_search, account: bsky}
)"));
    const std::string alice_did = sb.bsky.account("alice.test")["did"].get<std::string>();
    test::post_mention(sb.bsky.url(), "bob.test", test::k_bob_app_password, "alice.test", alice_did,
                       "service client nul, je suis furieux");
    test::post_mention(sb.bsky.url(), "bob.test", test::k_bob_app_password, "alice.test", alice_did,
                       "votre atelier est génial, merci !");
    auto r = sb.run({"watch", "--once", "--format", "json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto report = json::parse(r.out);
    REQUIRE(report["mentions"].size() == 2);  // the second was both notified and searched
    std::map<std::string, std::string> tone;
    for (const auto& m : report["mentions"]) {
        CHECK(m["platform"] == "bluesky");
        CHECK(m["author"] == "bob.test");
        tone[m["text"].get<std::string>()] = m["sentiment"].get<std::string>();
    }
    CHECK(tone["@alice.test service client nul, je suis furieux"] == "negative");
    CHECK(tone["@alice.test votre atelier est génial, merci !"] == "positive");
    REQUIRE(report["sources"].size() == 2);
    CHECK(report["sources"][1]["source"] == "bsky-search/brand");
    CHECK(report["sources"][1]["fetched"] == 1);
    auto again = sb.run({"watch", "--once", "--format", "json"});
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(json::parse(again.out)["mentions"].empty());
}

TEST_CASE("watch: usage and configuration errors") {
    test::PublishSandbox sb("watch-usage");
    auto none = sb.run({"watch", "--once"});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("no watch queries") != std::string::npos);
    auto both = sb.run({"watch", "--once", "--follow"});
    CHECK(both.exit_code == 2);
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    brand: {terms: atelier, sources: [masto-mentoins]}
  sources:
    masto-mentions: {type: mastodon_mentions, account: masto, max_page: 3}
)"));
    auto invalid = sb.run({"plan", "validate"});
    CHECK(invalid.exit_code != 0);
    const std::string said = invalid.out + invalid.err;
    CHECK(said.find("did you mean `masto-mentions`") != std::string::npos);
    CHECK(said.find("did you mean `max_pages`") != std::string::npos);
    CHECK(said.find("cmtool.yaml:12:") != std::string::npos);
}

TEST_CASE("watch: a failing source exits 1, then backs off without blocking the others") {
    test::PublishSandbox sb("watch-fail");
    test::LoopbackHttp web;
    web.serve("/ok.xml", k_rss, "");
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    greencart: {terms: greencart, sources: [gone, ok]}
  sources:
    gone: {type: feed, url: )" + web.url("/missing.xml") +
                                             R"(}
    ok: {type: feed, url: )" + web.url("/ok.xml") +
                                             R"(}
)"));
    auto r = sb.run({"watch", "--once", "--format", "json"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    const auto report = json::parse(r.out);
    CHECK(report["mentions"].size() == 2);  // the working feed was read and stored
    CHECK(report["sources"][0]["status"] == "failed");
    CHECK(report["sources"][0]["error"].get<std::string>().find("HTTP 404") != std::string::npos);
    auto again = sb.run({"watch", "--once", "--format", "json"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    CHECK(json::parse(again.out)["sources"][0]["status"] == "backing off");
    std::size_t tries = 0;
    for (const auto& h : web.hits()) {
        tries += h.path == "/missing.xml" ? 1U : 0U;
    }
    CHECK(tries == 1);  // not asked again before next_try_at
}

TEST_CASE("watch: Mastodon tag timeline and search find one status, stored once") {
    test::PublishSandbox sb("watch-masto-tag");
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    lamps: {terms: 'lampe #atelier', sources: [masto-tag, masto-search]}
  sources:
    masto-tag: {type: mastodon_tag, account: masto, tag: atelier}
    masto-search: {type: mastodon_search, account: masto}
)"));
    auto post = sb.masto.request("POST", "/api/v1/statuses", test::k_bob_token);
    net::set_form_body(post, {{"status", "Ma nouvelle lampe #atelier est magnifique !"}});
    auto posted = sb.masto.api.send(post);
    REQUIRE(posted.has_value());
    REQUIRE_MESSAGE(posted->status == 200, posted->body);
    auto r = sb.run({"watch", "--once", "--format", "json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto report = json::parse(r.out);
    REQUIRE(report["mentions"].size() == 1);  // both sources saw it; one row
    CHECK(report["mentions"][0]["sentiment"] == "positive");
    std::size_t fetched = 0;
    for (const auto& s : report["sources"]) {
        fetched += s["fetched"].get<std::size_t>();
        CHECK(s["status"] == "ok");
    }
    CHECK(fetched == 2);
    CHECK(report["sources"][1]["source"] == "masto-search/lamps");
}

TEST_CASE("watch --follow: SIGTERM lets the step finish, then exits 130") {
    test::PublishSandbox sb("watch-follow");
    test::LoopbackHttp web;
    web.serve("/news.xml", k_rss, "\"v1\"");
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    greencart: {terms: greencart, sources: [news]}
  sources:
    news: {type: feed, url: )" + web.url("/news.xml") +
                                             R"(}
)"));
    auto proc = sb.start({"watch", "--follow", "--interval", "1m"}, "follow");
    REQUIRE(test::wait_until([&] { return !web.hits().empty(); }, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // stored, now sleeping
    CHECK(proc->running());
    ::kill(proc->pid(), SIGTERM);
    const auto done = proc->wait(std::chrono::seconds(10));
    CHECK(done.exit_code == 130);
    CHECK(done.err.find("stopped") != std::string::npos);
    CHECK(count_lines(done.out, "https://news.example/") == 2);
    auto digest = sb.run({"watch", "digest", "--format", "json"});
    REQUIRE(digest.exit_code == 0);
    CHECK(json::parse(digest.out)["queries"][0]["total"] == 2);
}

TEST_CASE("watch: a 429 waits for the announced reset, longer than the backoff") {
    test::PublishSandbox sb("watch-429");
    sb.dir.write("ws/cmtool.yaml", workspace(R"(  queries:
    brand: {terms: atelier, sources: [masto-mentions]}
  sources:
    masto-mentions: {type: mastodon_mentions, account: masto}
)"));
    sb.masto.arm({{"path", "/api/v1/notifications"}, {"mode", "429"}, {"retry_after", 7200}});
    auto r = sb.run({"watch", "--once", "--format", "json", "--now", "2026-11-22T10:00:00Z"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    const auto src = json::parse(r.out)["sources"][0];
    CHECK(src["status"] == "failed");
    CHECK(src["error"].get<std::string>().find("HTTP 429") != std::string::npos);
    // Retry-After is relative to the real clock; the backoff alone would say 10:10.
    CHECK(src["next_try_at"].get<std::string>() > "2026-11-22T11:00:00Z");
}

TEST_CASE(
    "watch: the example workspace's sample mentions trip its rules; the digest in French "
    "and English") {
    test::TempDir tmp("watch-example");
    const auto ws = tmp.path() / "workspace";
    std::filesystem::copy(CMTOOL_EXAMPLES, ws, std::filesystem::copy_options::recursive);
    const std::string now = "2026-11-25T18:00:00+01:00";
    auto run = test::run_cmtool({"-C", ws.string(), "watch", "--once", "--now", now});
    CHECK_MESSAGE(run.exit_code == 3, run.err);  // a new alert: act on it
    const auto alerts = json_lines(run.out);
    std::map<std::string, json> by_rule;
    for (const auto& a : alerts) {
        by_rule[a["rule"].get<std::string>()] = a;
    }
    REQUIRE(by_rule.size() == 3);
    CHECK(by_rule["spike"]["figures"]["count"] == 14);
    CHECK(by_rule["spike"]["title"] == "Pic de mentions pour « atelier »");
    CHECK(by_rule["spike"]["top"][0]["reposts"] == 3);  // the complaint and its two reposts
    CHECK(by_rule["negative"]["figures"]["negative"].get<int>() >= 10);
    CHECK(by_rule["scam"]["figures"]["words"] == json::array({"arnaque"}));
    CHECK(run.err.find("42 new") != std::string::npos);

    auto again = test::run_cmtool({"-C", ws.string(), "watch", "--once", "--now", now});
    CHECK(again.exit_code == 0);  // nothing new: no mention stored twice, no second alert
    CHECK(json_lines(again.out).empty());

    auto fr =
        test::run_cmtool({"-C", ws.string(), "watch", "digest", "--since", "24h", "--now", now});
    REQUIRE_MESSAGE(fr.exit_code == 0, fr.err);
    CHECK(fr.out.find("Mentions du mar. 24 nov. 18:00 au mer. 25 nov. 18:00 (Europe/Paris)") !=
          std::string::npos);
    CHECK(fr.out.find("atelier : 18 mentions : 61\u00a0% négatives") != std::string::npos);
    CHECK(fr.out.find("  négatif  -0.76  @claire (x3)") != std::string::npos);
    CHECK(fr.out.find("Alertes :\n  mer. 25 nov. 18:00  règle spike sur « atelier »") !=
          std::string::npos);

    auto yaml = util::read_file(ws / "cmtool.yaml");
    REQUIRE(yaml);
    REQUIRE(util::write_file_atomic(ws / "cmtool.yaml",
                                    util::replace_all(*yaml, "\nlang: fr ", "\nlang: en ")));
    auto en =
        test::run_cmtool({"-C", ws.string(), "watch", "digest", "--since", "24h", "--now", now});
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    CHECK(en.out.find("Mentions from Tue 24 Nov 18:00 to Wed 25 Nov 18:00 (Europe/Paris)") !=
          std::string::npos);
    CHECK(en.out.find("atelier: 18 mentions: 61% negative") != std::string::npos);
    CHECK(en.out.find("Alerts:\n  Wed 25 Nov 18:00  rule spike on \"atelier\"") !=
          std::string::npos);
}
