// `cmtool auth login` for X end to end through the loopback redirect: the test plays the
// browser (reads the printed address, asks the fake's authorize endpoint, follows its redirect
// to cmtool's listener); a forged state and a declined consent are refused; `auth status` and
// `doctor` warn before a token that needs a new login expires. No token in any output.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "../support/x_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The authorize address cmtool printed on stderr once `ready` is there too (at most 10 s).
std::string printed_url(const test::XSandbox& s, const std::string& log,
                        const std::string& ready = "Waiting for the browser") {
    const auto file = s.dir.path() / "logs" / log / "stderr.txt";
    std::string url;
    test::wait_until(
        [&] {
            const std::string err = read_text(file);
            const auto at = err.find("http://127.0.0.1:");
            const auto end = at == std::string::npos ? at : err.find_first_of(" \n", at);
            if (at == std::string::npos || end == std::string::npos ||
                err.find(ready) == std::string::npos) {
                return false;
            }
            url = err.substr(at, end - at);
            return true;
        },
        10s);
    REQUIRE_MESSAGE(!url.empty(), read_text(file));
    return url;
}

// What a browser does: GET the authorize address, then follow its redirect; returns the
// redirect target and the listener's answer.
struct Browsed {
    std::string location;
    net::HttpResponse page;
};

Browsed browse(const std::string& url, const std::string& tamper_state = {}) {
    net::CurlTransport http;
    net::HttpRequest r;
    r.url = url;
    auto consent = http.send(r);
    REQUIRE(consent.has_value());
    REQUIRE(consent->status == 302);
    Browsed b;
    b.location = consent->header("Location").value_or("");
    REQUIRE(b.location.starts_with("http://127.0.0.1:"));
    if (!tamper_state.empty()) {
        const auto at = b.location.find("state=");
        const auto end = b.location.find('&', at);
        b.location.replace(at, end - at, "state=" + tamper_state);
    }
    net::HttpRequest back;
    back.url = b.location;
    auto page = http.send(back);
    REQUIRE(page.has_value());
    b.page = *page;
    return b;
}

platforms::oauth::TokenSet expiring(std::chrono::hours in, bool refresh,
                                    std::optional<std::chrono::hours> refresh_in = {}) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    platforms::oauth::TokenSet t;
    t.access_token = "fake-x-access-stored";
    if (refresh) {
        t.refresh_token = "fake-x-refresh-stored";
    }
    t.issued_at = now - std::chrono::hours(1);
    t.expires_at = now + in;
    if (refresh_in) {
        t.refresh_expires_at = now + *refresh_in;
    }
    return t;
}

json account_of(const json& status) {
    REQUIRE(status["accounts"].size() == 1);
    return status["accounts"][0];
}

}  // namespace

