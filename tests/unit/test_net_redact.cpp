#include <doctest/doctest.h>

#include "cmtool/net/redact.hpp"

using namespace cmtool;
using namespace cmtool::net;

TEST_CASE("redact_url masks secret query parameters and keeps the rest") {
    CHECK(redact_url("https://m.example/api/v1/x?access_token=fake-token-1&limit=5") ==
          "https://m.example/api/v1/x?access_token=***&limit=5");
    CHECK(redact_url("https://m.example/oauth/token?client_id=abc&client_secret=fake-secret&code="
                     "fake-code&grant_type=authorization_code") ==
          "https://m.example/oauth/token?client_id=abc&client_secret=***&code=***&grant_type="
          "authorization_code");
    CHECK(redact_url("https://x.example/?Password=hunter2&KEY=k&refresh_token=r&my_api_token=t") ==
          "https://x.example/?Password=***&KEY=***&refresh_token=***&my_api_token=***");
    CHECK(redact_url("https://x.example/path?flag&token") == "https://x.example/path?flag&token");
    CHECK(redact_url("https://m.example/api/v1/statuses") == "https://m.example/api/v1/statuses");
}

TEST_CASE("redact_url masks userinfo and fragment tokens") {
    CHECK(redact_url("https://user:fake-pass@host.example:8443/a?b=1") ==
          "https://***@host.example:8443/a?b=1");
    CHECK(redact_url("https://app.example/cb#access_token=fake-token&state=xyz") ==
          "https://app.example/cb#access_token=***&state=xyz");
}

TEST_CASE("redact_url masks secrets carried in webhook paths") {
    CHECK(redact_url("https://discord.com/api/v10/webhooks/123456/fake-webhook-token?wait=true") ==
          "https://discord.com/api/v10/webhooks/123456/***?wait=true");
    CHECK(redact_url("https://hooks.slack.com/services/T000/B000/fakefakefake") ==
          "https://hooks.slack.com/services/***");
    CHECK(redact_url("https://api.telegram.org/bot123456:FAKE-bot-token/sendMessage") ==
          "https://api.telegram.org/bot***/sendMessage");
    CHECK(redact_url("https://m.example/bottles/1") == "https://m.example/bottles/1");
    CHECK(redact_url("https://relay.example/telegram/bot123456:FAKE-bot-token/getMe") ==
          "https://relay.example/telegram/bot***/getMe");
    CHECK(redact_url("https://m.example/bots/bot1:x/a/bot2:y") ==
          "https://m.example/bots/bot***/a/bot***");
}

TEST_CASE("redact_headers masks credentials only") {
    const HeaderList in{{"Authorization", "Bearer fake-token-alice"},
                        {"cookie", "session=fake"},
                        {"X-Api-Key", "fake-key"},
                        {"X-Auth-Token", "fake"},
                        {"Content-Type", "application/json"},
                        {"Idempotency-Key", "draft-42"}};
    const HeaderList out = redact_headers(in);
    REQUIRE(out.size() == in.size());
    CHECK(out[0].second == "***");
    CHECK(out[1].second == "***");
    CHECK(out[2].second == "***");
    CHECK(out[3].second == "***");
    CHECK(out[4].second == "application/json");
    CHECK(out[5].second == "draft-42");
    CHECK(out[0].first == "Authorization");
}

TEST_CASE("redact_text replaces known secrets, raw and percent-encoded") {
    const std::vector<std::string> secrets{"fake+tok/en", "", "fake"};
    CHECK(redact_text("a fake+tok/en b fake%2Btok%2Fen c fake", secrets) == "a *** b *** c ***");
    CHECK(redact_text("nothing to hide", secrets) == "nothing to hide");
    CHECK(redact_text("", {}) == "");
}

TEST_CASE("transport errors never carry the token of the URL") {
    const Error e = make_transport_error(NetFailureKind::refused, "GET",
                                         "https://m.example/api/v1/x?access_token=fake-token-9");
    CHECK(e.message.find("fake-token-9") == std::string::npos);
    CHECK(e.message.find("access_token=***") != std::string::npos);
}
