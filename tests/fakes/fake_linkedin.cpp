// fake_linkedin: LinkedIn's versioned REST API on 127.0.0.1 for integration tests
// (platforms.md §3.10). One member, urn:li:person:abc123, administers urn:li:organization:5515715.
//   fake_linkedin --port 0 --token TOKEN [--token ...] [--refresh-token R] [--client-id ID]
//                 [--client-secret S] [--sunset-version 202401] [--restricted-member-posts true]
//                 [--id-header x-linkedin-id] [--daily-limit N] [--state FILE]
//                 [--max-lifetime 600] [--latency-ms 0] [--verbose]
// Prints "PORT=<n>" as its first stdout line. Faults and state through /__admin/ (fake_http.hpp,
// linkedin_routes.hpp).
#include <cstdio>
#include <string>

#include "fake_http.hpp"
#include "linkedin_routes.hpp"
#include "linkedin_state.hpp"

int main(int argc, char** argv) {
    using namespace cmtool::fakes;
    LinkedInConfig config;
    auto parsed =
        parse_common_args(argc, argv, [&](const std::string& flag, const std::string& value) {
            if (flag == "--token") {
                config.tokens.push_back(value);
            } else if (flag == "--refresh-token") {
                config.refresh_tokens.push_back(value);
            } else if (flag == "--client-id") {
                config.client_id = value;
            } else if (flag == "--client-secret") {
                config.client_secret = value;
            } else if (flag == "--sunset-version") {
                config.sunset_versions.insert(value);
            } else if (flag == "--restricted-member-posts") {
                config.restricted_member_posts = value != "false";
            } else if (flag == "--id-header") {
                config.id_header = value;
            } else if (flag == "--daily-limit") {
                config.daily_limit = std::stol(value);
            } else {
                return false;
            }
            return true;
        });
    if (auto* err = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "fake_linkedin: %s\n", err->c_str());
        return 2;
    }
    const CommonArgs args = std::get<CommonArgs>(parsed);

    LinkedInState state(config);
    FakeServer server(args.latency_ms);
    install_linkedin_routes(server, state);
    server.install_admin([&state] { state.reset(); });
    return serve(
        server, args, "fake_linkedin", [&state] { return state.dump(); },
        [&state](int port) { state.set_base("http://127.0.0.1:" + std::to_string(port)); });
}
