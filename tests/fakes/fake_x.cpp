// fake_x: an X API v2 server on 127.0.0.1 for integration tests (platforms.md §4.10).
//   fake_x --port 0 --user alice=TOKEN [--user bob=TOKEN2] [--client-id ID]
//          [--client-secret S] [--rate-limit 300] [--new-field-names] [--state FILE]
//          [--max-lifetime 600] [--latency-ms 0] [--verbose]
// Prints "PORT=<n>" as its first stdout line. Faults and state through /__admin/ (see
// fake_http.hpp and x_routes.hpp).
#include <cstdio>
#include <stdexcept>
#include <string>

#include "fake_http.hpp"
#include "x_routes.hpp"
#include "x_state.hpp"

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    XConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--user") {
                const auto eq = value.find('=');
                if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
                    throw std::invalid_argument("--user wants NAME=TOKEN");
                }
                config.users.emplace_back(value.substr(0, eq), value.substr(eq + 1));
            } else if (flag == "--client-id") {
                config.client_id = value;
            } else if (flag == "--client-secret") {
                config.client_secret = value;
            } else if (flag == "--rate-limit") {
                config.rate_limit = std::stol(value);
            } else if (flag == "--new-field-names") {
                config.new_field_names = value != "false";
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_x: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);

    XState state(config);
    FakeServer server(args.latency_ms);
    install_x_routes(server, state);
    server.install_admin([&state] { state.reset(); });
    return serve(
        server, args, "fake_x", [&state] { return state.dump(); }, [](int) {});
}
