#pragma once
// A running fake_linkedin and a workspace whose LinkedIn accounts point at it, for tests of the
// built `cmtool`: `li` posts as the organization urn:li:organization:5515715, `lime` as the
// member urn:li:person:abc123. Tokens come from the environment (CMTOOL_LI_TOKEN), or from the
// credentials file when a test stores a token set there (renewal needs a stored set).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../unit/test_support.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "cmtool_process.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

inline constexpr const char* k_li_token = "li-token-alice-fake";
inline constexpr const char* k_li_client_secret = "fake-client-secret";
inline constexpr const char* k_li_org = "urn:li:organization:5515715";

enum class LiToken { env, file, none };

struct LinkedInSandbox {
    FakeServerProcess server;
    net::CurlTransport admin_api;
    TempDir dir;
    LiToken token_mode = LiToken::env;

    LinkedInSandbox(const std::string& name, std::vector<std::string> flags = {},
                    const std::string& li_extra = {})
        : server(start(std::move(flags))), dir(name) {
        dir.write("ws/cmtool.yaml",
                  "version: 1\nbrand: Atelier Test\ntimezone: Europe/Paris\naccounts:\n"
                  "  li: {platform: linkedin, author: \"urn:li:organization:5515715\", "
                  "client_id: fake-client-id" +
                      li_extra +
                      "}\n"
                      "  lime: {platform: linkedin, author: \"urn:li:person:abc123\", "
                      "client_id: fake-client-id, timeout_ms: 1500}\n");
        std::filesystem::create_directories(root() / "media");
        std::filesystem::copy_file(
            std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg",
            root() / "media" / "lampe-laiton.jpg");
    }

    static FakeServerProcess start(std::vector<std::string> flags) {
        std::vector<std::string> args{"--token", k_li_token, "--max-lifetime", "300"};
        args.insert(args.end(), flags.begin(), flags.end());
        auto s = FakeServerProcess::start(CMTOOL_FAKE_LINKEDIN, args);
        REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message));
        return std::move(*s);
    }

    std::filesystem::path root() const { return dir.path() / "ws"; }
    std::filesystem::path credentials() const {
        return dir.path() / "config" / "cmtool" / "credentials.json";
    }
    void write_calendar(const std::string& yaml) const {
        dir.write("ws/calendar/posts.yaml", yaml);
    }

    // Stores a token set for `account` in the credentials file (0600) and switches to it.
    void store_tokens(const std::string& account, const nlohmann::json& kinds) {
        nlohmann::json doc = {{"version", 1}};
        if (std::filesystem::exists(credentials())) {
            std::ifstream in(credentials());
            doc = nlohmann::json::parse(in);
        }
        const std::string key = std::filesystem::absolute(root()).lexically_normal().string();
        doc["workspaces"][key][account] = kinds;
        std::filesystem::create_directories(credentials().parent_path());
        std::ofstream(credentials()) << doc.dump(2);
        std::filesystem::permissions(
            credentials(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
            std::filesystem::perm_options::replace);
        token_mode = LiToken::file;
    }
    nlohmann::json stored(const std::string& account) const {
        std::ifstream in(credentials());
        const auto doc = nlohmann::json::parse(in);
        const std::string key = std::filesystem::absolute(root()).lexically_normal().string();
        return doc["workspaces"][key].value(account, nlohmann::json::object());
    }

    std::vector<std::string> env() const {
        std::vector<std::string> e = {
            "CMTOOL_LI_API=" + server.base_url(), "CMTOOL_LIME_API=" + server.base_url(),
            "XDG_CONFIG_HOME=" + (dir.path() / "config").string(),
            std::string("CMTOOL_LI_CLIENT_SECRET=") + k_li_client_secret,
            std::string("CMTOOL_LIME_CLIENT_SECRET=") + k_li_client_secret};
        if (token_mode == LiToken::env) {
            e.push_back(std::string("CMTOOL_LI_TOKEN=") + k_li_token);
            e.push_back(std::string("CMTOOL_LIME_TOKEN=") + k_li_token);
        }
        return e;
    }

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"-C", root().string()});
        return run_cmtool(args, {}, env());
    }
    std::unique_ptr<CmtoolProcess> start_cmtool(std::vector<std::string> args,
                                                const std::string& log_name) const {
        args.insert(args.begin(), {"-C", root().string()});
        return std::make_unique<CmtoolProcess>(args, env(), dir.path() / "logs" / log_name);
    }

    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = {}) {
        net::HttpRequest r;
        r.method = method;
        r.url = server.base_url() + path;
        if (!body.is_null()) {
            net::set_json_body(r, body.dump());
        }
        auto res = admin_api.send(r);
        REQUIRE(res.has_value());
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return nlohmann::json::parse(res->body);
    }
    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }
    // The fake's posts that were not deleted, oldest first.
    nlohmann::json posts() {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : admin("GET", "/__admin/posts")) {
            if (!p.value("deleted", false)) {
                out.push_back(p);
            }
        }
        return out;
    }
    long requests() { return admin("GET", "/__admin/stats")["requests"].get<long>(); }
    void reset() {
        admin("POST", "/__admin/reset");
        std::filesystem::remove_all(root() / ".cmtool");
    }
};

// `text` never shows a token of the sandbox.
inline bool shows_no_token(const std::string& text) {
    return text.find(k_li_token) == std::string::npos &&
           text.find("li-access-") == std::string::npos &&
           text.find("li-refresh-") == std::string::npos &&
           text.find(k_li_client_secret) == std::string::npos;
}

}  // namespace cmtool::test
