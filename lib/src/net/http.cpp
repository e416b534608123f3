#include "cmtool/net/http.hpp"

#include <array>

#include "cmtool/net/redact.hpp"
#include "net/ascii.hpp"

namespace cmtool::net {

std::optional<std::string> find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (detail::iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    return find_header(headers, name);
}

void set_header(HttpRequest& request, std::string_view name, std::string value) {
    std::erase_if(request.headers, [&](const auto& h) { return detail::iequals(h.first, name); });
    request.headers.emplace_back(std::string(name), std::move(value));
}

std::string url_encode(std::string_view s) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += k_hex[byte >> 4U];
            out += k_hex[byte & 0x0FU];
        }
    }
    return out;
}

std::string form_urlencode(const FieldList& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        if (!out.empty()) {
            out += '&';
        }
        out += url_encode(key);
        out += '=';
        out += url_encode(value);
    }
    return out;
}

std::string append_query(std::string url, const FieldList& fields) {
    if (fields.empty()) {
        return url;
    }
    const auto hash = url.find('#');
    std::string fragment;
    if (hash != std::string::npos) {
        fragment = url.substr(hash);
        url.resize(hash);
    }
    const char sep = url.find('?') == std::string::npos ? '?' : '&';
    return url + sep + form_urlencode(fields) + fragment;
}

void set_form_body(HttpRequest& request, const FieldList& fields) {
    request.body = form_urlencode(fields);
    set_header(request, "Content-Type", "application/x-www-form-urlencoded");
}

void set_json_body(HttpRequest& request, std::string json) {
    request.body = std::move(json);
    set_header(request, "Content-Type", "application/json");
}

namespace {

// Quotes in multipart names and filenames are percent-escaped, as browsers do (WHATWG HTML
// "multipart/form-data encoding algorithm").
std::string escape_disposition(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "%22";
                break;
            case '\r':
                out += "%0D";
                break;
            case '\n':
                out += "%0A";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

MultipartForm& MultipartForm::add_text(std::string name, std::string value) {
    m_parts.push_back(Part{std::move(name), std::nullopt, {}, std::move(value)});
    return *this;
}

MultipartForm& MultipartForm::add_file(std::string name, std::string filename,
                                       std::string content_type, std::string data) {
    m_parts.push_back(
        Part{std::move(name), std::move(filename), std::move(content_type), std::move(data)});
    return *this;
}

std::string MultipartForm::boundary() const {
    for (unsigned n = 0;; ++n) {
        std::string candidate = "cmtool-form-boundary-" + std::to_string(n);
        bool clash = false;
        for (const auto& part : m_parts) {
            clash = clash || part.data.find(candidate) != std::string::npos ||
                    part.name.find(candidate) != std::string::npos ||
                    (part.filename && part.filename->find(candidate) != std::string::npos);
        }
        if (!clash) {
            return candidate;
        }
    }
}

std::string MultipartForm::content_type() const {
    return "multipart/form-data; boundary=" + boundary();
}

std::string MultipartForm::body() const {
    const std::string b = boundary();
    std::string out;
    for (const auto& part : m_parts) {
        out += "--" + b + "\r\n";
        out += "Content-Disposition: form-data; name=\"" + escape_disposition(part.name) + "\"";
        if (part.filename) {
            out += "; filename=\"" + escape_disposition(*part.filename) + "\"";
        }
        out += "\r\n";
        if (!part.content_type.empty()) {
            out += "Content-Type: " + part.content_type + "\r\n";
        }
        out += "\r\n";
        out += part.data;
        out += "\r\n";
    }
    out += "--" + b + "--\r\n";
    return out;
}

void set_multipart_body(HttpRequest& request, const MultipartForm& form) {
    request.body = form.body();
    set_header(request, "Content-Type", form.content_type());
}

namespace {

struct KindPhrase {
    NetFailureKind kind;
    std::string_view phrase;
};
// The phrases are the machine-readable contract of transport errors: keep them distinct and
// never let one be a prefix of another followed by ':'.
constexpr std::array<KindPhrase, 10> k_phrases{{
    {NetFailureKind::dns, "could not resolve host"},
    {NetFailureKind::refused, "connection refused"},
    {NetFailureKind::connect, "could not connect"},
    {NetFailureKind::connect_timeout, "timed out connecting"},
    {NetFailureKind::tls, "TLS handshake failed"},
    {NetFailureKind::timeout, "timed out waiting for the response"},
    {NetFailureKind::reset, "connection reset after the request was sent"},
    {NetFailureKind::no_response, "request sent but no response"},
    {NetFailureKind::bad_response, "malformed or truncated response"},
    {NetFailureKind::other, "network failure"},
}};

}  // namespace

Delivery delivery_of(NetFailureKind kind) {
    switch (kind) {
        case NetFailureKind::dns:
        case NetFailureKind::refused:
        case NetFailureKind::connect:
        case NetFailureKind::connect_timeout:
        case NetFailureKind::tls:
            return Delivery::not_sent;
        default:
            return Delivery::unknown;
    }
}

Error make_transport_error(NetFailureKind kind, std::string_view method, std::string_view url,
                           std::string_view detail) {
    std::string phrase;
    for (const auto& entry : k_phrases) {
        if (entry.kind == kind) {
            phrase = entry.phrase;
        }
    }
    std::string message = phrase + ": " + std::string(method) + " " + redact_url(url);
    if (!detail.empty()) {
        message += " (" + std::string(detail) + ")";
    }
    std::string hint;
    if (delivery_of(kind) == Delivery::unknown) {
        hint = "the server may have received the request; check before repeating a write";
    }
    return Error{ErrorCode::network, std::move(message), std::move(hint)};
}

std::optional<NetFailure> classify_transport_error(const Error& error) {
    if (error.code != ErrorCode::network) {
        return std::nullopt;
    }
    const std::string_view msg = error.message;
    for (const auto& entry : k_phrases) {
        if (msg.size() > entry.phrase.size() && msg.starts_with(entry.phrase) &&
            msg[entry.phrase.size()] == ':') {
            return NetFailure{entry.kind, delivery_of(entry.kind)};
        }
    }
    return std::nullopt;
}

HttpTransport::~HttpTransport() = default;

std::vector<Result<HttpResponse>> HttpTransport::send_all(const std::vector<HttpRequest>& requests,
                                                          std::size_t /*concurrency*/) {
    std::vector<Result<HttpResponse>> out;
    out.reserve(requests.size());
    for (const auto& request : requests) {
        out.push_back(send(request));
    }
    return out;
}

void HttpTransport::stream(RequestStream& requests, std::size_t /*concurrency*/) {
    while (auto r = requests.next()) {
        requests.done(r->tag, send(r->request));
    }
}

}  // namespace cmtool::net
