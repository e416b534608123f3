// The Bluesky adapter against fake_bluesky: what reaches the PDS (records checked through the
// fake's /__admin/records, facets in strict mode), threads, images, preview, verify, lookup.
#include <doctest/doctest.h>

#include <filesystem>

#include "../support/bluesky_harness.hpp"
#include "../support/fake_bluesky_fixture.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using nlohmann::json;

namespace {

const std::filesystem::path k_media = std::filesystem::path(CMTOOL_EXAMPLES) / "media";

MediaFile media(const std::string& name, const std::string& alt) {
    MediaFile m;
    m.path = k_media / name;
    m.file = "media/" + name;
    m.alt = alt;
    m.size = std::filesystem::file_size(m.path);
    return m;  // mime and size left for the adapter to find out
}

json only_record(test::FakeBluesky& fake, const std::string& text) {
    const auto found = fake.records_with_text(text);
    REQUIRE(found.size() == 1);
    return found[0];
}

}  // namespace

TEST_SUITE("platforms.bluesky") {
    TEST_CASE("a post with a link, a mention and a hashtag: facets with byte offsets") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        const std::string text =
            "Noël à l'atelier 🎄 avec @bob.test et @ghost.test : https://example.com/noel. #Lampes";
        const auto request = test::bluesky_request("ws/shop-bsky/noel/0", text);
        const PublishResult r = adapter->publish(request);
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        const std::string rkey = test::bluesky_rkey(request);
        CHECK(r.ref.id == rkey);
        CHECK(r.ref.url == "https://bsky.app/profile/alice.test/post/" + rkey);
        CHECK(r.ref.uri == "at://" + fake.account("alice.test")["did"].get<std::string>() +
                               "/app.bsky.feed.post/" + rkey);
        CHECK(r.ref.cid.starts_with("bafyrei"));

        const json record = only_record(fake, text);
        CHECK(record["rkey"] == rkey);
        const json value = record["value"];
        CHECK(value["langs"] == json::array({"fr"}));
        CHECK(value["createdAt"].get<std::string>().ends_with("Z"));
        CHECK(value["createdAt"].get<std::string>().size() == 24);  // milliseconds
        const json facets = value["facets"];
        REQUIRE(facets.size() == 3);  // @ghost.test is unknown: plain text
        CHECK(facets[0]["features"][0]["did"] == fake.account("bob.test")["did"]);
        CHECK(facets[0]["index"]["byteStart"] == text.find("@bob.test"));
        CHECK(facets[0]["index"]["byteEnd"] == text.find("@bob.test") + 9);
        CHECK(facets[1]["features"][0]["uri"] == "https://example.com/noel");
        CHECK(facets[1]["index"]["byteStart"] == text.find("https://"));
        CHECK(facets[1]["index"]["byteEnd"] == text.find(". #Lampes"));
        CHECK(facets[2]["features"][0]["$type"] == "app.bsky.richtext.facet#tag");
        CHECK(facets[2]["features"][0]["tag"] == "Lampes");
        CHECK(facets[2]["index"]["byteEnd"] == text.size());
    }

    TEST_CASE("a thread of three: reply refs point at the root and the previous part") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        auto first = test::bluesky_request("ws/shop-bsky/fil/0", "1/3 Un fil sur nos lampes");
        const PublishResult root = adapter->publish(first);
        REQUIRE(root.outcome == Outcome::sent);
        auto second = test::bluesky_request("ws/shop-bsky/fil/1", "2/3 Le laiton", 1);
        second.parent = root.ref;
        second.root = root.ref;
        const PublishResult middle = adapter->publish(second);
        REQUIRE(middle.outcome == Outcome::sent);
        auto third = test::bluesky_request("ws/shop-bsky/fil/2", "3/3 L'opale", 2);
        third.parent = middle.ref;
        third.root = root.ref;
        REQUIRE(adapter->publish(third).outcome == Outcome::sent);

        const json reply2 = only_record(fake, "2/3 Le laiton")["value"]["reply"];
        CHECK(reply2["root"] == json{{"uri", root.ref.uri}, {"cid", root.ref.cid}});
        CHECK(reply2["parent"] == json{{"uri", root.ref.uri}, {"cid", root.ref.cid}});
        const json reply3 = only_record(fake, "3/3 L'opale")["value"]["reply"];
        CHECK(reply3["root"]["uri"] == root.ref.uri);
        CHECK(reply3["parent"] == json{{"uri", middle.ref.uri}, {"cid", middle.ref.cid}});
        CHECK(test::bluesky_rkey(first) < test::bluesky_rkey(second));
        CHECK_FALSE(only_record(fake, "1/3 Un fil sur nos lampes")["value"].contains("reply"));
    }

    TEST_CASE("images: uploaded blobs, alt text and the aspect ratio of the real pixels") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        auto request = test::bluesky_request("ws/shop-bsky/bf/0", "Black Friday à l'atelier");
        request.part.media = {media("black-friday.jpg", "Affiche Black Friday, lettres dorées"),
                              media("carte-cadeau.png", "Carte cadeau")};
        request.part.media[0].width = 10;  // a wrong size in the calendar loses to the file
        request.part.media[0].height = 10;
        const PublishResult r = adapter->publish(request);
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        const json embed = only_record(fake, "Black Friday à l'atelier")["value"]["embed"];
        CHECK(embed["$type"] == "app.bsky.embed.images");
        REQUIRE(embed["images"].size() == 2);
        const json jpg = embed["images"][0];
        CHECK(jpg["alt"] == "Affiche Black Friday, lettres dorées");
        CHECK(jpg["aspectRatio"] == json{{"width", 1080}, {"height", 1350}});
        CHECK(jpg["image"]["mimeType"] == "image/jpeg");
        CHECK(jpg["image"]["size"] == std::filesystem::file_size(k_media / "black-friday.jpg"));
        CHECK(jpg["image"]["ref"]["$link"].get<std::string>().starts_with("bafkrei"));
        CHECK(embed["images"][1]["aspectRatio"] == json{{"width", 1200}, {"height", 675}});
        CHECK(embed["images"][1]["image"]["mimeType"] == "image/png");
    }

    TEST_CASE("more than four images or a video are refused before anything is sent") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto request = test::bluesky_request("ws/shop-bsky/many/0", "Cinq photos");
        for (int i = 0; i < 5; ++i) {
            request.part.media.push_back(media("emballage.jpg", "Emballage"));
        }
        const PublishResult r = h.adapter()->publish(request);
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("at most 4 images") != std::string::npos);
        CHECK(fake.records().empty());
    }

    TEST_CASE("a reply whose parent has no uri and cid is refused before anything is sent") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto request = test::bluesky_request("ws/shop-bsky/orphan/1", "Suite", 1);
        request.parent = RemoteRef{.id = "3kabc", .url = {}, .uri = {}, .cid = {}};
        const PublishResult r = h.adapter()->publish(request);
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("3kabc") != std::string::npos);
        CHECK(fake.account("alice.test")["sessions_created"] == 0);
    }

    TEST_CASE("preview: the createRecord body with placeholders and no secret") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        auto adapter = h.adapter();
        auto request = test::bluesky_request("ws/shop-bsky/pv/0", "Bientôt @bob.test #Noël");
        request.part.media = {media("lumignons.jpg", "Lumignons")};
        const json p = adapter->preview(request);
        CHECK(p["url"] == fake.url("/xrpc/com.atproto.repo.createRecord"));
        CHECK(p["body"]["rkey"] == test::bluesky_rkey(request));
        CHECK(p["body"]["record"]["text"] == "Bientôt @bob.test #Noël");
        CHECK(p["body"]["record"]["facets"].size() == 2);
        const json image = p["body"]["record"]["embed"]["images"][0];
        CHECK(image["aspectRatio"] == json{{"width", 1080}, {"height", 1350}});
        CHECK(p["uploads"][0]["file"] == "media/lumignons.jpg");
        CHECK(p.dump().find(test::k_alice_app_password) == std::string::npos);
        CHECK(fake.account("alice.test")["sessions_created"] == 0);  // no network at all
    }

    TEST_CASE("verify returns the DID, the handle and the profile URL") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        const auto info = h.adapter()->verify();
        REQUIRE_MESSAGE(info.has_value(), (info ? std::string() : info.error().message));
        CHECK(info->id == fake.account("alice.test")["did"]);
        CHECK(info->handle == "alice.test");
        CHECK(info->url == "https://bsky.app/profile/alice.test");
        REQUIRE(info->token_expires.has_value());
        CHECK(*info->token_expires > std::chrono::system_clock::now());
    }

    TEST_CASE("lookup of a part never published says no") {
        auto fake = test::start_fake_bluesky();
        test::BlueskyHarness h(fake.url(), "alice.test", test::k_alice_app_password);
        const auto request = test::bluesky_request("ws/shop-bsky/never/0", "Jamais");
        const auto found = h.adapter()->lookup(request, request.scheduled_at);
        REQUIRE(found.has_value());
        CHECK(found->found == Found::no);
        CHECK(found->how.find(test::bluesky_rkey(request)) != std::string::npos);
    }
}
