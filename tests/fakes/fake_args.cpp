// Command-line and admin-request parsing shared by the fake servers.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "fake_http.hpp"

namespace cmtool::fakes {

bool is_status_mode(const std::string& mode) {
    return mode.size() == 3 && mode.find_first_not_of("0123456789") == std::string::npos &&
           mode[0] >= '1' && mode[0] <= '5';
}

std::variant<Fault, std::string> parse_fault(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("mode") || !j["mode"].is_string()) {
        return std::string("a fault needs a string \"mode\"");
    }
    Fault f;
    f.mode = j["mode"].get<std::string>();
    f.path = j.value("path", std::string("*"));
    f.method = j.value("method", std::string());
    f.count = j.value("count", 1);
    f.delay_ms = j.value("delay_ms", 0);
    if (j.contains("retry_after")) {
        f.retry_after = j["retry_after"].get<int>();
    }
    if (j.contains("error") && j["error"].is_string()) {
        f.error = j["error"].get<std::string>();
    }
    static const std::vector<std::string> k_modes{"hang", "reset_after_request", "malformed_json",
                                                  "delay"};
    if (!is_status_mode(f.mode) &&
        std::find(k_modes.begin(), k_modes.end(), f.mode) == k_modes.end()) {
        return "unknown fault mode: " + f.mode;
    }
    return f;
}

std::variant<CommonArgs, std::string> parse_common_args(
    int argc, char** argv,
    const std::function<bool(const std::string&, const std::string&)>& extra) {
    CommonArgs args;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        std::string value;
        if (const auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag.resize(eq);
        } else if (flag != "--verbose" && i + 1 < argc) {
            value = argv[++i];
        }
        try {
            if (flag == "--port") {
                args.port = std::stoi(value);
            } else if (flag == "--max-lifetime") {
                args.max_lifetime_s = std::stoi(value);
            } else if (flag == "--latency-ms") {
                args.latency_ms = std::stoi(value);
            } else if (flag == "--state") {
                args.state_file = value;
            } else if (flag == "--verbose") {
                args.verbose = true;
            } else if (!extra(flag, value)) {
                return "unknown flag " + flag;
            }
        } catch (const std::exception&) {
            return "bad value for " + flag + ": " + value;
        }
    }
    return args;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json; charset=utf-8");
}
namespace {

bool write_state(const std::string& path, const nlohmann::json& dump) {
    std::ofstream out(path, std::ios::trunc);
    out << dump.dump(2) << '\n';
    return static_cast<bool>(out);
}

}  // namespace

int serve(FakeServer& server, const CommonArgs& args, const char* name,
          const std::function<nlohmann::json()>& dump, const std::function<void(int)>& on_bound) {
    if (args.verbose) {
        server.set_logger([name](const httplib::Request& req, const httplib::Response& res) {
            std::fprintf(stderr, "%s: %s %s -> %d\n", name, req.method.c_str(), req.path.c_str(),
                         res.status);
        });
    }
    server.Post("/__admin/dump", server.admin([&](const nlohmann::json&, httplib::Response& res) {
        const auto state = dump();
        if (!args.state_file.empty() && !write_state(args.state_file, state)) {
            send_json(res, 500, {{"error", "cannot write " + args.state_file}});
            return;
        }
        send_json(res, 200, state);
    }));
    const int rc = server.run(args.port, std::chrono::seconds(args.max_lifetime_s), on_bound);
    if (rc == 0 && !args.state_file.empty() && !write_state(args.state_file, dump())) {
        std::fprintf(stderr, "%s: cannot write %s\n", name, args.state_file.c_str());
        return 1;
    }
    return rc;
}

}  // namespace cmtool::fakes
