// `cmtool auth` and `cmtool doctor` as a user runs them, against fake_mastodon and fake_bluesky:
// what is saved (and with which mode), what is refused, where credentials come from, the checks
// and exit codes, and that no secret ever reaches the output.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/fake_bluesky_fixture.hpp"
#include "../support/fake_mastodon_fixture.hpp"
#include "../unit/test_support.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/store/store.hpp"

using namespace cmtool;
using nlohmann::json;

namespace {

const char* const k_valid_calendar = R"(posts:
  - id: hello
    at: 2026-12-04 09:00
    channels: [masto, bsky]
    text: Bonjour de l'atelier
)";

const char* const k_broken_calendar = R"(posts:
  - id: hello
    at: 2026-12-04 09:00
    channels: [nowhere]
    text: Bonjour
)";

// A workspace with masto and bsky pointing at the fakes, a manual account (no credentials), and its
// own credentials folder (XDG_CONFIG_HOME).
struct Workspace {
    test::TempDir dir;
    Workspace(const std::string& name, const std::string& masto_api, const std::string& bsky_api,
              const std::string& calendar = k_valid_calendar)
        : dir("auth-" + name) {
        dir.write("cmtool.yaml",
                  "version: 1\nbrand: Test\ntimezone: Europe/Paris\naccounts:\n"
                  "  masto: {platform: mastodon, instance: https://masto.example, "
                  "api: \"" +
                      masto_api +
                      "\"}\n"
                      "  bsky: {platform: bluesky, handle: alice.test, api: \"" +
                      bsky_api + "\"}\n  byhand: {platform: manual}\n");
        dir.write("calendar/2026/12.yaml", calendar);
    }
    std::filesystem::path credentials() const {
        return dir.path() / "config" / "cmtool" / "credentials.json";
    }
    test::RunResult run(const std::vector<std::string>& args, std::vector<std::string> env = {},
                        const std::string& input = {}) const {
        env.push_back("XDG_CONFIG_HOME=" + (dir.path() / "config").string());
        return test::run_cmtool(args, dir.path(), env, input);
    }
    std::string credentials_text() const {
        std::ifstream in(credentials());
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    // The saved secrets of `account` ({} when none).
    json saved(const std::string& account) const {
        if (!std::filesystem::exists(credentials())) {
            return json::object();
        }
        const json doc = json::parse(credentials_text());
        for (const auto& [root, accounts] : doc["workspaces"].items()) {
            if (accounts.contains(account)) {
                return accounts[account];
            }
        }
        return json::object();
    }
};

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777U;
}

// No secret in either stream.
void check_no_secret(const test::RunResult& r, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
        CHECK_MESSAGE(r.out.find(s) == std::string::npos, "secret on stdout: " << r.out);
        CHECK_MESSAGE(r.err.find(s) == std::string::npos, "secret on stderr: " << r.err);
    }
}

json account_of(const json& status, const std::string& name) {
    for (const auto& a : status["accounts"]) {
        if (a["account"] == name) {
            return a;
        }
    }
    FAIL("no account " << name);
    return {};
}

long request_count(test::FakeMastodon& m) {
    return m.admin("GET", "/__admin/stats")["requests"].get<long>();
}

}  // namespace

TEST_CASE("auth: login masto with a token on stdin saves it 0600; a wrong one is refused") {
    auto m = test::start_fake_mastodon();
    const Workspace ws("masto", m.server.base_url(), "http://127.0.0.1:9");
    const auto bad = ws.run({"auth", "login", "masto"}, {}, "not-a-valid-token\n");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("cmtool: error:") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(ws.credentials()));
    check_no_secret(bad, {"not-a-valid-token"});

    const auto ok = ws.run({"auth", "login", "masto", "--token-stdin"}, {},
                           std::string(test::k_alice_token) + "\n");
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    CHECK(ok.err.find("logged in as @alice@127.0.0.1") != std::string::npos);
    CHECK(ok.err.find("(masto)") != std::string::npos);
    check_no_secret(ok, {test::k_alice_token});
    CHECK(mode_of(ws.credentials()) == 0600U);
    CHECK(ws.saved("masto")["token"] == test::k_alice_token);

    // A refused token leaves the saved one as it was.
    const auto again = ws.run({"auth", "login", "masto"}, {}, "still-wrong\n");
    CHECK(again.exit_code == 1);
    CHECK(ws.saved("masto")["token"] == test::k_alice_token);

    const auto st = ws.run({"auth", "status", "--format", "json"});
    const json masto = account_of(json::parse(st.out), "masto");
    CHECK(masto["state"] == "ok");
    CHECK(masto["source"] == "file");
    CHECK(masto["who"]["handle"].get<std::string>().rfind("@alice@127.0.0.1", 0) == 0);
    check_no_secret(st, {test::k_alice_token});
}

