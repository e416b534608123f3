// The HTTP transport over libcurl (curl itself only through net/curl_handles.hpp).
#include "cmtool/net/curl_transport.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <mutex>
#include <optional>
#include <span>

#include "cmtool/net/redact.hpp"
#include "net/ascii.hpp"
#include "net/curl_handles.hpp"

#ifndef CMTOOL_VERSION
#define CMTOOL_VERSION "dev"
#endif

namespace cmtool::net {
namespace {

using curl::EasyHandle;
using curl::MultiHandle;
using curl::Slist;

// One easy handle and what its callbacks write into; kept at a stable address.
struct Transfer {
    EasyHandle easy;
    Slist headers;
    std::array<char, CURL_ERROR_SIZE> errbuf{};
    HttpResponse response;
    std::size_t max_bytes = 0;
    bool too_large = false;
    const HttpRequest* request = nullptr;
    TaggedRequest owned;  // the request being sent (stream() hands them over by value)
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (t->response.body.size() + n > t->max_bytes) {
        t->too_large = true;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    t->response.body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.remove_suffix(1);
    }
    auto& headers = t->response.headers;
    if (line.starts_with("HTTP/")) {
        headers.clear();  // a new response block (after 1xx or a retried connection)
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
        headers.back().second += " " + std::string(detail::trim(line));  // obsolete folding
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        headers.emplace_back(std::string(detail::trim(line.substr(0, colon))),
                             std::string(detail::trim(line.substr(colon + 1))));
    }
    return n;
}

bool is_safe_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// Collects the first failing curl_easy_setopt so configuration reads as a flat list.
class OptionErrors {
  public:
    void operator()(CURLcode code) {
        if (m_first == CURLE_OK) {
            m_first = code;
        }
    }
    CURLcode first() const { return m_first; }

  private:
    CURLcode m_first = CURLE_OK;
};

Result<void> configure(Transfer& t, const HttpRequest& req, const CurlOptions& options) {
    CURL* h = t.easy.get();
    curl_easy_reset(h);  // keeps the connection and DNS caches
    t.response = HttpResponse{};
    t.too_large = false;
    t.errbuf[0] = '\0';
    t.max_bytes = options.max_response_bytes;
    t.request = &req;

    Slist list;
    bool has_expect = false;
    for (const auto& [name, value] : req.headers) {
        has_expect = has_expect || detail::iequals(name, "Expect");
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        curl_slist* grown = curl_slist_append(list.get(), line.c_str());
        if (grown == nullptr) {
            return fail(ErrorCode::internal, "out of memory building HTTP headers");
        }
        static_cast<void>(list.release());
        list.reset(grown);
    }
    if (!has_expect) {  // no "Expect: 100-continue" round trip before large bodies
        curl_slist* grown = curl_slist_append(list.get(), "Expect:");
        if (grown == nullptr) {
            return fail(ErrorCode::internal, "out of memory building HTTP headers");
        }
        static_cast<void>(list.release());
        list.reset(grown);
    }
    t.headers = std::move(list);

    const long timeout_ms = static_cast<long>(req.timeout.count());
    const long connect_ms =
        static_cast<long>(std::min(options.connect_timeout, req.timeout).count());
    OptionErrors set;
    set(curl_easy_setopt(h, CURLOPT_URL, req.url.c_str()));
    set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"));
    set(curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
    set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
    set(curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L));
    set(curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L));
    set(curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
    set(curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str()));
    set(curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""));
    set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms));
    set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms));
    set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.errbuf.data()));
    set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body));
    set(curl_easy_setopt(h, CURLOPT_WRITEDATA, &t));
    set(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header));
    set(curl_easy_setopt(h, CURLOPT_HEADERDATA, &t));
    set(curl_easy_setopt(h, CURLOPT_HTTPHEADER, t.headers.get()));
    if (req.method == "GET" && req.body.empty()) {
        set(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L));
    } else if (req.method == "HEAD") {
        set(curl_easy_setopt(h, CURLOPT_NOBODY, 1L));
    } else if (req.body.empty() && req.method != "POST") {  // e.g. DELETE: no body, no type
        set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str()));
    } else {
        set(curl_easy_setopt(h, CURLOPT_POST, 1L));
        set(curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data()));
        set(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(req.body.size())));
        if (req.method != "POST") {
            set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str()));
        }
    }
    if (!is_safe_method(req.method) || !options.reuse_connections) {
        // A write never goes out on a reused connection (see the header), so the connection it
        // opens is closed afterwards too: left in the cache it would only hold an idle socket,
        // and a server worker, until the keep-alive timeout. One per status adds up.
        set(curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L));
        set(curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L));
    }
    if (set.first() != CURLE_OK) {
        return fail(ErrorCode::internal,
                    std::string("cannot configure libcurl: ") + curl_easy_strerror(set.first()));
    }
    return {};
}

