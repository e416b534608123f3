#include "fake_http.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <thread>

namespace cmtool::fakes {
namespace {

std::atomic<bool> g_signalled{false};  // set by SIGTERM/SIGINT; read by the watcher thread

extern "C" void on_signal(int /*sig*/) {
    g_signalled.store(true);
}

// Calls fn(fd, peer, local) for each connected IPv4 socket of this process until it returns
// true. cpp-httplib does not hand sockets to handlers, so we find them among our descriptors.
template <class Fn>
int find_connected_socket(Fn fn) {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        return -1;
    }
    int found = -1;
    while (const dirent* entry = ::readdir(dir)) {
        const int fd = std::atoi(entry->d_name);
        sockaddr_in peer{};
        sockaddr_in local{};
        socklen_t peer_len = sizeof peer;
        socklen_t local_len = sizeof local;
        if (entry->d_name[0] == '.' || fd == ::dirfd(dir) ||
            ::getpeername(fd, static_cast<sockaddr*>(static_cast<void*>(&peer)), &peer_len) != 0 ||
            ::getsockname(fd, static_cast<sockaddr*>(static_cast<void*>(&local)), &local_len) !=
                0 ||
            peer.sin_family != AF_INET) {
            continue;
        }
        if (fn(fd, peer, local)) {
            found = fd;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

// The socket of the connection `req` arrived on.
int socket_of(const httplib::Request& req) {
    return find_connected_socket([&](int, const sockaddr_in& peer, const sockaddr_in& local) {
        return ntohs(peer.sin_port) == req.remote_port && ntohs(local.sin_port) == req.local_port;
    });
}

// Ends every client connection, so keep-alive waits (which only check for shutdown between
// requests) return at once instead of after the keep-alive timeout.
void shutdown_client_sockets() {
    find_connected_socket([](int fd, const sockaddr_in&, const sockaddr_in&) {
        ::shutdown(fd, SHUT_RDWR);
        return false;
    });
}

}  // namespace

FakeServer::FakeServer(int latency_ms)
    : m_latency_ms(latency_ms), m_initial_latency_ms(latency_ms) {
    set_tcp_nodelay(true);
    new_task_queue = [] { return new httplib::ThreadPool(CPPHTTPLIB_THREAD_POOL_COUNT); };
    set_keep_alive_max_count(1000);  // like nginx's keepalive_requests default
    set_keep_alive_timeout(10);
}

void FakeServer::count_connection(const httplib::Request& req) {
    std::lock_guard lock(m_mutex);
    m_peers.emplace(req.remote_addr, req.remote_port);
}

void FakeServer::sleep_ms(int ms) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stopping() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::optional<Fault> FakeServer::take_fault(const httplib::Request& req) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_faults.begin(); it != m_faults.end(); ++it) {
        const bool prefix = !it->path.empty() && it->path.back() == '*';
        const bool path_ok = prefix ? req.path.starts_with(it->path.substr(0, it->path.size() - 1))
                                    : req.path == it->path;
        if (path_ok && (it->method.empty() || it->method == req.method)) {
            Fault f = *it;
            if (--it->count <= 0) {
                m_faults.erase(it);
            }
            return f;
        }
    }
    return std::nullopt;
}

void FakeServer::drop_connection(const httplib::Request& req) const {
    // A FIN with no byte of response: the client sees an empty reply after sending it all.
    if (const int fd = socket_of(req); fd >= 0) {
        ::shutdown(fd, SHUT_RDWR);
    }
}

void FakeServer::hold_until_client_gone(const httplib::Request& req) const {
    const int fd = socket_of(req);
    if (fd < 0) {
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    while (!stopping() && std::chrono::steady_clock::now() < deadline) {
        p.revents = 0;
        if (::poll(&p, 1, 20) <= 0) {
            continue;
        }
        if ((p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) {
            return;
        }
        char c = 0;
        if (::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // unread pipelined data
    }
}

bool FakeServer::is_loopback(const httplib::Request& req) {
    return req.remote_addr.starts_with("127.") || req.remote_addr == "::1";
}

void FakeServer::set_rate_limited_reply(
    std::function<void(const httplib::Request&, httplib::Response&)> f) {
    m_rate_limited = std::move(f);
}

httplib::Server::Handler FakeServer::api(httplib::Server::Handler inner) {
    return [this, inner = std::move(inner)](const httplib::Request& req, httplib::Response& res) {
        count_connection(req);
        ++m_requests;
        if (const int latency = m_latency_ms.load(); latency > 0) {
            sleep_ms(latency);
        }
        const auto fault = take_fault(req);
        if (fault && (is_status_mode(fault->mode))) {
            const int status = std::stoi(fault->mode);
            if (fault->error) {
                send_json(res, status, {{"error", *fault->error}});
            } else if (fault->mode == "429" && m_rate_limited) {
                m_rate_limited(req, res);
            } else {
                send_json(
                    res, status,
                    {{"error", status == 429 ? "Too many requests" : "Injected server error"}});
            }
            if (fault->retry_after) {
                res.set_header("Retry-After", std::to_string(*fault->retry_after));
            }
            return;
        }
        if (fault && fault->mode == "delay") {
            sleep_ms(fault->delay_ms);
        }
        inner(req, res);
        if (!fault) {
            return;
        }
        if (fault->mode == "reset_after_request") {
            drop_connection(req);
        } else if (fault->mode == "hang") {
            hold_until_client_gone(req);
            drop_connection(req);
        } else if (fault->mode == "malformed_json") {
            res.body = res.body.size() > 2 ? res.body.substr(0, res.body.size() / 2) : "{\"id\":";
        }
    };
}

httplib::Server::Handler FakeServer::admin(AdminHandler inner) const {
    return [inner = std::move(inner)](const httplib::Request& req, httplib::Response& res) {
        if (!is_loopback(req)) {
            send_json(res, 403, {{"error", "admin API is loopback-only"}});
            return;
        }
        nlohmann::json body = nlohmann::json::object();
        if (!req.body.empty()) {
            body = nlohmann::json::parse(req.body, nullptr, false);
            if (body.is_discarded()) {
                send_json(res, 400, {{"error", "admin body is not JSON"}});
                return;
            }
        }
        try {
            inner(body, res);
        } catch (const nlohmann::json::exception& e) {
            send_json(res, 400, {{"error", std::string("bad admin request: ") + e.what()}});
        }
    };
}

void FakeServer::install_admin(std::function<void()> on_reset) {
    Post("/__admin/faults", admin([this](const nlohmann::json& body, httplib::Response& res) {
             auto parsed = parse_fault(body);
             if (auto* err = std::get_if<std::string>(&parsed)) {
                 send_json(res, 400, {{"error", *err}});
                 return;
             }
             std::lock_guard lock(m_mutex);
             m_faults.push_back(std::get<Fault>(parsed));
             send_json(res, 200, {{"armed", m_faults.size()}});
         }));
    Delete("/__admin/faults", admin([this](const nlohmann::json&, httplib::Response& res) {
               std::lock_guard lock(m_mutex);
               m_faults.clear();
               send_json(res, 200, {{"armed", 0}});
           }));
    Post("/__admin/latency", admin([this](const nlohmann::json& body, httplib::Response& res) {
             m_latency_ms = body.value("ms", 0);
             send_json(res, 200, {{"latency_ms", m_latency_ms.load()}});
         }));
    Get("/__admin/stats", admin([this](const nlohmann::json&, httplib::Response& res) {
            std::lock_guard lock(m_mutex);
            send_json(res, 200, {{"connections", m_peers.size()}, {"requests", m_requests.load()}});
        }));
    Post("/__admin/reset", admin([this, on_reset = std::move(on_reset)](const nlohmann::json&,
                                                                        httplib::Response& res) {
             {
                 std::lock_guard lock(m_mutex);
                 m_faults.clear();
                 m_peers.clear();
             }
             m_latency_ms = m_initial_latency_ms;
             m_requests = 0;
             on_reset();
             send_json(res, 200, {{"reset", true}});
         }));
    set_error_handler(HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) {
            return HandlerResponse::Unhandled;
        }
        send_json(res, res.status, {{"error", res.status == 404 ? "Not found" : "Error"}});
        return HandlerResponse::Handled;
    }));
}

int FakeServer::run(int port, std::chrono::seconds max_lifetime,
                    const std::function<void(int)>& on_bound) {
    std::signal(SIGPIPE, SIG_IGN);  // writes to dropped connections must not kill the fake
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    m_port =
        port == 0 ? bind_to_any_port("127.0.0.1") : (bind_to_port("127.0.0.1", port) ? port : -1);
    if (m_port <= 0) {
        std::fprintf(stderr, "fake: cannot bind 127.0.0.1:%d\n", port);
        return 1;
    }
    on_bound(m_port);
    std::printf("PORT=%d\n", m_port);
    std::fflush(stdout);
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        const auto deadline = std::chrono::steady_clock::now() + max_lifetime;
        while (!done && !g_signalled && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        m_stopping = true;
        stop();
        shutdown_client_sockets();
        // Bounded shutdown: if a worker does not finish, leave anyway.
        const auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!done && std::chrono::steady_clock::now() < grace) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            stop();  // in case the signal came before listen_after_bind started
            shutdown_client_sockets();
        }
        if (!done) {
            std::fprintf(stderr, "fake: workers did not stop; exiting\n");
            std::_Exit(3);
        }
    });
    listen_after_bind();
    done = true;
    watcher.join();
    return 0;
}

}  // namespace cmtool::fakes
