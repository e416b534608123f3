// The pieces of `auth login` for OAuth networks that need no network: the plan, reading a
// redirect or a pasted address, the loopback listener (on 127.0.0.1), the expiry notes of
// `auth status`/`doctor`, and X's text normalisation for reconciliation.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "../../lib/src/platforms/x_adapter.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/auth.hpp"
#include "cmtool/platforms/oauth_login.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
using namespace std::chrono_literals;

namespace {

calendar::Account x_account(std::string client_id = "cid") {
    calendar::Account a;
    a.name = "x";
    a.platform = Platform::x;
    if (!client_id.empty()) {
        a.settings["client_id"] = std::move(client_id);
    }
    return a;
}

std::chrono::sys_seconds at(long long s) {
    return std::chrono::sys_seconds(std::chrono::seconds(s));
}

}  // namespace

TEST_CASE("oauth login: the plan carries PKCE, state and the loopback redirect") {
    auto plan = oauth::plan_login(x_account(), 8765);
    REQUIRE(plan.has_value());
    CHECK(plan->redirect_uri == "http://127.0.0.1:8765/callback");
    REQUIRE(plan->pkce.has_value());
    CHECK(plan->url.find("code_challenge=" + plan->pkce->challenge) != std::string::npos);
    CHECK(plan->url.find(plan->pkce->verifier) == std::string::npos);  // only the challenge
    CHECK(plan->url.find("state=" + plan->state) != std::string::npos);
    CHECK(plan->url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback") !=
          std::string::npos);
    CHECK(oauth::plan_login(x_account(), 8765)->state != plan->state);

    auto missing = oauth::plan_login(x_account(""), 8765);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == ErrorCode::config);
    CHECK(missing.error().hint.find("http://127.0.0.1:8765/callback") != std::string::npos);

    calendar::Account masto;
    masto.name = "m";
    masto.platform = Platform::mastodon;
    CHECK(oauth::plan_login(masto, 8765).error().code == ErrorCode::unavailable);
}

TEST_CASE("oauth login: the redirect port from the flag, the setting, or 8765") {
    auto a = x_account();
    CHECK(*oauth::redirect_port(a, std::nullopt) == 8765);
    CHECK(*oauth::redirect_port(a, 9000) == 9000);
    a.settings["redirect_port"] = "9100";
    CHECK(*oauth::redirect_port(a, std::nullopt) == 9100);
    a.settings["redirect_port"] = "http";
    CHECK(oauth::redirect_port(a, std::nullopt).error().code == ErrorCode::config);
}

TEST_CASE("oauth login: a redirect's state is checked, a refusal explained") {
    auto plan = *oauth::plan_login(x_account(), 8765);
    const auto ok = oauth::code_from_redirect({{"code", "abc"}, {"state", plan.state}}, plan);
    REQUIRE(ok.has_value());
    CHECK(*ok == "abc");
    const auto forged = oauth::code_from_redirect({{"code", "abc"}, {"state", "other"}}, plan);
    CHECK(forged.error().code == ErrorCode::auth);
    CHECK(forged.error().message.find("state") != std::string::npos);
    const auto denied =
        oauth::code_from_redirect({{"error", "access_denied"}, {"state", plan.state}}, plan);
    CHECK(denied.error().message.find("declined") != std::string::npos);
    CHECK(oauth::code_from_redirect({{"state", plan.state}}, plan).error().code ==
          ErrorCode::usage);

    const auto pasted = oauth::code_from_pasted(
        "http://127.0.0.1:8765/callback?state=" + plan.state + "&code=c%2B1", plan);
    REQUIRE(pasted.has_value());
    CHECK(*pasted == "c+1");
    CHECK(*oauth::code_from_pasted("bare-code", plan) == "bare-code");
    CHECK(oauth::code_from_pasted("http://127.0.0.1:8765/callback?state=x&code=y", plan)
              .error()
              .code == ErrorCode::auth);
    CHECK(oauth::code_from_pasted("not a code", plan).error().code == ErrorCode::usage);
}

