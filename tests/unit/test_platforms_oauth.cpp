// OAuth 2 token sets (platforms/oauth.hpp) against a scripted transport: the PKCE vector of
// RFC 7636, authorize and token requests, token answers and errors, renewal timing, storage,
// access_token() renewing before expiry (and not renewing an environment token or one another
// run has just renewed), and secrets kept out of error messages.
#include <doctest/doctest.h>

#include "../support/memory_credentials.hpp"
#include "../support/scripted_transport.hpp"
#include "cmtool/platforms/oauth.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using namespace std::chrono;

namespace {

calendar::Account make_account(Platform p, std::map<std::string, std::string> s) {
    calendar::Account a;
    a.name = "brand";
    a.platform = p;
    a.settings = std::move(s);
    return a;
}

sys_seconds at(long long epoch) {
    return sys_seconds(seconds(epoch));
}

oauth::TokenSet tokens(std::string access, std::optional<std::string> refresh = {},
                       std::optional<sys_seconds> expires = {},
                       std::optional<sys_seconds> issued = {}) {
    oauth::TokenSet t;
    t.access_token = std::move(access);
    t.refresh_token = std::move(refresh);
    t.expires_at = expires;
    t.issued_at = issued;
    return t;
}

struct Env {
    calendar::WorkspaceConfig ws;
    calendar::Account account;
    test::MemoryCredentials credentials;
    test::ScriptedTransport http;
    test::FixedClock clock{at(1'800'000'000)};
    test::RecordingSleeper sleeper;

    explicit Env(calendar::Account a) : account(std::move(a)) {}
    AdapterContext context() {
        return AdapterContext{ws, account, http, credentials, clock, sleeper};
    }
};

}  // namespace

TEST_CASE("oauth: PKCE S256 challenge (RFC 7636 appendix B) and generated pairs") {
    CHECK(oauth::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const auto a = oauth::make_pkce();
    const auto b = oauth::make_pkce();
    CHECK(a.verifier.size() == 43);
    CHECK(a.verifier != b.verifier);
    CHECK(a.challenge == oauth::pkce_challenge(a.verifier));
    CHECK(a.verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-._~") == std::string::npos);
    CHECK(oauth::random_state().size() == 32);
}

TEST_CASE("oauth: providers, rehosted for fakes, and the requests they make") {
    const auto x = oauth::provider_for(
        make_account(Platform::x, {{"api", "http://127.0.0.1:9/"}, {"client_id", "cid"}}));
    REQUIRE(x);
    CHECK(x->pkce);
    CHECK(x->token_url == "http://127.0.0.1:9/2/oauth2/token");
    CHECK(x->authorize_url == "http://127.0.0.1:9/i/oauth2/authorize");
    CHECK(x->scopes.find("offline.access") != std::string::npos);
    const auto li =
        oauth::provider_for(make_account(Platform::linkedin, {{"author", "urn:li:organization:5"},
                                                              {"oauth", "http://127.0.0.1:7"}}));
    REQUIRE(li);
    CHECK(li->token_url == "http://127.0.0.1:7/oauth/v2/accessToken");
    CHECK(li->scopes.find("w_organization_social") != std::string::npos);
    CHECK_FALSE(oauth::provider_for(make_account(Platform::mastodon, {})));
    CHECK_FALSE(oauth::provider_for(make_account(Platform::telegram, {})));

    const oauth::Pkce pkce{"verifier-1", oauth::pkce_challenge("verifier-1")};
    const std::string url =
        oauth::authorize_url(*x, "cid", "http://127.0.0.1:5555/callback", "st8", pkce);
    CHECK(
        url.starts_with("http://127.0.0.1:9/i/oauth2/authorize?response_type=code&client_id=cid"));
    CHECK(url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback") != std::string::npos);
    CHECK(url.find("code_challenge=" + pkce.challenge) != std::string::npos);
    CHECK(url.find("code_challenge_method=S256") != std::string::npos);
    CHECK(url.find("state=st8") != std::string::npos);

    // X confidential client: HTTP Basic, the verifier in the form.
    auto r = oauth::code_request(*x, "cid", "csecret", "the-code", "http://127.0.0.1:5555/cb",
                                 "verifier-1");
    CHECK(r.method == "POST");
    CHECK(net::find_header(r.headers, "Authorization") == "Basic Y2lkOmNzZWNyZXQ=");
    CHECK(r.body.find("grant_type=authorization_code") != std::string::npos);
    CHECK(r.body.find("code_verifier=verifier-1") != std::string::npos);
    CHECK(r.body.find("client_secret") == std::string::npos);
    // A public client: client_id in the form.
    r = oauth::code_request(*x, "cid", "", "the-code", "http://127.0.0.1:5555/cb", "v");
    CHECK(r.body.find("client_id=cid") != std::string::npos);
    CHECK_FALSE(net::find_header(r.headers, "Authorization"));

    oauth::TokenSet t = tokens("at", "rt");
    auto renewal = oauth::renewal_request(*li, "cid", "cs", t);
    REQUIRE(renewal);
    CHECK(renewal->body ==
          "grant_type=refresh_token&refresh_token=rt&client_id=cid&client_secret=cs");
    t.refresh_token.reset();
    CHECK_FALSE(oauth::renewal_request(*li, "cid", "cs", t));  // no refresh token: re-consent

    const auto meta = oauth::provider_for(make_account(Platform::facebook, {{"page_id", "1"}}));
    REQUIRE(meta);
    renewal = oauth::renewal_request(*meta, "app", "appsecret", t);
    REQUIRE(renewal);
    CHECK(renewal->method == "GET");
    CHECK(renewal->url.find("grant_type=fb_exchange_token") != std::string::npos);
    CHECK(renewal->url.find("fb_exchange_token=at") != std::string::npos);
    CHECK_FALSE(oauth::renewal_request(*meta, "app", "", t));  // the exchange needs the secret

    const auto th = oauth::provider_for(make_account(Platform::threads, {{"user_id", "1"}}));
    REQUIRE(th);
    renewal = oauth::renewal_request(*th, "app", "", t);
    REQUIRE(renewal);
    CHECK(renewal->url ==
          "https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token&"
          "access_token=at");
}

TEST_CASE("oauth: token answers and errors") {
    const auto now = at(1'000);
    auto ok = [](std::string body) {
        return Result<net::HttpResponse>(net::HttpResponse{200, {}, std::move(body)});
    };
    auto t = oauth::read_token_answer(
        ok(R"({"access_token":"A","expires_in":7200,"refresh_token":"R","scope":"tweet.read"})"),
        now);
    REQUIRE(t);
    CHECK(t->access_token == "A");
    CHECK(t->refresh_token == "R");
    CHECK(t->expires_at == at(8'200));
    CHECK(t->issued_at == now);
    CHECK(t->scope == "tweet.read");
    t = oauth::read_token_answer(ok(R"({"access_token":"A","expires_in":"5184000"})"), now);
    REQUIRE(t);
    CHECK(t->expires_at == at(5'185'000));
    CHECK_FALSE(t->refresh_token);
    t = oauth::read_token_answer(
        ok(R"({"access_token":"A","expires_in":5184000,"refresh_token":"R",)"
           R"("refresh_token_expires_in":31536000})"),
        now);
    REQUIRE(t);
    CHECK(t->refresh_expires_at == at(31'537'000));

    auto bad = oauth::read_token_answer(ok(R"({"token_type":"bearer"})"), now);
    CHECK(bad.error().code == ErrorCode::parse);
    bad = oauth::read_token_answer(
        net::HttpResponse{
            400,
            {},
            R"({"error":"invalid_grant","error_description":"Value passed for the token was invalid."})"},
        now);
    CHECK(bad.error().code == ErrorCode::auth);
    CHECK(bad.error().message.find("invalid_grant: Value passed") != std::string::npos);
    bad = oauth::read_token_answer(
        net::HttpResponse{
            400,
            {},
            R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190}})"},
        now);
    CHECK(bad.error().code == ErrorCode::auth);
    bad = oauth::read_token_answer(
        net::HttpResponse{
            400, {}, R"({"error":{"message":"Application request limit reached","code":4}})"},
        now);
    CHECK(bad.error().code == ErrorCode::rate_limited);
    bad = oauth::read_token_answer(net::HttpResponse{503, {}, "<html>"}, now);
    CHECK(bad.error().code == ErrorCode::network);
    bad = oauth::read_token_answer(net::HttpResponse{429, {}, ""}, now);
    CHECK(bad.error().code == ErrorCode::rate_limited);
}

TEST_CASE("oauth: renewal at 80% of the lifetime, 5 minutes before an expiry alone") {
    oauth::TokenSet t = tokens("a");
    CHECK_FALSE(oauth::due_for_renewal(t, at(5'000)));  // no expiry: never
    t.issued_at = at(0);
    t.expires_at = at(7'200);
    CHECK_FALSE(oauth::due_for_renewal(t, at(5'759)));
    CHECK(oauth::due_for_renewal(t, at(5'760)));
    CHECK_FALSE(oauth::expired(t, at(7'199)));
    CHECK(oauth::expired(t, at(7'200)));
    CHECK_FALSE(oauth::due_for_renewal(t, at(5'760), hours(24)));  // too young (Threads)
    CHECK(oauth::due_for_renewal(t, at(7'300), hours(24)));        // but expired: renew
    t.issued_at.reset();
    CHECK_FALSE(oauth::due_for_renewal(t, at(6'899)));
    CHECK(oauth::due_for_renewal(t, at(6'900)));
}

TEST_CASE("oauth: access_token renews a stored token before it expires, and saves the new set") {
    Env e(make_account(Platform::x, {{"api", "http://127.0.0.1:9"}, {"client_id", "cid"}}));
    const long long now = 1'800'000'000;
    const oauth::TokenSet stored =
        tokens("old-access", "old-refresh", at(now + 600), at(now - 6'600));
    REQUIRE(oauth::save_tokens(e.credentials, e.account, stored));
    e.http.answer(200, R"({"token_type":"bearer","access_token":"new-access","expires_in":7200,)"
                       R"("refresh_token":"new-refresh","scope":"tweet.read"})");
    auto ctx = e.context();
    auto token = oauth::access_token(ctx);
    REQUIRE(token);
    CHECK(*token == "new-access");
    REQUIRE(e.http.seen.size() == 1);
    CHECK(e.http.seen[0].url == "http://127.0.0.1:9/2/oauth2/token");
    CHECK(e.http.seen[0].body ==
          "grant_type=refresh_token&refresh_token=old-refresh&client_id=cid");
    CHECK(e.credentials.peek("brand", "refresh_token") == "new-refresh");
    CHECK(e.credentials.peek("brand", "token_expires") == std::to_string(now + 7'200));
    CHECK(e.credentials.peek("brand", "token_issued") == std::to_string(now));

    // Fresh now: no request.
    token = oauth::access_token(ctx);
    REQUIRE(token);
    CHECK(*token == "new-access");
    CHECK(e.http.seen.size() == 1);

    // Another run renewed it while this one held the old token: no second renewal.
    auto again = oauth::renew(ctx, "old-access");
    REQUIRE(again);
    CHECK(again->access_token == "new-access");
    CHECK(e.http.seen.size() == 1);
}

TEST_CASE("oauth: a refused renewal keeps a still-valid token, fails an expired one with a hint") {
    Env e(make_account(Platform::x, {{"api", "http://127.0.0.1:9"}, {"client_id", "cid"}}));
    const long long now = 1'800'000'000;
    REQUIRE(
        oauth::save_tokens(e.credentials, e.account,
                           tokens("acc-secret-1", "ref-secret-1", at(now + 60), at(now - 7'140))));
    const std::string refused =
        R"({"error":"invalid_request","error_description":"Value passed for the token was invalid: ref-secret-1"})";
    e.http.answer(400, refused);
    auto ctx = e.context();
    auto token = oauth::access_token(ctx);
    REQUIRE(token);
    CHECK(*token == "acc-secret-1");
    CHECK(e.http.seen.size() == 1);  // the renewal was asked for, and refused

    e.clock.at = net::SysTime(seconds(now + 61));
    e.http.answer(400, refused);
    token = oauth::access_token(ctx);
    CHECK(e.http.seen.size() == 2);
    REQUIRE_FALSE(token);
    CHECK(token.error().code == ErrorCode::auth);
    CHECK(token.error().message.find("expired on 2027-01-15") != std::string::npos);
    CHECK(token.error().message.find("ref-secret-1") == std::string::npos);
    CHECK(token.error().message.find("***") != std::string::npos);
    CHECK(token.error().hint == "run `cmtool auth login brand` to authorize cmtool again");

    // No refresh token at all (LinkedIn without partner access): expired means re-consent.
    Env li(make_account(Platform::linkedin, {{"author", "urn:li:person:1"}}));
    REQUIRE(oauth::save_tokens(li.credentials, li.account, tokens("a", std::nullopt, at(now - 1))));
    auto lctx = li.context();
    token = oauth::access_token(lctx);
    REQUIRE_FALSE(token);
    CHECK(token.error().message.find("no refresh token") != std::string::npos);
    CHECK(li.http.seen.empty());

    // A token from the environment is used as is, never renewed, even when the file says due.
    Env env(make_account(Platform::x, {{"client_id", "cid"}}));
    REQUIRE(
        oauth::save_tokens(env.credentials, env.account, tokens("from-env", "r", at(now - 10))));
    env.credentials.environment.insert({"brand", "token"});
    auto ectx = env.context();
    token = oauth::access_token(ectx);
    REQUIRE(token);
    CHECK(*token == "from-env");
    CHECK(env.http.seen.empty());
    auto forced = oauth::renew(ectx, "from-env");
    REQUIRE_FALSE(forced);
    CHECK(forced.error().message.find("CMTOOL_BRAND_TOKEN") != std::string::npos);

    // Nothing stored: config, naming the variable.
    Env none(make_account(Platform::x, {}));
    auto nctx = none.context();
    token = oauth::access_token(nctx);
    REQUIRE_FALSE(token);
    CHECK(token.error().code == ErrorCode::config);
    CHECK(token.error().hint.find("CMTOOL_BRAND_TOKEN") != std::string::npos);
}
