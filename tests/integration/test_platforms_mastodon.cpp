// The Mastodon adapter against fake_mastodon: what reaches the instance (checked through the
// fake's /__admin/statuses), threads, media processing, the Idempotency-Key, preview, verify,
// credentials and the platform's refusals.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "../support/fake_mastodon_fixture.hpp"
#include "../support/mastodon_harness.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

const std::filesystem::path k_lamp =
    std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg";

// The fake's stored status with this id (with its `text` and `idempotency_key`).
json stored_status(test::FakeMastodon& m, const std::string& id) {
    for (const auto& s : m.admin("GET", "/__admin/statuses")) {
        if (s["id"] == id) {
            return s;
        }
    }
    FAIL("no status " << id);
    return {};
}

// A copy of the lamp photo named `name` in a fresh folder (a "slow" name makes the fake
// answer 202 and process it over the next polls).
MediaFile lamp_copy(const std::string& name, const std::string& alt) {
    struct TempDir {
        std::filesystem::path path =
            std::filesystem::temp_directory_path() / ("cmtool-masto-" + std::to_string(::getpid()));
        TempDir() { std::filesystem::create_directories(path); }
        ~TempDir() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
        TempDir(const TempDir&) = delete;
        TempDir& operator=(const TempDir&) = delete;
    };
    static const TempDir temp;  // removed when the test binary exits
    const auto& dir = temp.path;
    MediaFile m;
    m.path = dir / name;
    std::filesystem::copy_file(k_lamp, m.path, std::filesystem::copy_options::overwrite_existing);
    m.file = "media/" + name;
    m.alt = alt;
    m.mime = "image/jpeg";
    m.size = std::filesystem::file_size(m.path);
    return m;
}

}  // namespace