TEST_CASE("loopback listener: 404 for other paths, the callback's query, timeout, stop") {
    auto listener = LoopbackListener::open(0);
    REQUIRE(listener.has_value());
    const int port = listener->port();
    CHECK(port > 0);
    std::thread browser([port] {
        net::CurlTransport http;
        net::HttpRequest r;
        r.url = "http://127.0.0.1:" + std::to_string(port) + "/favicon.ico";
        const auto miss = http.send(r);
        CHECK((miss && miss->status == 404));
        r.url = "http://127.0.0.1:" + std::to_string(port) + "/callback?code=a%20b&state=s";
        const auto page = http.send(r);
        // CHECK, not REQUIRE: a REQUIRE failing on this thread would abort the whole binary.
        CHECK(page.has_value());
        CHECK((page && page->status == 200));
        CHECK((page && page->body.find("Done &amp; dusted") != std::string::npos));  // escaped
    });
    auto query = listener->wait_for("/callback", 10s, nullptr);
    if (query) {
        listener->respond(200, "ok", "Done & dusted");
    }
    browser.join();  // before any REQUIRE: a failure must not leave the thread running
    REQUIRE(query.has_value());
    CHECK((*query)["code"] == "a b");
    CHECK((*query)["state"] == "s");

    const auto timeout = listener->wait_for("/callback", 300ms, nullptr);
    CHECK(timeout.error().code == ErrorCode::unavailable);
    std::atomic<bool> stop{true};
    CHECK(listener->wait_for("/callback", 10s, &stop).error().code == ErrorCode::interrupted);

    auto taken = LoopbackListener::open(port);
    CHECK_FALSE(taken.has_value());
    CHECK(taken.error().hint.find("--port") != std::string::npos);
}

TEST_CASE(
    "loopback listener: a silent connection (a browser's preconnect) does not hold the "
    "redirect back") {
    auto listener = LoopbackListener::open(0);
    REQUIRE(listener.has_value());
    const int port = listener->port();
    // Accepted first, sends nothing, stays open: the listener must move on to the next one.
    const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(silent >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(silent, static_cast<sockaddr*>(static_cast<void*>(&addr)), sizeof addr) == 0);
    long status = 0;
    std::thread browser([port, &status] {
        net::CurlTransport http;
        net::HttpRequest r;
        r.url = "http://127.0.0.1:" + std::to_string(port) + "/callback?code=c&state=s";
        const auto page = http.send(r);
        status = page ? page->status : -1;
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto query = listener->wait_for("/callback", 30s, nullptr);
    const auto waited = std::chrono::steady_clock::now() - t0;
    if (query) {
        listener->respond(200, "ok", "Done");
    }
    browser.join();
    ::close(silent);
    REQUIRE(query.has_value());
    CHECK((*query)["code"] == "c");
    CHECK(status == 200);
    CHECK(waited < 10s);  // about 2 s for the silent one, not the login's 30 s
}

TEST_CASE("expiry notes: warn before a token needs a new login, never for a renewable one") {
    AccountAuth a;
    a.account = "li";
    const auto now = at(1'800'000'000);
    const auto day = std::chrono::hours(24);
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::none);  // no expiry known
    a.token_expires = now + 3 * day;
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::warning);
    CHECK(expiry_note(a, now, 2).level == ExpiryLevel::none);
    CHECK(expiry_note(a, now, 7).message.find("in 3 days") != std::string::npos);
    a.renewable = true;
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::none);
    a.token_expires = now - day;  // renewable: the next run renews it
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::none);
    a.refresh_expires = now + 5 * day;  // LinkedIn's 365-day refresh token near its end
    const auto refresh = expiry_note(a, now, 7);
    CHECK(refresh.level == ExpiryLevel::warning);
    CHECK(refresh.hint.find("cmtool auth login li") != std::string::npos);
    a.refresh_expires = now - std::chrono::seconds(1);
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::error);
    a.refresh_expires.reset();
    a.renewable = false;
    CHECK(expiry_note(a, now, 7).level == ExpiryLevel::error);  // expired, cannot renew
}

TEST_CASE("X reconciliation text: t.co links, escaped entities and spacing do not matter") {
    CHECK(x::normalise_for_match("Lampe &amp; lumière https://t.co/abc") == "Lampe & lumière");
    CHECK(x::normalise_for_match("Lampe & lumière https://atelier.example/lampe") ==
          "Lampe & lumière");
    CHECK(x::normalise_for_match("a  \n b &lt;3 &gt;") == "a b <3 >");
    CHECK(x::normalise_for_match("texte https://t.co/x1 suite https://t.co/media") ==
          "texte suite");
    CHECK(x::is_duplicate_refusal(nlohmann::json{
        {"title", "Forbidden"},
        {"detail", "You are not allowed to create a Tweet with duplicate content."}}));
    CHECK_FALSE(x::is_duplicate_refusal(nlohmann::json{{"title", "Forbidden"}}));
}