TEST_CASE("auth: the browser-login flags are refused where there is no browser login") {
    auto m = test::start_fake_mastodon();
    const Workspace ws("browser-flags", m.server.base_url(), "http://127.0.0.1:9");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"auth", "login", "masto", "--port", "9000"},
          std::vector<std::string>{"auth", "login", "masto", "--no-listen"},
          std::vector<std::string>{"auth", "login", "bsky", "--timeout", "30"},
          std::vector<std::string>{"auth", "login", "masto", "--token-stdin", "--open"}}) {
        CAPTURE(args.back());
        const auto r = ws.run(args, {}, std::string(test::k_alice_token) + "\n");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("are for the browser login") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(ws.credentials()));  // nothing saved
    }
}

TEST_CASE("auth: bluesky login with an app password on stdin caches the session") {
    auto b = test::start_fake_bluesky();
    const Workspace ws("bsky", "http://127.0.0.1:9", b.url());
    const auto bad = ws.run({"auth", "login", "bsky", "--password-stdin"}, {}, "wrong-password\n");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("the app password for bsky was refused") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(ws.credentials()));
    check_no_secret(bad, {"wrong-password"});

    const auto ok = ws.run({"auth", "login", "bsky", "--password-stdin"}, {},
                           std::string(test::k_alice_app_password) + "\n");
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    CHECK(ok.err.find("logged in as @alice.test (bsky)") != std::string::npos);
    const json saved = ws.saved("bsky");
    CHECK(saved["app_password"] == test::k_alice_app_password);
    REQUIRE(saved.contains("access_jwt"));
    REQUIRE(saved.contains("refresh_jwt"));
    CHECK(b.account("alice.test")["sessions_created"] == 1);
    const std::vector<std::string> secrets{test::k_alice_app_password,
                                           saved["access_jwt"].get<std::string>(),
                                           saved["refresh_jwt"].get<std::string>()};
    check_no_secret(ok, secrets);

    const auto st = ws.run({"auth", "status", "--format", "json"});
    const json bsky = account_of(json::parse(st.out), "bsky");
    CHECK(bsky["state"] == "ok");
    CHECK(bsky["who"]["handle"] == "alice.test");
    CHECK(bsky["token_expires"].is_string());
    CHECK(bsky["session_expires"].is_string());
    // The cached session was used: no second createSession.
    CHECK(b.account("alice.test")["sessions_created"] == 1);
    check_no_secret(st, secrets);
}

