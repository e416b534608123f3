// The auth and doctor library pieces that need no server: credential sources and states offline,
// the Mastodon OAuth requests (against a scripted transport), the clock and file-mode checks.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "../support/memory_credentials.hpp"
#include "../support/scripted_transport.hpp"
#include "cmtool/net/http.hpp"
#include "cmtool/platforms/auth.hpp"
#include "cmtool/publish/doctor.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using namespace std::chrono;

namespace {

// A JWT whose payload is {"sub":"did:plc:abc","exp":1800000000} (2027-01-15T08:00:00Z).
constexpr const char* k_jwt =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFiYyIsImV4cCI6MTgwMDAwMDAwMH0.c2ln";

calendar::Account account(std::string name, Platform p, std::map<std::string, std::string> s) {
    calendar::Account a;
    a.name = std::move(name);
    a.platform = p;
    a.settings = std::move(s);
    return a;
}

struct Fixture {
    calendar::WorkspaceConfig ws;
    std::map<std::string, std::string> env;
    test::MemoryCredentials credentials;
    test::MemoryCredentials file;
    test::ScriptedTransport http;
    net::SystemClock clock;
    test::RecordingSleeper sleeper;

    Fixture() {
        ws.root = "/tmp/ws";
        ws.accounts = {account("masto", Platform::mastodon, {{"instance", "https://m.example"}}),
                       account("bsky", Platform::bluesky, {{"handle", "a.test"}}),
                       account("hand", Platform::manual, {})};
    }
    AuthContext context() {
        return AuthContext{ws,   env,   credentials, file, "/tmp/cfg/credentials.json",
                           http, clock, sleeper};
    }
};

}  // namespace

TEST_CASE("auth: offline states and sources, Bluesky expiry from the cached JWT") {
    Fixture f;
    auto ctx = f.context();
    auto status = auth_status(ctx, Network::offline);
    REQUIRE(status.size() == 3);
    CHECK(status[0].state == AuthState::missing);
    CHECK(status[0].env_var == "CMTOOL_MASTO_TOKEN");
    CHECK(status[0].hint.find("cmtool auth login masto") != std::string::npos);
    CHECK(status[2].state == AuthState::unsupported);

    f.env["CMTOOL_MASTO_TOKEN"] = "secret-1";
    f.file.set("bsky", "refresh_jwt", k_jwt);  // a session, no app password
    f.credentials.set("bsky", "access_jwt", k_jwt);
    f.credentials.set("bsky", "refresh_jwt", k_jwt);
    status = auth_status(ctx, Network::offline);
    CHECK(status[0].state == AuthState::unverified);
    CHECK(status[0].source == CredentialSource::environment);
    CHECK(status[1].source == CredentialSource::file);
    CHECK(status[1].session_only);
    REQUIRE(status[1].token_expires.has_value());
    CHECK(*status[1].token_expires == sys_seconds(seconds(1800000000)));
    CHECK(f.http.seen.empty());
    // The access JWT renews itself: no warning an hour before its end. With a session only,
    // the refresh JWT's end is the account's end: warned a week before, an error after.
    CHECK(status[1].renewable);
    const auto hour_before = sys_seconds(seconds(1800000000 - 3600));
    REQUIRE(status[1].refresh_expires.has_value());
    CHECK(status[1].refresh_expires == status[1].session_expires);
    CHECK(expiry_note(status[1], hour_before, 7).level == ExpiryLevel::warning);
    CHECK(expiry_note(status[1], sys_seconds(seconds(1800000001)), 7).level == ExpiryLevel::error);
    f.env["CMTOOL_BSKY_APP_PASSWORD"] = "app-pass";
    status = auth_status(ctx, Network::offline);
    CHECK_FALSE(status[1].session_only);
    CHECK(expiry_note(status[1], hour_before, 7).level == ExpiryLevel::none);
}

