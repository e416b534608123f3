// Loopback feed/webhook and SMTP servers for watch tests (loopback_servers.hpp).
#include "loopback_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "httplib_include.hpp"

namespace cmtool::test {

LoopbackHttp::LoopbackHttp() : m_server(std::make_unique<httplib::Server>()) {
    m_server->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        Hit hit{"GET", req.path, "", req.get_header_value("If-None-Match"), 404};
        const auto it = m_feeds.find(req.path);
        if (it != m_feeds.end()) {
            if (!it->second.second.empty() && hit.if_none_match == it->second.second) {
                res.status = 304;
            } else {
                res.status = 200;
                res.set_header("ETag", it->second.second);
                res.set_header("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT");
                res.set_content(it->second.first, m_types[req.path]);
            }
            if (!it->second.second.empty()) {
                res.set_header("ETag", it->second.second);
            }
        } else {
            res.status = 404;
        }
        hit.status = res.status;
        m_hits.push_back(hit);
    });
    m_server->Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        if (m_fail_count > 0) {
            --m_fail_count;
            res.status = m_fail_status;
            res.set_header("Retry-After", "0");
        } else {
            res.status = 200;
            res.set_content("ok", "text/plain");
        }
        m_hits.push_back({"POST", req.path, req.body, "", res.status});
    });
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw std::runtime_error("cannot bind the loopback HTTP server");
    }
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // bind_to_any_port already listens: early connections wait in the backlog.
}

LoopbackHttp::~LoopbackHttp() {
    m_server->stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::string LoopbackHttp::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void LoopbackHttp::serve(const std::string& path, std::string body, std::string etag,
                         std::string content_type) {
    std::lock_guard lock(m_mutex);
    m_feeds[path] = {std::move(body), std::move(etag)};
    m_types[path] = std::move(content_type);
}

void LoopbackHttp::fail_webhooks(int status, int count) {
    std::lock_guard lock(m_mutex);
    m_fail_status = status;
    m_fail_count = count;
}

std::vector<LoopbackHttp::Hit> LoopbackHttp::hits() const {
    std::lock_guard lock(m_mutex);
    return m_hits;
}

std::vector<std::string> LoopbackHttp::received(const std::string& path) const {
    std::vector<std::string> out;
    for (const auto& h : hits()) {
        if (h.method == "POST" && h.path == path && h.status < 300) {
            out.push_back(h.body);
        }
    }
    return out;
}

namespace {

bool send_all(int fd, const std::string& s) {
    std::size_t sent = 0;
    while (sent < s.size()) {
        const auto n = ::send(fd, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// One CRLF-terminated line from fd (buffered in `buf`); false when the peer went away.
bool read_line(int fd, std::string& buf, std::string& line) {
    while (true) {
        const auto crlf = buf.find("\r\n");
        if (crlf != std::string::npos) {
            line = buf.substr(0, crlf);
            buf.erase(0, crlf + 2);
            return true;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) {
            return false;
        }
        char chunk[4096];
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return false;
        }
        buf.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string address_of(const std::string& line) {
    const auto open = line.find('<');
    const auto close = line.find('>', open);
    return open == std::string::npos || close == std::string::npos
               ? std::string()
               : line.substr(open + 1, close - open - 1);
}

}  // namespace

SmtpServer::SmtpServer() {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listen, 8) != 0 ||
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        throw std::runtime_error("cannot bind the loopback SMTP server");
    }
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { serve(); });
}

SmtpServer::~SmtpServer() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::string SmtpServer::url() const {
    return "smtp://127.0.0.1:" + std::to_string(m_port);
}

std::vector<SmtpServer::Mail> SmtpServer::mails() const {
    std::lock_guard lock(m_mutex);
    return m_mails;
}

void SmtpServer::serve() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            continue;
        }
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0) {
            continue;
        }
        session(fd);
        ::close(fd);
    }
}

void SmtpServer::session(int fd) {
    std::string buf;
    std::string line;
    Mail mail;
    if (!send_all(fd, "220 127.0.0.1 cmtool test SMTP\r\n")) {
        return;
    }
    while (read_line(fd, buf, line)) {
        const std::string verb = line.substr(0, 4);
        std::string reply = "250 OK\r\n";
        if (verb == "EHLO") {
            reply = "250-127.0.0.1\r\n250 8BITMIME\r\n";
        } else if (verb == "MAIL") {
            mail = Mail{};
            mail.from = address_of(line);
        } else if (verb == "RCPT") {
            mail.to.push_back(address_of(line));
        } else if (verb == "DATA") {
            if (!send_all(fd, "354 end with <CRLF>.<CRLF>\r\n")) {
                return;
            }
            while (read_line(fd, buf, line) && line != ".") {
                mail.data += (line.starts_with("..") ? line.substr(1) : line) + "\r\n";
            }
            std::lock_guard lock(m_mutex);
            m_mails.push_back(mail);
        } else if (verb == "QUIT") {
            send_all(fd, "221 bye\r\n");
            return;
        } else if (verb != "HELO" && verb != "RSET" && verb != "NOOP") {
            reply = "502 not implemented\r\n";
        }
        if (!send_all(fd, reply)) {
            return;
        }
    }
}

}  // namespace cmtool::test