NetFailureKind failure_kind(CURLcode code, bool sent, long os_errno, bool too_large) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return NetFailureKind::dns;
        case CURLE_COULDNT_CONNECT:
            return os_errno == ECONNREFUSED ? NetFailureKind::refused : NetFailureKind::connect;
        case CURLE_OPERATION_TIMEDOUT:
            return sent ? NetFailureKind::timeout : NetFailureKind::connect_timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return NetFailureKind::tls;
        case CURLE_GOT_NOTHING:
            return NetFailureKind::no_response;
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
            return sent ? NetFailureKind::reset : NetFailureKind::connect;
        case CURLE_WRITE_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_BAD_CONTENT_ENCODING:
            return too_large || sent ? NetFailureKind::bad_response : NetFailureKind::other;
        default:
            return sent ? NetFailureKind::other : NetFailureKind::connect;
    }
}

Result<HttpResponse> finish(Transfer& t, CURLcode code) {
    CURL* h = t.easy.get();
    const HttpRequest& req = *t.request;
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        t.response.status = status;
        return std::move(t.response);
    }
    std::string detail =
        t.errbuf[0] != '\0' ? std::string(t.errbuf.data()) : std::string(curl_easy_strerror(code));
    if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT) {
        return fail(ErrorCode::invalid,
                    "cannot send " + req.method + " " + redact_url(req.url) + ": " + detail,
                    "only http:// and https:// URLs are supported");
    }
    if (t.too_large) {
        detail = "response larger than " + std::to_string(t.max_bytes) + " bytes";
    }
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    // REQUEST_SIZE counts request bytes handed to the connection in this transfer; zero means
    // the request never left, whatever curl's error code says.
    long request_size = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
    const auto kind = failure_kind(code, request_size > 0, os_errno, t.too_large);
    return fail(make_transport_error(kind, req.method, req.url, detail));
}

}  // namespace

class CurlTransport::Impl {
  public:
    explicit Impl(CurlOptions options) : m_options(std::move(options)) {
        const bool global_ok = curl::global_init();
        if (m_options.user_agent.empty()) {
            m_options.user_agent = std::string("cmtool/") + CMTOOL_VERSION;
        }
        if (global_ok) {
            m_multi.reset(curl_multi_init());
        }
        if (m_multi) {
            // Room for idle connections to every host a run talks to (default: 4 per handle).
            curl_multi_setopt(m_multi.get(), CURLMOPT_MAXCONNECTS, 64L);
        }
    }

    ~Impl() {
        for (auto& t : m_pool) {
            curl_multi_remove_handle(m_multi.get(), t->easy.get());
        }
        m_pool.clear();  // easy handles go before the multi handle that owns the connections
    }

    // Runs `requests` through the multi handle with at most `concurrency` transfers.
    void stream(RequestStream& requests, std::size_t concurrency);

  private:
    bool grow_pool(std::size_t size);
    // Starts the stream's next request on `t`; false when the stream has none right now.
    bool start_next(Transfer& t, RequestStream& requests);

    CurlOptions m_options;
    MultiHandle m_multi;
    std::vector<std::unique_ptr<Transfer>> m_pool;
    std::vector<Transfer*> m_idle;
    std::size_t m_active = 0;
    std::mutex m_mutex;
};

bool CurlTransport::Impl::grow_pool(std::size_t size) {
    while (m_pool.size() < size) {
        auto t = std::make_unique<Transfer>();
        t->easy.reset(curl_easy_init());
        if (!t->easy) {
            return !m_pool.empty();
        }
        m_pool.push_back(std::move(t));
    }
    return true;
}

bool CurlTransport::Impl::start_next(Transfer& t, RequestStream& requests) {
    while (auto next = requests.next()) {
        t.owned = std::move(*next);
        if (auto ok = configure(t, t.owned.request, m_options); !ok) {
            requests.done(t.owned.tag, fail(std::move(ok).error()));
            continue;
        }
        if (curl_multi_add_handle(m_multi.get(), t.easy.get()) != CURLM_OK) {
            requests.done(t.owned.tag, fail(ErrorCode::internal, "curl_multi_add_handle"));
            continue;
        }
        ++m_active;
        return true;
    }
    return false;
}

