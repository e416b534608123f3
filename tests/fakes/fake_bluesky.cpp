// fake_bluesky: a Bluesky PDS + AppView on 127.0.0.1 for integration tests (platforms.md §2.11).
//   fake_bluesky --port 0 [--account HANDLE:APP_PASSWORD[:DID]]... [--access-ttl 7200]
//                [--facets lenient|strict] [--search-auth optional|required]
//                [--rate-limit 3000] [--session-limit 30] [--state FILE]
//                [--max-lifetime 600] [--latency-ms 0] [--verbose]
// Without --account: alice.test:alice-app-password and bob.test:bob-app-password.
// Prints "PORT=<n>" as its first stdout line. Faults through /__admin/faults (fake_http.hpp),
// the rest of /__admin/ in bluesky_routes.hpp.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "bluesky_routes.hpp"
#include "bluesky_state.hpp"
#include "fake_http.hpp"

namespace {

using cmtool::fakes::BlueskyConfig;

BlueskyConfig::AccountSpec parse_account(const std::string& value) {
    const auto first = value.find(':');
    if (first == std::string::npos || first == 0 || first + 1 == value.size()) {
        throw std::invalid_argument("--account wants HANDLE:APP_PASSWORD[:DID]");
    }
    const auto second = value.find(':', first + 1);
    BlueskyConfig::AccountSpec spec{value.substr(0, first), value.substr(first + 1), {}};
    if (second != std::string::npos && value.compare(second + 1, 4, "did:") == 0) {
        spec.password = value.substr(first + 1, second - first - 1);
        spec.did = value.substr(second + 1);
    }
    return spec;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    BlueskyConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--account") {
                config.accounts.push_back(parse_account(value));
            } else if (flag == "--access-ttl") {
                config.access_ttl_s = std::stoi(value);
            } else if (flag == "--facets" && (value == "strict" || value == "lenient")) {
                config.strict_facets = value == "strict";
            } else if (flag == "--search-auth" && (value == "required" || value == "optional")) {
                config.search_auth_required = value == "required";
            } else if (flag == "--rate-limit") {
                config.rate_limit = std::stol(value);
            } else if (flag == "--session-limit") {
                config.session_limit = std::stol(value);
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_bluesky: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);
    if (config.accounts.empty()) {
        config.accounts = {{"alice.test", "alice-app-password", {}},
                           {"bob.test", "bob-app-password", {}}};
    }

    BlueskyState state(config);
    FakeServer server(args.latency_ms);
    install_bluesky_routes(server, state);
    server.install_admin([&state] { state.reset(); });
    return serve(
        server, args, "fake_bluesky", [&state] { return state.dump(); }, [](int) {});
}
