// The built `cmtool publish` end to end against fake_mastodon and fake_bluesky: what reaches
// each platform (exactly once, threads chained, alt text, facets), what a second run, a dry run,
// `--format json`, `--post`/`--channel`, max_late and `--catch-up`, an edit after sending and
// `publish status` do.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "../support/publish_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

constexpr const char* k_now = "2026-11-23T10:00:00+01:00";
constexpr const char* k_alt = "Lampe en laiton sur une table en chêne";
const std::string k_lamp_text =
    "Notre nouvelle lampe en laiton #atelier\n\nhttps://atelier.example/laiton";
const std::string k_masto_thanks = "Merci @bob pour les photos ! #coulisses";
const std::string k_bsky_thanks = "Merci @bob.test pour les photos ! #coulisses";

constexpr const char* k_calendar = R"(posts:
  - id: lampe
    at: 2026-11-23 09:00
    channels: [masto, bsky]
    text: "Notre nouvelle lampe en laiton #atelier"
    link: https://atelier.example/laiton
    media:
      - {file: media/lampe-laiton.jpg, alt: "Lampe en laiton sur une table en chêne"}
    thread:
      - "Tournée à la main à Lyon."
      - "Disponible dès lundi."
  - id: merci
    at: 2026-11-23 09:30
    channels: [masto, bsky]
    text: "Merci @bob.test pour les photos ! #coulisses"
    variants:
      masto: {text: "Merci @bob pour les photos ! #coulisses"}
  - id: plus-tard
    at: 2026-11-23 12:00
    channels: [masto, bsky]
    text: "Cet après-midi à l'atelier."
)";

// The delivery of `id` to `channel` in a `publish --format json` (or `publish status --format
// json`) document.
json delivery(const json& doc, const std::string& id, const std::string& channel) {
    for (const auto& d : doc["deliveries"]) {
        if (d["id"] == id && d["channel"] == channel) {
            return d;
        }
    }
    FAIL("no delivery " << id << " → " << channel << " in " << doc.dump());
    return {};
}

// The one status (or record) with this text; fails the test unless there is exactly one.
json only_status(test::PublishSandbox& s, const std::string& text) {
    json found;
    for (const auto& st : s.statuses()) {
        if (st["text"] == text) {
            CHECK_MESSAGE(found.is_null(), "two statuses with " << text);
            found = st;
        }
    }
    REQUIRE_MESSAGE(!found.is_null(), "no status with " << text);
    return found;
}

json only_record(test::PublishSandbox& s, const std::string& text) {
    const auto records = s.bsky.records_with_text(text);
    REQUIRE_MESSAGE(records.size() == 1, records.size() << " records with " << text);
    return records.front();
}