void CurlTransport::Impl::stream(RequestStream& requests, std::size_t concurrency) {
    std::lock_guard lock(m_mutex);
    if (!m_multi || !grow_pool(std::max<std::size_t>(concurrency, 1))) {
        while (auto next = requests.next()) {
            requests.done(next->tag, fail(ErrorCode::internal, "libcurl failed to start"));
        }
        return;
    }
    m_active = 0;
    m_idle.clear();
    const std::size_t slots = std::min(std::max<std::size_t>(concurrency, 1), m_pool.size());
    for (std::size_t s = 0; s < slots; ++s) {
        m_idle.push_back(m_pool[s].get());
    }
    // Fills idle slots while the stream has work; a slot stays idle when it has none right now
    // and is offered again after the next answer (which may have produced work).
    const auto fill = [&] {
        while (!m_idle.empty() && start_next(*m_idle.back(), requests)) {
            m_idle.pop_back();
        }
    };
    fill();
    while (m_active > 0) {
        int running = 0;
        bool broken = curl_multi_perform(m_multi.get(), &running) != CURLM_OK;
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(m_multi.get(), &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            const auto it = std::find_if(m_pool.begin(), m_pool.end(), [&](const auto& t) {
                return t->easy.get() == msg->easy_handle;
            });
            if (it == m_pool.end()) {
                curl_multi_remove_handle(m_multi.get(), msg->easy_handle);
                continue;
            }
            Transfer& t = **it;
            auto result = finish(t, msg->data.result);
            curl_multi_remove_handle(m_multi.get(), t.easy.get());
            --m_active;
            m_idle.push_back(&t);
            requests.done(t.owned.tag, std::move(result));
        }
        fill();
        if (!broken && m_active > 0) {
            broken = curl_multi_poll(m_multi.get(), nullptr, 0, 1000, nullptr) != CURLM_OK;
        }
        if (broken) {
            for (auto& t : m_pool) {
                if (curl_multi_remove_handle(m_multi.get(), t->easy.get()) == CURLM_OK &&
                    std::find(m_idle.begin(), m_idle.end(), t.get()) == m_idle.end()) {
                    requests.done(t->owned.tag, fail(ErrorCode::internal, "libcurl failed"));
                }
            }
            m_active = 0;
        }
    }
}

namespace {

// send_all as a stream over a vector: results land in request order.
class VectorStream final : public RequestStream {
  public:
    explicit VectorStream(std::span<const HttpRequest> requests)
        : m_requests(requests), m_results(requests.size()) {}
    std::optional<TaggedRequest> next() override {
        if (m_next >= m_requests.size()) {
            return std::nullopt;
        }
        const std::size_t i = m_next++;
        return TaggedRequest{i, m_requests[i]};
    }
    void done(std::size_t tag, Result<HttpResponse> response) override {
        m_results[tag] = std::move(response);
    }
    std::vector<Result<HttpResponse>> results() && {
        std::vector<Result<HttpResponse>> out;
        out.reserve(m_results.size());
        for (auto& r : m_results) {
            out.push_back(r ? *std::move(r)
                            : Result<HttpResponse>(fail(ErrorCode::internal, "libcurl failed")));
        }
        return out;
    }

  private:
    std::span<const HttpRequest> m_requests;
    std::vector<std::optional<Result<HttpResponse>>> m_results;
    std::size_t m_next = 0;
};

}  // namespace

CurlTransport::CurlTransport(CurlOptions options)
    : m_impl(std::make_unique<Impl>(std::move(options))) {}
CurlTransport::~CurlTransport() = default;
CurlTransport::CurlTransport(CurlTransport&&) noexcept = default;
CurlTransport& CurlTransport::operator=(CurlTransport&&) noexcept = default;

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
    VectorStream one(std::span<const HttpRequest>(&request, 1));
    m_impl->stream(one, 1);
    return std::move(std::move(one).results().front());
}

std::vector<Result<HttpResponse>> CurlTransport::send_all(const std::vector<HttpRequest>& requests,
                                                          std::size_t concurrency) {
    if (requests.empty()) {
        return {};
    }
    VectorStream all(requests);
    m_impl->stream(all, concurrency);
    return std::move(all).results();
}

void CurlTransport::stream(RequestStream& requests, std::size_t concurrency) {
    m_impl->stream(requests, concurrency);
}

}  // namespace cmtool::net
