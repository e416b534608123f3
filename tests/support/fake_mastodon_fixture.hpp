#pragma once
// A running fake_mastodon plus CurlTransports to talk to it, for integration tests.
// Accounts: alice (k_alice_token) and bob (k_bob_token); tokens are obviously fake.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cmtool/net/curl_transport.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

inline constexpr const char* k_alice_token = "fake-token-alice";
inline constexpr const char* k_bob_token = "fake-token-bob";

struct FakeMastodon {
    FakeServerProcess server;
    net::CurlTransport api;
    net::CurlTransport admin_api;  // its own connections, so the fake's API statistics stay exact

    std::string url(const std::string& path) const { return server.base_url() + path; }

    // A request to `path` carrying alice's token (or `token`).
    net::HttpRequest request(std::string method, const std::string& path,
                             const std::string& token = k_alice_token) const {
        net::HttpRequest r;
        r.method = std::move(method);
        r.url = url(path);
        r.headers = {{"Authorization", "Bearer " + token}};
        return r;
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
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }

    // Arms a fault, e.g. {"path":"/api/v1/statuses","method":"POST","mode":"hang"}.
    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }

    // How many statuses (deleted or not) the fake holds with exactly this text.
    std::size_t count_statuses(const std::string& text) {
        std::size_t n = 0;
        for (const auto& s : admin("GET", "/__admin/statuses")) {
            n += s["text"] == text ? 1U : 0U;
        }
        return n;
    }
};

// Starts fake_mastodon (path from CMTOOL_FAKE_MASTODON) with alice and bob plus `extra` flags.
inline FakeMastodon start_fake_mastodon(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--token",        std::string("alice=") + k_alice_token,
                                  "--token",        std::string("bob=") + k_bob_token,
                                  "--max-lifetime", "120"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = FakeServerProcess::start(CMTOOL_FAKE_MASTODON, args);
    REQUIRE_MESSAGE(server.has_value(), (server ? std::string() : server.error().message));
    return FakeMastodon{std::move(*server), net::CurlTransport{}, net::CurlTransport{}};
}

}  // namespace cmtool::test
