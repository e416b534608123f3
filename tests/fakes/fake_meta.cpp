// fake_meta: Meta's Graph API (Facebook Pages, Instagram, Threads) on 127.0.0.1 for integration
// tests (platforms.md §5.4).
//   fake_meta --port 0 --token TOKEN [--token TOKEN2] [--container-polls 0] [--state FILE]
//             [--max-lifetime 600] [--latency-ms 0] [--verbose]
// Page 1001, IG user 17841400000000001, Threads user 2002; app secret fake-meta-app-secret.
// Prints "PORT=<n>" as its first stdout line. Faults through /__admin/ (fake_http.hpp,
// meta_routes.hpp).
#include <cstdio>
#include <stdexcept>
#include <string>

#include "fake_http.hpp"
#include "meta_routes.hpp"
#include "meta_state.hpp"

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    MetaConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--token") {
                config.tokens.insert(value);
            } else if (flag == "--container-polls") {
                config.container_polls = std::stoi(value);
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_meta: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);
    MetaState state(config);
    FakeServer server(args.latency_ms);
    server.install_admin([&state] { state.reset(); });
    install_meta_routes(server, state, config);
    return serve(
        server, args, "fake_meta", [&state] { return state.dump(); }, [](int) {});
}
