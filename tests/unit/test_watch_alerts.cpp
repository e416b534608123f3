#include <doctest/doctest.h>

#include "cmtool/watch/alerts.hpp"
#include "cmtool/watch/channels.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::watch;

namespace {

const Seconds k_now{std::chrono::seconds{1'800'000'000}};

store::Mention at(int i, Seconds t, const std::string& sentiment = "neutral",
                  const std::string& text = "") {
    store::Mention m;
    m.source = "s";
    m.query = "brand";
    m.platform = "file";
    m.remote_uri = "uri-" + std::to_string(i);
    m.url = "https://x.example/" + std::to_string(i);
    m.text = text.empty() ? "mention " + std::to_string(i) : text;
    m.published_at = t;
    m.sentiment = sentiment;
    m.group_key = store::repost_group_key(m.text);
    return m;
}

struct Fixture {
    test::TempDir tmp{"alerts"};
    store::Store store = [this] { return std::move(*store::Store::open(tmp.path())); }();
    store::MentionStore ms{store};
    calendar::WatchConfig config;
    int next = 0;

    void add(int n, Seconds t, const std::string& sentiment = "neutral") {
        std::vector<store::Mention> v;
        for (int i = 0; i < n; ++i) {
            v.push_back(at(next++, t, sentiment));
        }
        REQUIRE(ms.save_all(v, std::chrono::minutes(1)).has_value());
    }

    std::vector<Alert> run(Seconds now, const std::vector<store::Mention>& fresh = {}) {
        auto alerts = evaluate_alerts(config, ms, now, fresh, "en");
        REQUIRE(alerts.has_value());
        for (auto& a : *alerts) {
            REQUIRE(record_alert(ms, a, nlohmann::json::object()).has_value());
        }
        return *alerts;
    }
};

}  // namespace

TEST_CASE("alerts: spike figures against the baseline") {
    const auto s = spike_figures(10, {2, 2, 4, 4});
    CHECK(s.mean == doctest::Approx(3.0));
    CHECK(s.stddev == doctest::Approx(1.0));
    CHECK(s.z == doctest::Approx(7.0));
    CHECK(s.ratio == doctest::Approx(10.0 / 3.0));
    const auto silent = spike_figures(3, std::vector<std::int64_t>(24, 0));
    CHECK(silent.z == doctest::Approx(3.0));  // stddev floored at 1
    CHECK(silent.ratio == doctest::Approx(3.0));
}

TEST_CASE("alerts: a spike fires once within its cooldown, then updates with new evidence") {
    Fixture f;
    calendar::WatchQueryConfig q;
    q.name = "brand";
    f.config.queries.push_back(q);
    calendar::WatchRuleConfig r;
    r.name = "spike";
    r.min_count = 5;
    r.cooldown = std::chrono::minutes(120);
    f.config.rules.push_back(r);
    for (int h = 2; h <= 24; h += 2) {
        f.add(1, k_now - std::chrono::hours(h) - std::chrono::minutes(30));
    }
    f.add(4, k_now - std::chrono::minutes(10));
    CHECK(f.run(k_now).empty());  // 4 < min_count
    f.add(4, k_now - std::chrono::minutes(5));
    auto fired = f.run(k_now);
    REQUIRE(fired.size() == 1);
    CHECK_FALSE(fired[0].update);
    CHECK(fired[0].figures["count"] == 8);
    CHECK(fired[0].top.size() == 5);
    CHECK(f.run(k_now + std::chrono::minutes(1)).empty());  // nothing new
    f.add(3, k_now + std::chrono::minutes(2));
    auto update = f.run(k_now + std::chrono::minutes(3));
    REQUIRE(update.size() == 1);
    CHECK(update[0].update);
    CHECK(update[0].updates == 1);
    CHECK(update[0].fired_at == k_now);
    // Long after the storm, a new burst is a new alert.
    const Seconds later = k_now + std::chrono::hours(30);
    f.add(9, later - std::chrono::minutes(1));
    auto again = f.run(later);
    REQUIRE(again.size() == 1);
    CHECK_FALSE(again[0].update);
}

TEST_CASE("alerts: negative share and keywords") {
    Fixture f;
    calendar::WatchQueryConfig q;
    q.name = "brand";
    f.config.queries.push_back(q);
    calendar::WatchRuleConfig neg;
    neg.name = "neg";
    neg.type = calendar::WatchRuleType::negative_share;
    neg.min_count = 4;
    neg.threshold = 0.5;
    f.config.rules.push_back(neg);
    calendar::WatchRuleConfig kw;
    kw.name = "kw";
    kw.type = calendar::WatchRuleType::keyword;
    kw.words = {"arnaque", "boycott"};
    f.config.rules.push_back(kw);
    f.add(2, k_now - std::chrono::minutes(5), "negative");
    f.add(3, k_now - std::chrono::minutes(5), "positive");
    CHECK(f.run(k_now).empty());  // 40 % negative
    f.add(2, k_now - std::chrono::minutes(1), "negative");
    const std::vector<store::Mention> fresh = {at(100, k_now, "negative", "C'est une ARNAQUE"),
                                               at(101, k_now, "neutral", "rien à voir")};
    auto alerts = f.run(k_now, fresh);
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0].type == "negative_share");
    CHECK(alerts[0].figures["share"].get<double>() == doctest::Approx(4.0 / 7.0));
    CHECK(alerts[0].top.front().sentiment == "negative");
    CHECK(alerts[1].type == "keyword");
    CHECK(alerts[1].figures["matches"] == 1);
    CHECK(alerts[1].top.size() == 1);
}

TEST_CASE("alert channels: payload shapes and the e-mail message") {
    Alert a;
    a.rule = "spike";
    a.type = "spike";
    a.query = "brand";
    a.title = "Pic de mentions pour « brand »";
    a.summary = "12 mentions in 1h";
    a.figures = {{"count", 12}};
    a.top.push_back(at(1, k_now, "negative", "Livraison ratée, franchement déçu"));
    const auto slack = webhook_payload(a, calendar::WebhookFormat::slack);
    CHECK(slack["text"].get<std::string>().find("12 mentions") != std::string::npos);
    CHECK(slack["blocks"].size() == 3);
    const auto discord = webhook_payload(a, calendar::WebhookFormat::discord);
    CHECK(discord["embeds"][0]["title"] == a.title);
    CHECK(webhook_payload(a, calendar::WebhookFormat::json)["rule"] == "spike");

    CHECK(encode_header_word("plain") == "plain");
    CHECK(encode_header_word("é") == "=?UTF-8?B?w6k=?=");
    calendar::WatchChannelConfig c;
    c.from = "veille@atelier.test";
    c.to = {"a@x.test", "b@x.test"};
    const std::string msg = email_message(a, c, "fr", k_now);
    CHECK(msg.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(msg.find("To: a@x.test, b@x.test\r\n") != std::string::npos);
    CHECK(msg.find("Date: ") != std::string::npos);
    CHECK(msg.find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
    CHECK(msg.find("Livraison rat=C3=A9e") != std::string::npos);
    CHECK(msg.find("Mentions principales") != std::string::npos);
    CHECK(msg.find("\n.") == std::string::npos);  // no line starts with a dot
}