TEST_CASE("auth: Mastodon OAuth out of band: the requests, and a refused code") {
    Fixture f;
    auto ctx = f.context();
    f.http.answers.push_back({200, {}, R"({"client_id":"cid","client_secret":"csecret"})"});
    auto app = mastodon_register_app(ctx, f.ws.accounts[0]);
    REQUIRE(app.has_value());
    REQUIRE(f.http.seen.size() == 1);
    CHECK(f.http.seen[0].url == "https://m.example/api/v1/apps");
    CHECK(f.http.seen[0].body.find("redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob") !=
          std::string::npos);
    CHECK(f.http.seen[0].body.find("scopes=read%20write%3Astatuses%20write%3Amedia") !=
          std::string::npos);
    CHECK(app->authorize_url.find("https://m.example/oauth/authorize?client_id=cid") == 0);
    CHECK(app->authorize_url.find("response_type=code") != std::string::npos);
    CHECK(app->authorize_url.find("csecret") == std::string::npos);

    f.http.answers.push_back({200, {}, R"({"access_token":"tok","token_type":"Bearer"})"});
    auto token = mastodon_exchange_code(ctx, *app, "the-code");
    REQUIRE(token.has_value());
    CHECK(*token == "tok");
    CHECK(f.http.seen[1].url == "https://m.example/oauth/token");
    CHECK(f.http.seen[1].body.find("grant_type=authorization_code") != std::string::npos);
    CHECK(f.http.seen[1].body.find("code=the-code") != std::string::npos);

    f.http.answers.push_back(
        {400, {}, R"({"error":"invalid_grant","error_description":"bad the-code csecret"})"});
    auto refused = mastodon_exchange_code(ctx, *app, "the-code");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::auth);
    CHECK(refused.error().message.find("invalid_grant") != std::string::npos);
    CHECK(refused.error().message.find("the-code") == std::string::npos);
    CHECK(refused.error().message.find("csecret") == std::string::npos);
    CHECK(f.sleeper.waits.empty());  // a refused POST is not repeated

    auto not_masto = mastodon_register_app(ctx, f.ws.accounts[1]);
    CHECK_FALSE(not_masto.has_value());
}

TEST_CASE("doctor: the clock check against a server date, and the year alone") {
    using publish::check_clock;
    using publish::CheckLevel;
    const sys_seconds server = sys_days{2026y / 11 / 27} + 9h;
    const auto in_step = check_clock(server + 30s, server, "m.example", {}, 120s);
    CHECK(in_step.level == CheckLevel::ok);
    const auto ahead = check_clock(server + 312s, server, "m.example", {}, 120s);
    CHECK(ahead.level == CheckLevel::warning);
    CHECK(ahead.detail.find("5 min 12 s ahead of m.example") != std::string::npos);
    CHECK(check_clock(server - 200s, server, "m", {}, 120s).detail.find("behind") !=
          std::string::npos);
    const auto plausible = check_clock(server, std::nullopt, {}, "--offline", 120s);
    CHECK(plausible.level == CheckLevel::ok);
    CHECK(plausible.detail.find("--offline") != std::string::npos);
    const auto past = check_clock(sys_days{2001y / 1 / 1}, std::nullopt, {}, "--offline", 120s);
    CHECK(past.level == CheckLevel::error);
}

TEST_CASE("doctor: the credentials file must be 0600") {
    const test::TempDir dir("doctor-mode");
    const auto file = dir.path() / "credentials.json";
    CHECK(publish::check_credentials_file(file).level == publish::CheckLevel::ok);  // none yet
    dir.write("credentials.json", "{}");
    REQUIRE(::chmod(file.c_str(), 0600) == 0);
    CHECK(publish::check_credentials_file(file).level == publish::CheckLevel::ok);
    REQUIRE(::chmod(file.c_str(), 0640) == 0);
    const auto c = publish::check_credentials_file(file);
    CHECK(c.level == publish::CheckLevel::error);
    CHECK(c.detail.find("0640") != std::string::npos);
    CHECK(c.hint == "chmod 600 " + file.string());
}
