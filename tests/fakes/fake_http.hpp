#pragma once
// Shared machinery of the fake platform servers: a cpp-httplib server on 127.0.0.1 that can
// drop or hold a connection after reading a request, fault injection and latency driven by
// /__admin/, connection statistics, command-line basics and a bounded lifetime.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "httplib_include.hpp"

namespace cmtool::fakes {

// A fault armed through POST /__admin/faults; applies to the next `count` matching requests.
struct Fault {
    std::string path;    // exact request path, or a prefix when it ends with '*'
    std::string method;  // empty: any
    std::string mode;    // "500" (any 3-digit status), "429", "hang", "reset_after_request",
                         // "malformed_json", "delay"
    int count = 1;
    int delay_ms = 0;
    std::optional<int> retry_after;    // seconds, sent as Retry-After on status faults
    std::optional<std::string> error;  // status faults: this {"error"} text instead of the
                                       // server's own answer (an API echoing what it got)
};

// True for fault modes that answer with that HTTP status ("500", "503", "429"...).
bool is_status_mode(const std::string& mode);
// Parses the admin JSON of a fault; returns an error text on failure.
std::variant<Fault, std::string> parse_fault(const nlohmann::json& j);

struct CommonArgs {
    int port = 0;
    int max_lifetime_s = 600;
    int latency_ms = 0;
    std::string state_file;
    bool verbose = false;
};

// Parses the flags every fake understands; `extra(flag, value)` gets the others and returns
// false for an unknown flag. Returns an error text on failure.
std::variant<CommonArgs, std::string> parse_common_args(
    int argc, char** argv,
    const std::function<bool(const std::string&, const std::string&)>& extra);

// Writes `body` as JSON with `status`.
void send_json(httplib::Response& res, int status, const nlohmann::json& body);

// The per-process control block: faults, latency, statistics and the stop flag.
class FakeServer : public httplib::Server {
  public:
    explicit FakeServer(int latency_ms);

    // Wraps an API handler: counts it, adds latency, applies any armed fault around it.
    httplib::Server::Handler api(httplib::Server::Handler inner);
    // How a fault of mode "429" answers (platforms differ in headers and body).
    void set_rate_limited_reply(std::function<void(const httplib::Request&, httplib::Response&)> f);
    using AdminHandler = std::function<void(const nlohmann::json& body, httplib::Response&)>;
    // Wraps an admin handler: loopback peers only, the body parsed as JSON ({} when empty).
    httplib::Server::Handler admin(AdminHandler inner) const;
    // Registers /__admin/faults, /__admin/latency, /__admin/stats (GET) and an error handler;
    // `on_reset` runs for POST /__admin/reset after the common state is cleared.
    void install_admin(std::function<void()> on_reset);
    // Binds 127.0.0.1:`port` (0: any free port), calls `on_bound(port)`, prints "PORT=<n>" on
    // stdout, serves until SIGTERM/SIGINT or `max_lifetime`, then returns 0. Returns non-zero
    // when binding fails.
    int run(int port, std::chrono::seconds max_lifetime, const std::function<void(int)>& on_bound);
    int port() const { return m_port; }
    bool stopping() const { return m_stopping.load(); }
    // Sleeps `ms`, waking early when the server stops.
    void sleep_ms(int ms) const;

  private:
    std::optional<Fault> take_fault(const httplib::Request& req);
    void count_connection(const httplib::Request& req);
    void drop_connection(const httplib::Request& req) const;
    void hold_until_client_gone(const httplib::Request& req) const;
    static bool is_loopback(const httplib::Request& req);

    std::mutex m_mutex;
    std::vector<Fault> m_faults;
    std::atomic<int> m_latency_ms;
    const int m_initial_latency_ms;
    std::set<std::pair<std::string, int>> m_peers;  // (address, port) of each API connection
    std::atomic<long> m_requests{0};
    std::atomic<bool> m_stopping{false};
    int m_port = 0;
    std::function<void(const httplib::Request&, httplib::Response&)> m_rate_limited;
};

// What both fakes' main() do once their routes are installed: log requests under --verbose,
// POST /__admin/dump (the state as JSON, also written to --state), serve until stopped, then
// write the final state to --state. `name` prefixes messages; returns the exit status.
int serve(FakeServer& server, const CommonArgs& args, const char* name,
          const std::function<nlohmann::json()>& dump, const std::function<void(int)>& on_bound);

}  // namespace cmtool::fakes
