#pragma once
// In-process servers on 127.0.0.1 for `cmtool watch` tests: an HTTP server that serves feeds
// (with ETag / Last-Modified and 304) and receives webhooks, and a tiny SMTP server speaking
// just enough (EHLO/HELO, MAIL FROM, RCPT TO, DATA, QUIT) to receive alert e-mails.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace cmtool::test {

class LoopbackHttp {
  public:
    LoopbackHttp();  // listening on an ephemeral port when this returns
    ~LoopbackHttp();
    LoopbackHttp(const LoopbackHttp&) = delete;
    LoopbackHttp& operator=(const LoopbackHttp&) = delete;

    std::string url(const std::string& path) const;

    // GET <path> answers `body` with this ETag and Last-Modified; a request carrying the same
    // ETag in If-None-Match gets 304.
    void serve(const std::string& path, std::string body, std::string etag,
               std::string content_type = "application/rss+xml");
    // The next `count` requests to any webhook path answer `status` (with Retry-After: 0).
    void fail_webhooks(int status, int count);

    struct Hit {
        std::string method;
        std::string path;
        std::string body;
        std::string if_none_match;
        int status = 0;
    };
    std::vector<Hit> hits() const;
    // The bodies POSTed to `path` that were answered 2xx.
    std::vector<std::string> received(const std::string& path) const;

  private:
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::map<std::string, std::pair<std::string, std::string>> m_feeds;  // path → body, etag
    std::map<std::string, std::string> m_types;
    std::vector<Hit> m_hits;
    int m_fail_status = 0;
    int m_fail_count = 0;
};

class SmtpServer {
  public:
    SmtpServer();  // listening on an ephemeral port when this returns
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    std::string url() const;  // smtp://127.0.0.1:<port>

    struct Mail {
        std::string from;
        std::vector<std::string> to;
        std::string data;  // the message as received, dot-unstuffed, CRLF line ends
    };
    std::vector<Mail> mails() const;

  private:
    void serve();
    void session(int fd);

    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<Mail> m_mails;
};

}  // namespace cmtool::test