std::vector<std::string> facet_types(const json& record) {
    std::vector<std::string> types;
    for (const auto& f : record.value("facets", json::array())) {
        for (const auto& feature : f["features"]) {
            types.push_back(feature["$type"].get<std::string>());
        }
    }
    return types;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_SUITE("cli publish") {
    TEST_CASE("dry run: the requests as they would be sent, nothing sent, no secret printed") {
        test::PublishSandbox s("publish-dry");
        s.write_calendar(k_calendar);
        const auto text = s.run({"publish", "--now", k_now, "--dry-run"});
        CHECK_MESSAGE(text.exit_code == 0, text.err);
        CHECK(text.out.find("would     lampe → masto") != std::string::npos);
        CHECK(text.out.find(k_alt) != std::string::npos);
        CHECK(text.out.find("app.bsky.richtext.facet#mention") != std::string::npos);
        const auto run = s.run({"publish", "--now", k_now, "--dry-run", "--format", "json"});
        REQUIRE_MESSAGE(run.exit_code == 0, run.err);
        for (const auto* out : {&text.out, &text.err, &run.out, &run.err}) {
            CHECK(out->find(test::k_alice_token) == std::string::npos);
            CHECK(out->find(test::k_alice_app_password) == std::string::npos);
        }
        const json doc = json::parse(run.out);
        CHECK(doc["dry_run"] == true);
        CHECK(doc["deliveries"].size() == 4);  // plus-tard is not due yet
        const json masto = delivery(doc, "lampe", "masto")["parts"];
        REQUIRE(masto.size() == 3);
        CHECK(masto[0]["request"]["json"]["status"] == k_lamp_text);
        CHECK(masto[0]["request"]["media"][0]["alt"] == k_alt);
        CHECK(masto[1]["request"]["json"].contains("in_reply_to_id"));
        const json bsky = delivery(doc, "lampe", "bsky")["parts"];
        REQUIRE(bsky.size() == 3);
        const json record = bsky[0]["request"]["body"]["record"];
        CHECK(record["embed"]["images"][0]["alt"] == k_alt);
        CHECK(contains(facet_types(record), "app.bsky.richtext.facet#link"));
        CHECK(contains(facet_types(record), "app.bsky.richtext.facet#tag"));
        const json thanks = delivery(doc, "merci", "bsky")["parts"][0]["request"]["body"]["record"];
        CHECK(contains(facet_types(thanks), "app.bsky.richtext.facet#mention"));
        CHECK(s.masto_requests() == 0);
        CHECK(s.bsky_requests() == 0);
        CHECK_FALSE(std::filesystem::exists(s.root() / ".cmtool" / "state.db"));
    }

    TEST_CASE("each post once on each platform; a second run sends nothing; status; an edit") {
        test::PublishSandbox s("publish-e2e");
        s.write_calendar(k_calendar);
        const auto run = s.run({"publish", "--now", k_now, "--format", "json"});
        REQUIRE_MESSAGE(run.exit_code == 0, run.out << run.err);
        const json doc = json::parse(run.out);
        REQUIRE(doc["deliveries"].size() == 4);
        for (const auto& d : doc["deliveries"]) {
            CHECK_MESSAGE(d["outcome"] == "sent", d.dump());
            CHECK(d["parts_sent"] == d["parts_total"]);
            CHECK(d["remote_id"].is_string());
            CHECK(d["url"].is_string());
        }

        // Mastodon: the thread chained by in_reply_to_id, the image with its description.
        const json m0 = only_status(s, k_lamp_text);
        const json m1 = only_status(s, "Tournée à la main à Lyon.");
        const json m2 = only_status(s, "Disponible dès lundi.");
        CHECK(m0["in_reply_to_id"].is_null());
        CHECK(m1["in_reply_to_id"] == m0["id"]);
        CHECK(m2["in_reply_to_id"] == m1["id"]);
        REQUIRE(m0["media_attachments"].size() == 1);
        CHECK(m0["media_attachments"][0]["description"] == k_alt);
        CHECK(m0["tags"][0]["name"] == "atelier");
        CHECK(delivery(doc, "lampe", "masto")["remote_id"] == m0["id"]);
        const json thanks = only_status(s, k_masto_thanks);
        CHECK(thanks["mentions"][0]["acct"] == "bob");
        CHECK(s.statuses().size() == 4);

        // Bluesky: reply refs to the parent and the root, alt text, facets resolved.
        const json b0 = only_record(s, k_lamp_text);
        const json b1 = only_record(s, "Tournée à la main à Lyon.");
        const json b2 = only_record(s, "Disponible dès lundi.");
        CHECK_FALSE(b0["value"].contains("reply"));
        CHECK(b1["value"]["reply"]["parent"]["uri"] == b0["uri"]);
        CHECK(b1["value"]["reply"]["root"]["uri"] == b0["uri"]);
        CHECK(b2["value"]["reply"]["parent"]["uri"] == b1["uri"]);
        CHECK(b2["value"]["reply"]["root"]["uri"] == b0["uri"]);
        CHECK(b0["value"]["embed"]["images"][0]["alt"] == k_alt);
        const json b_thanks = only_record(s, k_bsky_thanks);
        bool mention = false;
        for (const auto& f : b_thanks["value"]["facets"]) {
            mention = mention || f["features"][0].value("did", "") ==
                                     s.bsky.account("bob.test")["did"].get<std::string>();
        }
        CHECK(mention);
        CHECK(s.bsky.records().size() == 4);

        // Again: nothing is sent, nothing is even asked.
        const long masto_before = s.masto_requests();
        const long bsky_before = s.bsky_requests();
        const auto again = s.run({"publish", "--now", k_now});
        CHECK_MESSAGE(again.exit_code == 0, again.err);
        CHECK(again.err.find("4 already sent") != std::string::npos);
        CHECK(s.masto_requests() == masto_before);
        CHECK(s.bsky_requests() == bsky_before);

        const auto status = s.run({"publish", "status", "--now", k_now, "--format", "json"});
        REQUIRE_MESSAGE(status.exit_code == 0, status.err);
        const json rows = json::parse(status.out);
        CHECK(delivery(rows, "lampe", "masto")["state"] == "sent");
        CHECK(delivery(rows, "lampe", "masto")["detail"] == delivery(doc, "lampe", "masto")["url"]);
        CHECK(delivery(rows, "merci", "bsky")["detail"] == delivery(doc, "merci", "bsky")["url"]);
        CHECK(delivery(rows, "plus-tard", "bsky")["state"] == "pending");
        const auto table = s.run({"publish", "status", "--now", k_now});
        CHECK(table.out.find("sent     " +
                             delivery(doc, "lampe", "masto")["url"].get<std::string>()) !=
              std::string::npos);

        // An edit after sending is reported, never sent.
        std::string edited = k_calendar;
        edited.replace(edited.find("Merci @bob.test"), 15, "Un grand merci @bob.test");
        s.write_calendar(edited);
        const auto after = s.run({"publish", "--now", k_now, "--format", "json"});
        REQUIRE_MESSAGE(after.exit_code == 0, after.err);
        const json bsky_after = delivery(json::parse(after.out), "merci", "bsky");
        CHECK(bsky_after["outcome"] == "already_sent");
        CHECK(bsky_after["changed_since_sent"] == true);
        CHECK(delivery(json::parse(after.out), "merci", "masto")["changed_since_sent"] == false);
        CHECK(s.bsky.records().size() == 4);
        CHECK(s.statuses().size() == 4);
    }

    TEST_CASE("--post and --channel narrow what is sent") {
        test::PublishSandbox s("publish-narrow");
        s.write_calendar(k_calendar);
        const auto one = s.run({"publish", "--now", k_now, "--post", "merci", "--channel", "bsky",
                                "--format", "json"});
        REQUIRE_MESSAGE(one.exit_code == 0, one.err);
        CHECK(json::parse(one.out)["deliveries"].size() == 1);
        CHECK(s.bsky.records().size() == 1);
        CHECK(s.bsky_count(k_bsky_thanks) == 1);
        CHECK(s.statuses().empty());

        const auto masto = s.run({"publish", "--now", k_now, "--channel", "masto"});
        REQUIRE_MESSAGE(masto.exit_code == 0, masto.err);
        CHECK(masto.err.find("2 sent") != std::string::npos);
        CHECK(s.statuses().size() == 4);
        CHECK(s.bsky.records().size() == 1);
    }

    TEST_CASE("later than max_late: missed, exit 1; --catch-up sends it once") {
        test::PublishSandbox s("publish-missed");
        s.write_calendar(R"(posts:
  - id: tot
    at: 2026-11-23 07:00
    channels: [masto]
    text: "Ouverture à 7 h ce matin."
)");
        const auto missed = s.run({"publish", "--now", k_now, "--format", "json"});
        CHECK(missed.exit_code == 1);
        CHECK(delivery(json::parse(missed.out), "tot", "masto")["outcome"] == "missed");
        CHECK(s.statuses().empty());
        const auto status = s.run({"publish", "status", "--now", k_now, "--format", "json"});
        CHECK(delivery(json::parse(status.out), "tot", "masto")["state"] == "missed");

        const auto caught = s.run({"publish", "--now", k_now, "--catch-up", "--format", "json"});
        CHECK_MESSAGE(caught.exit_code == 0, caught.err);
        CHECK(delivery(json::parse(caught.out), "tot", "masto")["outcome"] == "sent");
        CHECK(s.masto_count("Ouverture à 7 h ce matin.") == 1);
        const auto again = s.run({"publish", "--now", k_now, "--catch-up"});
        CHECK(again.exit_code == 0);
        CHECK(s.masto_count("Ouverture à 7 h ce matin.") == 1);
    }
}
