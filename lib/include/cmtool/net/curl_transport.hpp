#pragma once
// The libcurl HttpTransport. curl itself stays in lib/src/net (net/curl_handles.hpp).
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cmtool/net/http.hpp"

namespace cmtool::net {

struct CurlOptions {
    std::string user_agent;                            // empty: "cmtool/<version>"
    std::chrono::milliseconds connect_timeout{10000};  // capped by each request's timeout
    std::size_t max_response_bytes = 64U * 1024U * 1024U;
    // false: every request opens its own connection and closes it (bench/bench_publish compares
    // both). Writes never reuse a connection either way.
    bool reuse_connections = true;
};

// HTTP/1.1 over http/https only (no redirects followed), TCP_NODELAY, gzip accepted.
// Connections are kept in one cache shared by send() and send_all(), so consecutive calls reuse
// them. Requests other than GET/HEAD/OPTIONS always use a fresh connection, closed afterwards:
// on a reused connection libcurl silently re-sends a request that got no answer, which could
// publish twice.
// Calls on one CurlTransport are serialised; use send_all or stream for concurrency. A
// RequestStream must not call back into the transport that runs it.
class CurlTransport final : public HttpTransport {
  public:
    explicit CurlTransport(CurlOptions options = {});
    ~CurlTransport() override;
    CurlTransport(CurlTransport&&) noexcept;
    CurlTransport& operator=(CurlTransport&&) noexcept;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    // Fails with make_transport_error's errors, ErrorCode::invalid for a URL curl rejects
    // (bad syntax, a scheme other than http/https), ErrorCode::internal if curl cannot start.
    Result<HttpResponse> send(const HttpRequest& request) override;
    // Runs the requests through one curl multi handle with at most `concurrency` transfers in
    // flight (at least 1), reusing connections; results in request order.
    std::vector<Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests,
                                               std::size_t concurrency) override;
    // The same multi handle and connection cache, fed by `requests` as slots free up.
    void stream(RequestStream& requests, std::size_t concurrency) override;

  private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cmtool::net
