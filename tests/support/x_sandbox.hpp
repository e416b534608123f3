#pragma once
// A running fake_x and a workspace whose account `x` points at it (CMTOOL_X_API), with a
// private XDG_CONFIG_HOME, for tests of the built cmtool against X. alice's preset token is
// k_x_alice_token (never expires at the fake); tokens issued by the fake's OAuth endpoints
// start with "fake-x-access-" / "fake-x-refresh-" and codes with "fake-code-", so a test can
// check that none of them is ever printed.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../unit/test_support.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool_process.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

inline constexpr const char* k_x_alice_token = "fake-x-preset-alice";
inline constexpr const char* k_x_client_id = "fake-client-id";

inline std::string x_workspace_yaml(const std::string& extra = {}) {
    return std::string(R"(version: 1
brand: Atelier Test
timezone: UTC
accounts:
  x: {platform: x, handle: alice, client_id: )") +
           k_x_client_id + "}\n" + extra;
}

enum class XToken { env, none };

struct XSandbox {
    FakeServerProcess server;
    net::CurlTransport admin_api;
    TempDir dir;

    explicit XSandbox(const std::string& name, std::vector<std::string> flags = {})
        : server(start(flags)), dir(name) {
        dir.write("ws/cmtool.yaml", x_workspace_yaml());
        std::filesystem::create_directories(root() / "media");
        std::filesystem::copy_file(
            std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg",
            root() / "media" / "lampe-laiton.jpg");
    }

    static FakeServerProcess start(std::vector<std::string> flags) {
        std::vector<std::string> args{"--user", std::string("alice=") + k_x_alice_token,
                                      "--max-lifetime", "300"};
        args.insert(args.end(), flags.begin(), flags.end());
        auto s = FakeServerProcess::start(CMTOOL_FAKE_X, args);
        REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message));
        return std::move(*s);
    }

    std::filesystem::path root() const { return dir.path() / "ws"; }
    std::filesystem::path credentials_file() const {
        return dir.path() / "config" / "cmtool" / "credentials.json";
    }
    std::string url(const std::string& path) const { return server.base_url() + path; }

    void write_calendar(const std::string& yaml) const {
        dir.write("ws/calendar/posts.yaml", yaml);
    }

    std::vector<std::string> env(XToken token = XToken::env) const {
        std::vector<std::string> e = {"CMTOOL_X_API=" + server.base_url(),
                                      "XDG_CONFIG_HOME=" + (dir.path() / "config").string()};
        if (token == XToken::env) {
            e.push_back(std::string("CMTOOL_X_TOKEN=") + k_x_alice_token);
        }
        return e;
    }

    RunResult run(std::vector<std::string> args, XToken token = XToken::env,
                  const std::string& input = {}) const {
        args.insert(args.begin(), {"-C", root().string()});
        return run_cmtool(args, {}, env(token), input);
    }

    std::unique_ptr<CmtoolProcess> start_cmtool(std::vector<std::string> args,
                                                const std::string& log_name,
                                                XToken token = XToken::env,
                                                const std::filesystem::path& input = {}) const {
        args.insert(args.begin(), {"-C", root().string()});
        return std::make_unique<CmtoolProcess>(args, env(token), dir.path() / "logs" / log_name,
                                               input);
    }

    // Calls /__admin/...; requires a 200 and returns the parsed body.
    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = {}) {
        net::HttpRequest r;
        r.method = method;
        r.url = url(path);
        if (!body.is_null()) {
            net::set_json_body(r, body.dump());
        }
        auto res = admin_api.send(r);
        REQUIRE(res.has_value());
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return nlohmann::json::parse(res->body);
    }
    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }
    nlohmann::json tweets() { return admin("GET", "/__admin/tweets"); }
    long requests() { return admin("GET", "/__admin/stats")["requests"].get<long>(); }

    // The account `x` as the workspace has it (for the credentials file's key).
    calendar::Account account() const {
        calendar::Account a;
        a.name = "x";
        a.platform = Platform::x;
        a.settings["client_id"] = k_x_client_id;
        return a;
    }
    platforms::DefaultCredentialStore file_store() const {
        return platforms::DefaultCredentialStore(root(), {}, credentials_file());
    }
    // Stores a token set in the credentials file, as `auth login` would.
    void store_tokens(const platforms::oauth::TokenSet& t) const {
        auto store = file_store();
        REQUIRE(platforms::oauth::save_tokens(store, account(), t).has_value());
    }
    std::optional<std::string> stored(std::string_view kind) const {
        auto store = file_store();
        auto v = store.get(account(), kind);
        REQUIRE(v.has_value());
        return *v;
    }
};

// No token, code or secret the fake issued appears in `text`.
inline void check_no_secret(const std::string& text) {
    for (const char* marker :
         {"fake-x-access-", "fake-x-refresh-", "fake-code-", k_x_alice_token}) {
        CHECK_MESSAGE(text.find(marker) == std::string::npos, "secret in output: " << text);
    }
}

}  // namespace cmtool::test
