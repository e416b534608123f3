// The loopback redirect listener of `auth login` (loopback.hpp).
#include "cmtool/platforms/loopback.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "cmtool/util/encoding.hpp"

namespace cmtool::platforms {

namespace {

constexpr std::size_t k_max_request = 16 * 1024;  // a GET with a code fits easily
constexpr int k_slice_ms = 200;                   // how often the stop flag is looked at
// How long one connection may take to send its request head. Browsers open speculative
// connections that send nothing: one of them accepted first must not hold the real redirect
// back in the listen queue until the login's deadline.
constexpr std::chrono::milliseconds k_request_wait{2000};

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            return;  // the browser went away: nothing more to tell it
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

LoopbackListener::Query parse_query(std::string_view text) {
    LoopbackListener::Query q;
    const auto mark = text.find('?');
    if (mark != std::string_view::npos) {
        text.remove_prefix(mark + 1);
    } else if (text.find('=') == std::string_view::npos) {
        return q;
    }
    if (const auto hash = text.find('#'); hash != std::string_view::npos) {
        text = text.substr(0, hash);
    }
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        const auto eq = pair.find('=');
        if (!pair.empty()) {
            q[percent_decode(pair.substr(0, eq))] =
                eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        text.remove_prefix(amp + 1);
    }
    return q;
}

Result<LoopbackListener> LoopbackListener::open(int port) {
    if (port < 0 || port > 65535) {
        return fail(ErrorCode::usage,
                    fmt::format("the redirect port must be 0-65535, not {}", port));
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return fail(ErrorCode::io, std::string("cannot open a socket: ") + std::strerror(errno));
    }
    const int yes = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never another interface
    if (::bind(fd, static_cast<sockaddr*>(static_cast<void*>(&addr)), sizeof addr) != 0 ||
        ::listen(fd, 4) != 0) {
        const int err = errno;
        ::close(fd);
        return fail(ErrorCode::io,
                    fmt::format("cannot listen on 127.0.0.1:{}: {}", port, std::strerror(err)),
                    "another program uses that port: choose another with --port (and register "
                    "that redirect URI in the app), or log in with --no-listen");
    }
    socklen_t len = sizeof addr;
    (void)::getsockname(fd, static_cast<sockaddr*>(static_cast<void*>(&addr)), &len);
    return LoopbackListener(fd, ntohs(addr.sin_port));
}

LoopbackListener::LoopbackListener(LoopbackListener&& other) noexcept
    : m_fd(other.m_fd), m_client(other.m_client), m_port(other.m_port) {
    other.m_fd = -1;
    other.m_client = -1;
}

LoopbackListener& LoopbackListener::operator=(LoopbackListener&& other) noexcept {
    if (this != &other) {
        close_client();
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        m_client = other.m_client;
        m_port = other.m_port;
        other.m_fd = -1;
        other.m_client = -1;
    }
    return *this;
}

LoopbackListener::~LoopbackListener() {
    close_client();
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void LoopbackListener::close_client() {
    if (m_client >= 0) {
        ::close(m_client);
        m_client = -1;
    }
}

Result<LoopbackListener::Query> LoopbackListener::wait_for(std::string_view path,
                                                           std::chrono::milliseconds timeout,
                                                           const std::atomic<bool>* stop) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    close_client();
    while (true) {
        if (stop != nullptr && stop->load()) {
            return fail(ErrorCode::interrupted, "interrupted while waiting for the browser");
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) {
            return fail(
                ErrorCode::unavailable,
                fmt::format("no answer from the browser within {} s",
                            std::chrono::duration_cast<std::chrono::seconds>(timeout).count()),
                "log in again (--timeout gives more time), or use --no-listen and paste "
                "the address the browser ends on");
        }
        pollfd p{m_fd, POLLIN, 0};
        const int ready =
            ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), k_slice_ms)));
        if (ready < 0 && errno != EINTR) {
            return fail(ErrorCode::io,
                        std::string("waiting for the browser: ") + std::strerror(errno));
        }
        if (ready <= 0) {
            continue;
        }
        m_client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (m_client < 0) {
            continue;
        }
        // Read the request head, bounded by k_request_wait, the deadline and the size limit.
        const auto given_up_at = std::min(deadline, clock::now() + k_request_wait);
        std::string head;
        char buf[2048];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < k_max_request) {
            if (stop != nullptr && stop->load()) {
                close_client();
                return fail(ErrorCode::interrupted, "interrupted while waiting for the browser");
            }
            pollfd c{m_client, POLLIN, 0};
            const auto rest =
                std::chrono::duration_cast<std::chrono::milliseconds>(given_up_at - clock::now());
            if (rest.count() <= 0 ||
                ::poll(&c, 1, static_cast<int>(std::min<long long>(rest.count(), k_slice_ms))) <
                    0) {
                break;
            }
            if ((c.revents & POLLIN) == 0) {
                continue;
            }
            const ssize_t n = ::recv(m_client, buf, sizeof buf, 0);
            if (n <= 0) {
                break;
            }
            head.append(buf, static_cast<std::size_t>(n));
        }
        if (head.empty()) {
            close_client();  // a connection that said nothing: wait for the next one
            continue;
        }
        // "GET /callback?code=...&state=... HTTP/1.1"
        const auto line_end = head.find("\r\n");
        const std::string line = head.substr(0, line_end);
        const auto sp1 = line.find(' ');
        const auto sp2 = line.find(' ', sp1 == std::string::npos ? 0 : sp1 + 1);
        if (line_end == std::string::npos || sp1 == std::string::npos || sp2 == std::string::npos ||
            line.substr(0, sp1) != "GET") {
            respond(400, "Bad request", "cmtool expected the redirect of a browser here.");
            continue;
        }
        const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        const std::string target_path = target.substr(0, target.find('?'));
        if (target_path != path) {
            respond(404, "Not found", "This is cmtool's login redirect; nothing else is here.");
            continue;
        }
        return parse_query(target);
    }
}

void LoopbackListener::respond(int status, std::string_view title, std::string_view message) {
    if (m_client < 0) {
        return;
    }
    const std::string body = fmt::format(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>cmtool: {0}</title>"
        "</head><body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">"
        "<h1>{0}</h1><p>{1}</p></body></html>\n",
        util::html_escape(title), util::html_escape(message));
    const char* reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
    write_all(m_client, fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/html; charset=utf-8\r\n"
                                    "Content-Length: {}\r\nCache-Control: no-store\r\n"
                                    "Connection: close\r\n\r\n{}",
                                    status, reason, body.size(), body));
    close_client();
}

}  // namespace cmtool::platforms
