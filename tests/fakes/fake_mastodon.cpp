// fake_mastodon: a Mastodon API server on 127.0.0.1 for integration tests (platforms.md §1.10).
//   fake_mastodon --port 0 --token alice=TOKEN [--token bob=TOKEN2] [--state FILE]
//                 [--max-lifetime 600] [--latency-ms 0] [--rate-limit 300] [--media-polls 2]
//                 [--max-characters 500] [--verbose]
// Prints "PORT=<n>" as its first stdout line. Faults and state through /__admin/ (see
// fake_http.hpp and mastodon_routes.hpp).
#include <cstdio>
#include <string>

#include "fake_http.hpp"
#include "mastodon_routes.hpp"
#include "mastodon_state.hpp"

namespace {}  // namespace

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    MastodonConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--token") {
                const auto eq = value.find('=');
                if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
                    throw std::invalid_argument("--token wants NAME=TOKEN");
                }
                config.tokens.emplace_back(value.substr(0, eq), value.substr(eq + 1));
            } else if (flag == "--rate-limit") {
                config.rate_limit = std::stol(value);
            } else if (flag == "--media-polls") {
                config.media_polls = std::stoi(value);
            } else if (flag == "--max-characters") {
                config.max_characters = std::stoul(value);
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_mastodon: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);

    MastodonState state(config);
    FakeServer server(args.latency_ms);
    install_mastodon_routes(server, state);
    server.install_admin([&state] { state.reset(); });
    return serve(
        server, args, "fake_mastodon", [&state] { return state.dump(); },
        [&state](int port) { state.set_base("http://127.0.0.1:" + std::to_string(port)); });
}