TEST_SUITE("platforms.mastodon") {
    TEST_CASE("a text post is sent with its id, url and uri, settings reach the status") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token,
                                {{"visibility", "unlisted"}, {"language", "de"}});
        auto adapter = h.adapter();
        const PublishResult r = adapter->publish(
            test::mastodon_request("ws/shop-masto/noel/0", "Noël à l'atelier https://example.com"));
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        CHECK(r.ref.url == m.url("/@alice/" + r.ref.id));
        CHECK(r.ref.uri == m.url("/users/alice/statuses/" + r.ref.id));
        const json s = stored_status(m, r.ref.id);
        CHECK(s["text"] == "Noël à l'atelier https://example.com");
        CHECK(s["idempotency_key"] == "ws/shop-masto/noel/0");
        CHECK(s["visibility"] == "unlisted");
        CHECK(s["language"] == "de");
        CHECK(s["in_reply_to_id"].is_null());
        CHECK(h.sleeper.waits.empty());

        auto fr = test::mastodon_request("ws/shop-masto/noel-fr/0", "Bonjour");
        fr.langs = {"fr-CA"};  // BCP 47 in, ISO 639-1 out; the post's langs beat the setting
        const PublishResult second = adapter->publish(fr);
        REQUIRE(second.outcome == Outcome::sent);
        CHECK(stored_status(m, second.ref.id)["language"] == "fr");
    }

    TEST_CASE("a thread of three: each part replies to the previous one") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto adapter = h.adapter();
        std::optional<RemoteRef> parent;
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < 3; ++i) {
            auto req = test::mastodon_request("ws/shop-masto/fil/" + std::to_string(i),
                                              std::to_string(i + 1) + "/3 Un fil", i);
            req.parent = parent;
            const PublishResult r = adapter->publish(req);
            REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
            parent = r.ref;
            ids.push_back(r.ref.id);
        }
        CHECK(stored_status(m, ids[0])["in_reply_to_id"].is_null());
        CHECK(stored_status(m, ids[1])["in_reply_to_id"] == ids[0]);
        CHECK(stored_status(m, ids[2])["in_reply_to_id"] == ids[1]);
    }

    TEST_CASE("an image with alt text: 202, then polls with growing waits until 200") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto adapter = h.adapter();
        auto req = test::mastodon_request("ws/shop-masto/lampe/0", "La lampe en laiton");
        req.part.media.push_back(lamp_copy("slow.jpg", "Une lampe en laiton sur un bureau"));
        const PublishResult r = adapter->publish(req);
        REQUIRE_MESSAGE(r.outcome == Outcome::sent, r.message);
        // The fake answers 206 twice (--media-polls 2), then 200.
        CHECK(h.sleeper.waits == std::vector<milliseconds>{milliseconds(1000), milliseconds(2000),
                                                           milliseconds(4000)});
        const json media = stored_status(m, r.ref.id)["media_attachments"];
        REQUIRE(media.size() == 1);
        CHECK(media[0]["description"] == "Une lampe en laiton sur un bureau");
        CHECK(media[0]["type"] == "image");
        CHECK(media[0]["url"].get<std::string>().ends_with("/slow.jpg"));
    }

    TEST_CASE("media still processing after 60 s: transient failure, no status") {
        auto m = test::start_fake_mastodon({"--media-polls", "100"});
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto adapter = h.adapter();
        auto req = test::mastodon_request("ws/shop-masto/video/0", "Une vidéo");
        req.part.media.push_back(lamp_copy("slow-big.jpg", "alt"));
        const PublishResult r = adapter->publish(req);
        CHECK(r.outcome == Outcome::transient_failure);
        CHECK(r.message.find("still processing") != std::string::npos);
        milliseconds total{0};
        for (const auto w : h.sleeper.waits) {
            total += w;
        }
        CHECK(total <= milliseconds(60000));
        CHECK(h.sleeper.waits.back() == milliseconds(8000));
        CHECK(m.admin("GET", "/__admin/statuses").empty());
    }

    TEST_CASE("the same key twice makes one status") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        const auto req = test::mastodon_request("ws/shop-masto/twice/0", "Une seule fois");
        const PublishResult first = h.adapter()->publish(req);
        const PublishResult second = h.adapter()->publish(req);
        REQUIRE(first.outcome == Outcome::sent);
        REQUIRE(second.outcome == Outcome::sent);
        CHECK(second.ref.id == first.ref.id);
        CHECK(m.count_statuses("Une seule fois") == 1);
    }

    TEST_CASE("preview: the request without the token, works without credentials") {
        test::MastodonHarness h("https://mastodon.example/", "");
        auto req = test::mastodon_request("ws/shop-masto/fil/1", "2/2 suite", 1);
        req.part.media.push_back(lamp_copy("lamp.jpg", "Une lampe"));
        req.langs = {"fr"};
        const json p = h.adapter()->preview(req);
        CHECK(p["method"] == "POST");
        CHECK(p["url"] == "https://mastodon.example/api/v1/statuses");
        CHECK(p["headers"] == json{{"Idempotency-Key", "ws/shop-masto/fil/1"}});
        CHECK(p["json"]["status"] == "2/2 suite");
        CHECK(p["json"]["visibility"] == "public");
        CHECK(p["json"]["language"] == "fr");
        CHECK(p["json"]["media_ids"].size() == 1);
        CHECK(p["json"]["in_reply_to_id"].get<std::string>().find("part 0") != std::string::npos);
        CHECK(p["media"][0]["file"] == "media/lamp.jpg");
        CHECK(p["media"][0]["alt"] == "Une lampe");
        CHECK(p["media"][0]["mime"] == "image/jpeg");
        CHECK(p["media"][0]["size"] == std::filesystem::file_size(k_lamp));
        CHECK(p.dump().find("Bearer") == std::string::npos);
    }

    TEST_CASE("verify: who the token belongs to") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        const auto info = h.adapter()->verify();
        REQUIRE_MESSAGE(info.has_value(), (info ? std::string() : info.error().message));
        CHECK_FALSE(info->id.empty());
        CHECK(info->handle == "@alice@127.0.0.1:" + std::to_string(m.server.port()));
        CHECK(info->url == m.url("/@alice"));
    }

    TEST_CASE("no token: previews work, the rest fails naming the environment variable") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), "");
        auto adapter = h.adapter();
        const auto req = test::mastodon_request("ws/shop-masto/x/0", "Sans jeton");
        const PublishResult r = adapter->publish(req);
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.hint.find("CMTOOL_SHOP_MASTO_TOKEN") != std::string::npos);
        CHECK(r.hint.find("cmtool auth login shop-masto") != std::string::npos);
        const auto info = adapter->verify();
        REQUIRE_FALSE(info.has_value());
        CHECK(info.error().code == ErrorCode::config);
        CHECK(info.error().hint.find("CMTOOL_SHOP_MASTO_TOKEN") != std::string::npos);
        const auto found = adapter->lookup(req, test::intent_now());
        REQUIRE_FALSE(found.has_value());
        CHECK(found.error().code == ErrorCode::config);
        CHECK(m.admin("GET", "/__admin/stats")["requests"] == 0);
    }

    TEST_CASE("a refused token: permanent failure with the platform's message and a hint") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), "fake-wrong-token");
        auto adapter = h.adapter();
        const PublishResult r =
            adapter->publish(test::mastodon_request("ws/shop-masto/x/0", "Mauvais jeton"));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message.find("The access token is invalid") != std::string::npos);
        CHECK(r.hint.find("CMTOOL_SHOP_MASTO_TOKEN") != std::string::npos);
        CHECK(r.message.find("fake-wrong-token") == std::string::npos);
        const auto info = adapter->verify();
        REQUIRE_FALSE(info.has_value());
        CHECK(info.error().code == ErrorCode::auth);
    }

    TEST_CASE("422 too long and 404 parent: permanent failures with the platform's message") {
        auto m = test::start_fake_mastodon();
        test::MastodonHarness h(m.server.base_url(), test::k_alice_token);
        auto adapter = h.adapter();
        const PublishResult r =
            adapter->publish(test::mastodon_request("ws/shop-masto/long/0", std::string(501, 'a')));
        CHECK(r.outcome == Outcome::permanent_failure);
        CHECK(r.message ==
              "POST /api/v1/statuses: HTTP 422: Validation failed: Text character limit of 500 "
              "exceeded");
        auto reply = test::mastodon_request("ws/shop-masto/orphan/1", "Réponse", 1);
        reply.parent = RemoteRef{.id = "999", .url = {}, .uri = {}, .cid = {}};
        const PublishResult orphan = adapter->publish(reply);
        CHECK(orphan.outcome == Outcome::permanent_failure);
        CHECK(orphan.message.find("Record not found") != std::string::npos);
        CHECK(orphan.hint.find("999") != std::string::npos);
        CHECK(m.admin("GET", "/__admin/statuses").empty());
    }
}
