#pragma once
// A running fake_bluesky plus a CurlTransport for its admin API, for integration tests.
// Accounts: alice.test and bob.test with obviously fake app passwords.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cmtool/net/curl_transport.hpp"
#include "fake_server.hpp"

namespace cmtool::test {

inline constexpr const char* k_alice_app_password = "fake-alice-app-password";
inline constexpr const char* k_bob_app_password = "fake-bob-app-password";

struct FakeBluesky {
    FakeServerProcess server;
    net::CurlTransport admin_api;

    std::string url(const std::string& path = {}) const { return server.base_url() + path; }

    // Calls /__admin/...; requires a 200 and returns the parsed body.
    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nlohmann::json::object()) {
        net::HttpRequest r;
        r.method = method;
        r.url = url(path);
        if (method != "GET") {
            net::set_json_body(r, body.dump());
        }
        auto res = admin_api.send(r);
        REQUIRE(res.has_value());
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return nlohmann::json::parse(res->body);
    }

    // Arms a fault, e.g. {"path":"/xrpc/com.atproto.repo.createRecord","mode":"500"}.
    void arm(const nlohmann::json& fault) { admin("POST", "/__admin/faults", fault); }

    nlohmann::json records() { return admin("GET", "/__admin/records"); }

    // The records whose text is exactly `text`.
    std::vector<nlohmann::json> records_with_text(const std::string& text) {
        std::vector<nlohmann::json> out;
        for (const auto& r : records()) {
            if (r["value"].value("text", "") == text) {
                out.push_back(r);
            }
        }
        return out;
    }

    // The fake's view of an account: did, handle, sessions_created, refreshes.
    nlohmann::json account(const std::string& handle) {
        for (const auto& a : admin("GET", "/__admin/accounts")) {
            if (a["handle"] == handle) {
                return a;
            }
        }
        FAIL("no account " << handle);
        return {};
    }
};

// Starts fake_bluesky (path from CMTOOL_FAKE_BLUESKY) with alice.test and bob.test, strict
// facet checks, plus `extra` flags.
inline FakeBluesky start_fake_bluesky(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "--account",      std::string("alice.test:") + k_alice_app_password,
        "--account",      std::string("bob.test:") + k_bob_app_password,
        "--facets",       "strict",
        "--max-lifetime", "120"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = FakeServerProcess::start(CMTOOL_FAKE_BLUESKY, args);
    REQUIRE_MESSAGE(server.has_value(), (server ? std::string() : server.error().message));
    return FakeBluesky{std::move(*server), net::CurlTransport{}};
}

}  // namespace cmtool::test
