// The fake Mastodon itself follows platforms.md §1 (so adapter tests can trust it).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/fake_mastodon_fixture.hpp"

using namespace cmtool;
using namespace cmtool::net;
using nlohmann::json;
using test::FakeMastodon;
using test::start_fake_mastodon;

namespace {

json get_json(FakeMastodon& m, const std::string& path, long status = 200,
              const std::string& token = test::k_alice_token) {
    auto r = m.api.send(m.request("GET", path, token));
    REQUIRE(r.has_value());
    CHECK(r->status == status);
    return json::parse(r->body);
}

Result<HttpResponse> post(FakeMastodon& m, const json& body,
                          const std::string& token = test::k_alice_token) {
    auto r = m.request("POST", "/api/v1/statuses", token);
    set_json_body(r, body.dump());
    return m.api.send(r);
}

}  // namespace

TEST_CASE("fake mastodon: the §1.7 length rule") {
    auto m = start_fake_mastodon();
    // 476 letters + space + URL (23 however long) = 500: accepted; one more letter: rejected.
    const std::string url = "https://example.com/" + std::string(80, 'p');
    auto ok = post(m, {{"status", std::string(476, 'a') + " " + url}});
    REQUIRE(ok.has_value());
    CHECK(ok->status == 200);
    auto too_long = post(m, {{"status", std::string(477, 'a') + " " + url}});
    REQUIRE(too_long.has_value());
    CHECK(too_long->status == 422);
    CHECK(json::parse(too_long->body)["error"] ==
          "Validation failed: Text character limit of 500 exceeded");
    // @user@domain counts as @user; "é" is one character; spoiler_text counts too.
    auto mention = post(m, {{"status", "@bob@far.example " + std::string(494, 'a')}});
    CHECK(mention->status == 200);
    auto accented = post(m, {{"status", std::string(499, 'e') + "\xC3\xA9"}});  // 500, not 501
    CHECK(accented->status == 200);
    auto spoiler = post(m, {{"status", std::string(490, 'a')}, {"spoiler_text", "0123456789x"}});
    CHECK(spoiler->status == 422);
    auto blank = post(m, {{"status", ""}});
    CHECK(json::parse(blank->body)["error"] == "Validation failed: Text can't be blank");
    auto orphan = post(m, {{"status", "reply"}, {"in_reply_to_id", "1"}});
    CHECK(orphan->status == 404);
}

TEST_CASE("fake mastodon: mentions, notifications paging and the Link header") {
    auto m = start_fake_mastodon();
    for (int i = 0; i < 3; ++i) {
        m.admin("POST", "/__admin/mention",
                {{"from", "carol@remote.example"}, {"text", "hi @alice " + std::to_string(i)}});
    }
    REQUIRE(post(m, {{"status", "@alice from bob"}}, test::k_bob_token)->status == 200);
    auto page = m.api.send(m.request("GET", "/api/v1/notifications?types[]=mention&limit=2"));
    REQUIRE(page.has_value());
    const auto items = json::parse(page->body);
    REQUIRE(items.size() == 2);
    CHECK(items[0]["type"] == "mention");
    CHECK(items[0]["account"]["acct"] == "bob");
    CHECK(items[1]["account"]["acct"] == "carol@remote.example");
    const auto link = page->header("Link");
    REQUIRE(link);
    const std::string next_id = items[1]["id"];
    CHECK(link->find("max_id=" + next_id) != std::string::npos);
    CHECK(link->find("rel=\"next\"") != std::string::npos);
    const auto older =
        get_json(m, "/api/v1/notifications?types[]=mention&limit=2&max_id=" + next_id);
    CHECK(older.size() == 2);
    CHECK(get_json(m, "/api/v1/notifications?types[]=favourite").empty());
    CHECK(get_json(m, "/api/v1/notifications", 200, test::k_bob_token).empty());
}

TEST_CASE("fake mastodon: search, tag timeline, context, engagement, account statuses") {
    auto m = start_fake_mastodon();
    auto root = post(m, {{"status", "Launch day #CmTool"}});
    const std::string root_id = json::parse(root->body)["id"];
    auto reply = post(m, {{"status", "more details"}, {"in_reply_to_id", root_id}});
    const std::string reply_id = json::parse(reply->body)["id"];

    CHECK(get_json(m, "/api/v2/search?q=launch&type=statuses")["statuses"].size() == 1);
    HttpRequest no_token;
    no_token.url = m.url("/api/v2/search?q=launch");
    auto anonymous = m.api.send(no_token);
    CHECK(json::parse(anonymous->body)["statuses"].empty());  // no token: empty, not an error
    CHECK(get_json(m, "/api/v1/timelines/tag/cmtool").size() == 1);
    const auto context = get_json(m, "/api/v1/statuses/" + root_id + "/context");
    CHECK(context["descendants"][0]["id"] == reply_id);
    CHECK(get_json(m, "/api/v1/statuses/" + reply_id + "/context")["ancestors"][0]["id"] ==
          root_id);
    CHECK(get_json(m, "/api/v1/statuses/" + root_id)["replies_count"] == 1);

    m.admin("POST", "/__admin/engagement",
            {{"id", root_id}, {"favourites_count", 7}, {"reblogs_count", 2}});
    const auto batch =
        get_json(m, "/api/v1/statuses?id[]=" + root_id + "&id[]=999&id[]=" + reply_id);
    REQUIRE(batch.size() == 2);  // unknown ids are dropped
    CHECK(batch[0]["favourites_count"] == 7);
    CHECK(batch[0]["reblogs_count"] == 2);
    CHECK(batch[0]["tags"][0]["name"] == "cmtool");
    CHECK(get_json(m, "/api/v1/accounts/1/statuses?exclude_replies=true").size() == 1);
    CHECK(get_json(m, "/api/v1/accounts/verify_credentials")["statuses_count"] == 2);
}

TEST_CASE("fake mastodon: expired tokens, admin reset and the state file") {
    const auto state = std::filesystem::temp_directory_path() /
                       ("cmtool-fake-mastodon-" + std::to_string(::getpid()) + ".json");
    {
        auto m = start_fake_mastodon({"--state", state.string()});
        REQUIRE(post(m, {{"status", "kept in the dump"}})->status == 200);
        m.admin("POST", "/__admin/expire_token", {{"token", test::k_bob_token}});
        CHECK(get_json(m, "/api/v1/accounts/verify_credentials", 401, test::k_bob_token)["error"] ==
              "The access token is invalid");
        CHECK(m.server.stop() == 0);
    }
    std::ifstream in(state);
    const auto dump = json::parse(in);
    REQUIRE(dump["statuses"].size() == 1);
    CHECK(dump["statuses"][0]["text"] == "kept in the dump");
    std::filesystem::remove(state);

    auto m = start_fake_mastodon();
    REQUIRE(post(m, {{"status", "wiped"}})->status == 200);
    m.admin("POST", "/__admin/reset");
    CHECK(m.admin("GET", "/__admin/statuses").empty());
    CHECK(m.admin("GET", "/__admin/stats")["requests"] == 0);
}