TEST_SUITE("x auth") {
    TEST_CASE("X auth login: loopback redirect, PKCE, token checked then saved; auth status") {
        test::XSandbox s("x-login");
        auto login = s.start_cmtool({"auth", "login", "x", "--port", "0", "--timeout", "30"},
                                    "login", test::XToken::none);
        const std::string url = printed_url(s, "login");
        CHECK(url.find("/i/oauth2/authorize?") != std::string::npos);
        CHECK(url.find("code_challenge_method=S256") != std::string::npos);
        CHECK(url.find("client_id=fake-client-id") != std::string::npos);
        const Browsed b = browse(url);
        CHECK(b.location.find("/callback?") != std::string::npos);
        CHECK(b.page.status == 200);
        CHECK(b.page.body.find("cmtool is authorized") != std::string::npos);
        const auto done = login->wait(30s);
        CHECK_MESSAGE(done.exit_code == 0, done.out << done.err);
        CHECK(done.err.find("logged in as @alice (x)") != std::string::npos);
        CHECK(done.err.find("renewed automatically with the refresh token") != std::string::npos);
        test::check_no_secret(done.out + done.err + b.page.body);
        const auto token = s.stored("token");
        REQUIRE(token);
        CHECK(token->starts_with("fake-x-access-"));
        CHECK(s.stored("refresh_token").has_value());
        CHECK(s.stored("token_expires").has_value());

        const auto status = s.run({"auth", "status", "--format", "json"}, test::XToken::none);
        REQUIRE_MESSAGE(status.exit_code == 0, status.out << status.err);
        test::check_no_secret(status.out + status.err);
        const json a = account_of(json::parse(status.out));
        CHECK(a["state"] == "ok");
        CHECK(a["source"] == "file");
        CHECK(a["renewable"] == true);
        CHECK(a["token_expires"].is_string());
        CHECK(a["expiry"].is_null());  // renewed automatically: no warning

        // The stored token publishes.
        s.write_calendar(
            "posts:\n  - id: un\n    at: 2026-01-01T10:00:00+00:00\n    "
            "channels: [x]\n    text: \"Bonjour\"\n");
        const auto pub =
            s.run({"publish", "--now", "2026-01-01T10:01:00+00:00"}, test::XToken::none);
        CHECK_MESSAGE(pub.exit_code == 0, pub.err);
        CHECK(s.tweets().size() == 1);
    }

    TEST_CASE("X auth login --no-listen: the address the browser ends on is pasted") {
        test::XSandbox s("x-login-paste");
        const auto fifo = s.dir.path() / "stdin.fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        auto login = s.start_cmtool({"auth", "login", "x", "--no-listen"}, "paste",
                                    test::XToken::none, fifo);
        std::ofstream typing(fifo);  // opens once cmtool has opened its end
        const std::string url = printed_url(s, "paste", "copy that whole address");
        CHECK(url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback") !=
              std::string::npos);
        net::CurlTransport http;
        net::HttpRequest r;
        r.url = url;
        const auto consent = http.send(r);
        REQUIRE((consent && consent->status == 302));
        const std::string location = consent->header("Location").value_or("");
        CHECK(location.starts_with("http://127.0.0.1:8765/callback?"));  // never loaded
        typing << location << "\n";
        typing.close();
        const auto done = login->wait(30s);
        CHECK_MESSAGE(done.exit_code == 0, done.out << done.err);
        CHECK(done.err.find("logged in as @alice (x)") != std::string::npos);
        test::check_no_secret(done.out + done.err);
        CHECK(s.stored("token").has_value());
    }

    TEST_CASE("X auth login: a forged state and a declined consent are refused, nothing saved") {
        test::XSandbox s("x-login-refused");
        auto forged = s.start_cmtool({"auth", "login", "x", "--port", "0", "--timeout", "30"},
                                     "forged", test::XToken::none);
        const Browsed b = browse(printed_url(s, "forged"), "forged-state");
        CHECK(b.page.status == 400);
        const auto f = forged->wait(30s);
        CHECK(f.exit_code == 1);
        CHECK_MESSAGE(f.err.find("does not belong to this login") != std::string::npos, f.err);
        test::check_no_secret(f.out + f.err + b.page.body);
        CHECK_FALSE(s.stored("token").has_value());

        s.admin("POST", "/__admin/flags", {{"deny", true}});
        auto denied = s.start_cmtool({"auth", "login", "x", "--port", "0", "--timeout", "30"},
                                     "denied", test::XToken::none);
        const Browsed d = browse(printed_url(s, "denied"));
        CHECK(d.location.find("error=access_denied") != std::string::npos);
        CHECK(d.page.status == 400);
        const auto r = denied->wait(30s);
        CHECK(r.exit_code == 1);
        CHECK_MESSAGE(r.err.find("declined") != std::string::npos, r.err);
        CHECK_FALSE(s.stored("token").has_value());

        // Nobody comes: the wait ends at --timeout with a hint.
        const auto late =
            s.run({"auth", "login", "x", "--port", "0", "--timeout", "1"}, test::XToken::none);
        CHECK(late.exit_code != 0);
        CHECK(late.err.find("no answer from the browser within 1 s") != std::string::npos);

        // Without a client_id: a clear error naming the setting and the redirect URI.
        s.dir.write("ws/cmtool.yaml",
                    "version: 1\nbrand: A\ntimezone: UTC\naccounts:\n  x: {platform: x}\n");
        const auto no_id = s.run({"auth", "login", "x"}, test::XToken::none);
        CHECK(no_id.exit_code == 2);
        CHECK(no_id.err.find("client_id") != std::string::npos);
        CHECK(no_id.err.find("http://127.0.0.1:8765/callback") != std::string::npos);
    }

    TEST_CASE("auth status and doctor: a warning N days before a token needs a new login") {
        test::XSandbox s("x-expiry");
        s.write_calendar("posts: []\n");
        // No refresh token, 3 days left: cmtool cannot renew it.
        s.store_tokens(expiring(std::chrono::hours(72), false));
        const auto warn =
            s.run({"auth", "status", "--offline", "--format", "json"}, test::XToken::none);
        REQUIRE_MESSAGE(warn.exit_code == 0, warn.out << warn.err);
        const json a = account_of(json::parse(warn.out));
        REQUIRE(a["expiry"].is_object());
        CHECK(a["expiry"]["level"] == "warning");
        CHECK(a["expiry"]["message"].get<std::string>().find("cannot be renewed") !=
              std::string::npos);
        CHECK(a["renewable"] == false);
        const auto text = s.run({"auth", "status", "--offline"}, test::XToken::none);
        CHECK(text.out.find("warning: the access token expires") != std::string::npos);
        CHECK(text.out.find("auth login x") != std::string::npos);
        const auto later =
            s.run({"auth", "status", "--offline", "--warn-days", "2", "--format", "json"},
                  test::XToken::none);
        CHECK(account_of(json::parse(later.out))["expiry"].is_null());
        const auto doc = s.run({"doctor", "--offline", "--format", "json"}, test::XToken::none);
        CHECK(doc.out.find("the access token expires") != std::string::npos);
        test::check_no_secret(warn.out + text.out + doc.out + doc.err);

        // Renewable access token close to its end: no warning; refresh token ending: warning.
        s.store_tokens(expiring(std::chrono::hours(1), true, std::chrono::hours(24 * 5)));
        const auto refresh =
            s.run({"auth", "status", "--offline", "--format", "json"}, test::XToken::none);
        const json r = account_of(json::parse(refresh.out));
        CHECK(r["renewable"] == true);
        REQUIRE(r["expiry"].is_object());
        CHECK(r["expiry"]["message"].get<std::string>().find("refresh token expires") !=
              std::string::npos);
        s.store_tokens(expiring(std::chrono::hours(1), true));
        const auto fine =
            s.run({"auth", "status", "--offline", "--format", "json"}, test::XToken::none);
        CHECK(account_of(json::parse(fine.out))["expiry"].is_null());

        // An expired refresh token is an error: invalid, exit 1.
        s.store_tokens(expiring(std::chrono::hours(1), true, std::chrono::hours(-2)));
        const auto dead =
            s.run({"auth", "status", "--offline", "--format", "json"}, test::XToken::none);
        CHECK(dead.exit_code == 1);
        const json d = account_of(json::parse(dead.out));
        CHECK(d["state"] == "invalid");
        CHECK(d["message"].get<std::string>().find("refresh token expired") != std::string::npos);
    }
}
