#pragma once
// The Mastodon adapter wired to a running fake_mastodon: workspace, account, curl transport,
// in-memory credentials, system clock and a sleeper that records waits without sleeping.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "../../lib/src/platforms/adapters.hpp"  // make_mastodon_adapter: one adapter alone
#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "memory_credentials.hpp"

namespace cmtool::test {

inline constexpr const char* k_masto_account = "shop-masto";

struct MastodonHarness {
    calendar::WorkspaceConfig ws;
    calendar::Account account;
    net::CurlTransport http;
    MemoryCredentials credentials;
    net::SystemClock clock;
    RecordingSleeper sleeper;
    platforms::AdapterContext ctx{ws, account, http, credentials, clock, sleeper};

    // An account on the instance at `base` with `token` (none when empty) and extra settings.
    MastodonHarness(const std::string& base, const std::string& token,
                    const std::map<std::string, std::string>& settings = {}) {
        account.name = k_masto_account;
        account.platform = Platform::mastodon;
        account.settings = settings;
        account.settings["instance"] = base;
        if (!token.empty()) {
            credentials.set(account.name, "token", token);
        }
    }
    MastodonHarness(const MastodonHarness&) = delete;
    MastodonHarness& operator=(const MastodonHarness&) = delete;

    // A new adapter over the same surroundings (a later run of cmtool).
    std::unique_ptr<platforms::Adapter> adapter() {
        auto made = platforms::make_mastodon_adapter(ctx);
        REQUIRE_MESSAGE(made.has_value(), (made ? std::string() : made.error().message));
        return std::move(*made);
    }
};

// A request for part `index` of a delivery, with `key` as its Idempotency-Key.
inline platforms::PublishRequest mastodon_request(const std::string& key, const std::string& text,
                                                  std::size_t index = 0) {
    using namespace std::chrono;
    platforms::PublishRequest r;
    r.key = key;
    r.part.index = index;
    r.part.text = text;
    r.scheduled_at = sys_days{year{2026} / 12 / 1} + hours{9};
    return r;
}

// When a publish starting now writes its intent: now, to the second.
inline std::chrono::sys_seconds intent_now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace cmtool::test
