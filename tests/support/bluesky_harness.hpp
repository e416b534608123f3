#pragma once
// The Bluesky adapter wired to a running fake_bluesky (or to any PDS URL): workspace, account,
// curl transport, in-memory credentials, system clock and a sleeper that records waits.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

#include "../../lib/src/platforms/adapters.hpp"  // make_bluesky_adapter: one adapter alone
#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/platforms/tid.hpp"
#include "memory_credentials.hpp"

namespace cmtool::test {

struct BlueskyHarness {
    calendar::WorkspaceConfig ws;
    calendar::Account account;
    net::CurlTransport http;
    MemoryCredentials credentials;
    net::SystemClock clock;
    RecordingSleeper sleeper;
    platforms::AdapterContext ctx{ws, account, http, credentials, clock, sleeper};

    BlueskyHarness(const std::string& api, const std::string& handle,
                   const std::string& app_password) {
        account.name = "shop-bsky";
        account.platform = Platform::bluesky;
        account.settings = {{"handle", handle}, {"api", api}};
        if (!app_password.empty()) {
            credentials.set(account.name, "app_password", app_password);
        }
    }
    BlueskyHarness(const BlueskyHarness&) = delete;
    BlueskyHarness& operator=(const BlueskyHarness&) = delete;

    // A new adapter over the same surroundings (a later run of cmtool, same credentials file).
    std::unique_ptr<platforms::Adapter> adapter() {
        auto made = platforms::make_bluesky_adapter(ctx);
        REQUIRE_MESSAGE(made.has_value(), (made ? std::string() : made.error().message));
        return std::move(*made);
    }
};

// A request for part `index` of a delivery; scheduled on a fixed second so keys are stable.
inline platforms::PublishRequest bluesky_request(const std::string& key, const std::string& text,
                                                 std::size_t index = 0) {
    using namespace std::chrono;
    platforms::PublishRequest r;
    r.key = key;
    r.part.index = index;
    r.part.text = text;
    r.scheduled_at = sys_days{year{2026} / 12 / 1} + hours{9};
    r.langs = {"fr"};
    return r;
}

inline std::string bluesky_rkey(const platforms::PublishRequest& r) {
    return platforms::record_key_tid(r.key, r.scheduled_at, r.part.index);
}

}  // namespace cmtool::test
