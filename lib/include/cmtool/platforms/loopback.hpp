#pragma once
// The loopback redirect of `auth login` for OAuth networks (RFC 8252 §7.3): a tiny HTTP
// listener on 127.0.0.1 that waits for the browser's GET /callback?code=&state=, one request at
// a time, bounded by a deadline and interruptible. Plain POSIX sockets: cpp-httplib is for the
// test fakes only, and one GET needs no server library.
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "cmtool/util/result.hpp"

namespace cmtool::platforms {

class LoopbackListener {
  public:
    // Binds 127.0.0.1:`port` (0: any free port) and listens. Fails (io) when the port is taken
    // or cannot be bound, with a hint to choose another with --port.
    static Result<LoopbackListener> open(int port);

    LoopbackListener(LoopbackListener&& other) noexcept;
    LoopbackListener& operator=(LoopbackListener&& other) noexcept;
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;
    ~LoopbackListener();

    int port() const { return m_port; }

    using Query = std::map<std::string, std::string>;
    // Waits for a GET of `path` and returns its decoded query; the connection stays open for
    // respond(). Requests for other paths (a browser's /favicon.ico) get a 404 and the wait goes
    // on. Fails (interrupted) when `stop` becomes true, (unavailable) when `timeout` passes
    // first, (io) on a socket error.
    Result<Query> wait_for(std::string_view path, std::chrono::milliseconds timeout,
                           const std::atomic<bool>* stop);
    // Answers the request wait_for() returned with a small HTML page and closes it.
    void respond(int status, std::string_view title, std::string_view message);

  private:
    LoopbackListener(int fd, int port) : m_fd(fd), m_port(port) {}
    void close_client();

    int m_fd = -1;
    int m_client = -1;
    int m_port = 0;
};

// The query of a URL ("http://127.0.0.1:8765/callback?code=a&state=b") percent-decoded; the
// whole text parsed as a query when it has no '?' but an '=' ("code=a&state=b"); empty when it
// has neither.
LoopbackListener::Query parse_query(std::string_view url_or_query);

}  // namespace cmtool::platforms