TEST_CASE("auth: status tells env from file, offline sends nothing, logout removes") {
    auto m = test::start_fake_mastodon();
    auto b = test::start_fake_bluesky();
    const Workspace ws("status", m.server.base_url(), b.url());
    const std::string env_token = std::string("CMTOOL_MASTO_TOKEN=") + test::k_alice_token;
    REQUIRE(ws.run({"auth", "login", "bsky"}, {}, std::string(test::k_alice_app_password) + "\n")
                .exit_code == 0);
    const std::vector<std::string> secrets{test::k_alice_token, test::k_alice_app_password,
                                           ws.saved("bsky")["access_jwt"].get<std::string>(),
                                           ws.saved("bsky")["refresh_jwt"].get<std::string>()};

    const auto st = ws.run({"auth", "status", "--format", "json"}, {env_token});
    CHECK(st.exit_code == 0);
    const json doc = json::parse(st.out);
    CHECK(account_of(doc, "masto")["source"] == "env");
    CHECK(account_of(doc, "masto")["env_var"] == "CMTOOL_MASTO_TOKEN");
    CHECK(account_of(doc, "masto")["state"] == "ok");
    CHECK(account_of(doc, "bsky")["source"] == "file");
    CHECK(account_of(doc, "bsky")["env_var"] == "CMTOOL_BSKY_APP_PASSWORD");
    CHECK(account_of(doc, "byhand")["state"] == "unsupported");
    check_no_secret(st, secrets);

    const long before = request_count(m);
    const auto off = ws.run({"auth", "status", "--offline"}, {env_token});
    CHECK(off.exit_code == 0);
    CHECK(off.out.find("unverified") != std::string::npos);
    CHECK(off.out.find("env CMTOOL_MASTO_TOKEN") != std::string::npos);
    CHECK(request_count(m) == before);
    check_no_secret(off, secrets);

    // Without the variable, masto has nothing: exit 1 with the way out.
    const auto missing = ws.run({"auth", "status"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.out.find("missing") != std::string::npos);
    CHECK(missing.out.find("cmtool auth login masto") != std::string::npos);

    const auto out = ws.run({"auth", "logout", "bsky"});
    CHECK(out.exit_code == 0);
    CHECK(out.err.find("app_password") != std::string::npos);
    CHECK(ws.saved("bsky").empty());
    const auto after = ws.run({"auth", "status", "--offline", "--format", "json"}, {env_token});
    CHECK(after.exit_code == 1);
    CHECK(account_of(json::parse(after.out), "bsky")["state"] == "missing");
    CHECK(ws.run({"auth", "logout", "nosuch"}).exit_code == 2);
}

TEST_CASE("doctor: a healthy workspace is all ok; --offline sends nothing") {
    auto m = test::start_fake_mastodon();
    auto b = test::start_fake_bluesky();
    const Workspace ws("doctor-ok", m.server.base_url(), b.url());
    REQUIRE(ws.run({"auth", "login", "bsky"}, {}, std::string(test::k_alice_app_password) + "\n")
                .exit_code == 0);
    const std::vector<std::string> env{std::string("CMTOOL_MASTO_TOKEN=") + test::k_alice_token};
    const auto r = ws.run({"doctor"}, env);
    CHECK_MESSAGE(r.exit_code == 0, r.out << r.err);
    CHECK(r.out.find("✓ workspace") != std::string::npos);
    CHECK(r.out.find("@alice@127.0.0.1") != std::string::npos);
    CHECK(r.out.find("✗") == std::string::npos);
    CHECK(r.out.find("! ") == std::string::npos);
    CHECK(r.err.find("0 warnings, 0 errors") != std::string::npos);

    const auto j = ws.run({"doctor", "--format", "json"}, env);
    CHECK(j.exit_code == 0);
    const json doc = json::parse(j.out);
    CHECK(doc["ok"] == true);
    for (const auto& c : doc["checks"]) {
        CHECK_MESSAGE(c["level"] == "ok", c.dump());
    }
    const long before = request_count(m);
    const auto off = ws.run({"doctor", "--offline"}, env);
    CHECK(off.exit_code == 0);
    CHECK(request_count(m) == before);
    CHECK(off.out.find("not verified: --offline") != std::string::npos);
    check_no_secret(off, {test::k_alice_token, test::k_alice_app_password});
    check_no_secret(r, {test::k_alice_token, test::k_alice_app_password});
}

TEST_CASE("doctor: a broken calendar, an unsafe credentials file, no workspace") {
    auto m = test::start_fake_mastodon();
    const Workspace ws("doctor-bad", m.server.base_url(), "http://127.0.0.1:9", k_broken_calendar);
    REQUIRE(
        ws.run({"auth", "login", "masto"}, {}, std::string(test::k_alice_token) + "\n").exit_code ==
        0);
    const auto r = ws.run({"doctor", "--offline"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("✗ calendar") != std::string::npos);
    CHECK(r.out.find("nowhere") != std::string::npos);

    std::filesystem::permissions(ws.credentials(), std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write |
                                                       std::filesystem::perms::group_read |
                                                       std::filesystem::perms::others_read);
    const auto unsafe = ws.run({"doctor", "--offline", "--format", "json"});
    CHECK(unsafe.exit_code == 1);
    bool seen = false;
    const json unsafe_doc = json::parse(unsafe.out);
    for (const auto& c : unsafe_doc["checks"]) {
        if (c["id"] == "credentials-file") {
            seen = true;
            CHECK(c["level"] == "error");
            CHECK(c["detail"].get<std::string>().find("0644") != std::string::npos);
            CHECK(c["hint"] == "chmod 600 " + ws.credentials().string());
        }
    }
    CHECK(seen);
    check_no_secret(unsafe, {test::k_alice_token});
    // auth status cannot use such a file: a configuration error.
    CHECK(ws.run({"auth", "status", "--offline"}).exit_code == 2);

    const test::TempDir empty("auth-doctor-empty");
    CHECK(test::run_cmtool({"doctor"}, empty.path()).exit_code == 2);
}

TEST_CASE("doctor: parts of unknown outcome and a held publish lock are warnings (exit 0)") {
    const Workspace ws("doctor-warn", "http://127.0.0.1:9", "http://127.0.0.1:9");
    const auto state = ws.dir.path() / ".cmtool";
    {
        auto db = store::Store::open(state);
        REQUIRE(db.has_value());
        store::Ledger ledger(*db);
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        auto d = ledger.ensure_delivery({"hello", "masto"}, "hello", "mastodon", now, "h", 1, now);
        REQUIRE(d.has_value());
        REQUIRE(ledger.record_intent(d->id, 0, "hello/masto/0", now).has_value());
    }
    auto lock = store::FileLock::acquire(state / "publish.lock", std::chrono::milliseconds{0});
    REQUIRE(lock.has_value());
    const auto r =
        ws.run({"doctor", "--offline"}, {"CMTOOL_MASTO_TOKEN=t1", "CMTOOL_BSKY_APP_PASSWORD=p1"});
    CHECK_MESSAGE(r.exit_code == 0, r.out << r.err);
    CHECK(r.out.find("! ledger") != std::string::npos);
    CHECK(r.out.find("outcome unknown for 1 part: the next publish will check them") !=
          std::string::npos);
    CHECK(r.out.find("hello → masto, part 0") != std::string::npos);
    CHECK(r.out.find("! publish lock") != std::string::npos);
    CHECK(r.out.find("✗") == std::string::npos);
    CHECK(r.err.find("2 warnings, 0 errors") != std::string::npos);
    lock->release();
    const auto free = ws.run({"doctor", "--offline", "--format", "json"},
                             {"CMTOOL_MASTO_TOKEN=t1", "CMTOOL_BSKY_APP_PASSWORD=p1"});
    const json free_doc = json::parse(free.out);
    bool seen = false;
    for (const auto& c : free_doc["checks"]) {
        if (c["id"] == "lock") {
            seen = true;
            CHECK(c["level"] == "ok");
        }
    }
    CHECK(seen);
}
