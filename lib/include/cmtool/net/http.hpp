#pragma once
// The one HTTP transport interface: requests and responses as plain values, transport failures
// as Result errors whose delivery (definitely not sent vs. outcome unknown) callers can query.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::net {

// Header or form fields in order; names compare case-insensitively where looked up.
using HeaderList = std::vector<std::pair<std::string, std::string>>;
using FieldList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    HeaderList headers;
    std::string body;
    std::chrono::milliseconds timeout{30000};
};

struct HttpResponse {
    long status = 0;
    HeaderList headers;
    std::string body;

    // The first header with this name (case-insensitive), or nullopt.
    std::optional<std::string> header(std::string_view name) const;
};

// The first value of header `name` in `headers` (case-insensitive), or nullopt.
std::optional<std::string> find_header(const HeaderList& headers, std::string_view name);
// Replaces every header called `name` (case-insensitive) by one `name: value`.
void set_header(HttpRequest& request, std::string_view name, std::string value);

// Percent-encodes everything but RFC 3986 unreserved characters (space becomes %20).
std::string url_encode(std::string_view s);
// application/x-www-form-urlencoded text of `fields`, in order.
std::string form_urlencode(const FieldList& fields);
// `url` with `fields` appended as a query string ("?" or "&" as needed).
std::string append_query(std::string url, const FieldList& fields);
// Sets the body to form_urlencode(fields) and the matching Content-Type.
void set_form_body(HttpRequest& request, const FieldList& fields);
// Sets the body to `json` (already serialised) and Content-Type: application/json.
void set_json_body(HttpRequest& request, std::string json);

// A multipart/form-data body (RFC 7578) built from text fields and file parts, in order.
class MultipartForm {
  public:
    MultipartForm& add_text(std::string name, std::string value);
    MultipartForm& add_file(std::string name, std::string filename, std::string content_type,
                            std::string data);
    // A boundary that occurs in no part, chosen deterministically from the parts.
    std::string boundary() const;
    // "multipart/form-data; boundary=..." for the Content-Type header.
    std::string content_type() const;
    // The encoded body; uses boundary().
    std::string body() const;

  private:
    struct Part {
        std::string name;
        std::optional<std::string> filename;
        std::string content_type;
        std::string data;
    };
    std::vector<Part> m_parts;
};
// Sets the body and Content-Type of `request` from `form`.
void set_multipart_body(HttpRequest& request, const MultipartForm& form);

// Whether a failed request may have reached the server. `not_sent`: no byte of the request
// left this machine (DNS, refused, connect or TLS failure), so repeating it cannot duplicate
// anything. `unknown`: the request was (at least partly) sent and no complete answer came back
// (timeout, reset, empty reply), so the server may have acted on it.
enum class Delivery { not_sent, unknown };

enum class NetFailureKind {
    dns,
    refused,
    connect,
    connect_timeout,
    tls,
    timeout,
    reset,
    no_response,
    bad_response,
    other,
};

struct NetFailure {
    NetFailureKind kind = NetFailureKind::other;
    Delivery delivery = Delivery::unknown;
};

// The delivery a kind implies: connection-phase failures are not_sent, the rest unknown.
Delivery delivery_of(NetFailureKind kind);

// Builds the transport error every HttpTransport returns: ErrorCode::network with a message
// "<fixed phrase for kind>: <METHOD> <redacted url>[ (detail)]". The phrase is the contract
// classify_transport_error reads back; the URL goes through redact_url.
Error make_transport_error(NetFailureKind kind, std::string_view method, std::string_view url,
                           std::string_view detail = {});

// The failure made by make_transport_error, or nullopt when `error` is not a transport error
// (another ErrorCode, or a network error without a known phrase). Callers that must not
// duplicate a write should treat nullopt like Delivery::unknown.
std::optional<NetFailure> classify_transport_error(const Error& error);

// Requests produced while earlier ones are answered (HttpTransport::stream): a page's answer can
// add the next page, and a rate limit can stop new requests while those in flight finish.
struct TaggedRequest {
    std::size_t tag = 0;  // the caller's own reference, handed back with the answer
    HttpRequest request;
};

class RequestStream {
  public:
    virtual ~RequestStream() = default;
    // The next request to start now, or nullopt when there is none at the moment. The stream
    // ends when this says nullopt and no request is in flight.
    virtual std::optional<TaggedRequest> next() = 0;
    // The answer (or transport error) to the request with `tag`; called on the thread that
    // called stream(), never concurrently.
    virtual void done(std::size_t tag, Result<HttpResponse> response) = 0;
};

class HttpTransport {
  public:
    virtual ~HttpTransport();
    // One exchange. Any HTTP status (including 4xx/5xx) is a value; only transport failures
    // are errors (see make_transport_error).
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
    // All requests with at most `concurrency` in flight; results in request order. The
    // default sends them one after another.
    virtual std::vector<Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests,
                                                       std::size_t concurrency);
    // Keeps up to `concurrency` requests of `requests` in flight until it runs dry, asking for
    // the next one each time a slot frees. The default sends them one after another.
    virtual void stream(RequestStream& requests, std::size_t concurrency);
};

}  // namespace cmtool::net
