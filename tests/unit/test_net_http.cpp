#include <doctest/doctest.h>

#include "cmtool/net/http.hpp"

using namespace cmtool;
using namespace cmtool::net;

TEST_CASE("headers are looked up case-insensitively") {
    const HttpResponse r{200, {{"Content-Type", "application/json"}, {"LINK", "<a>"}}, {}};
    CHECK(r.header("content-type") == "application/json");
    CHECK(r.header("Link") == "<a>");
    CHECK_FALSE(r.header("Retry-After"));
    HttpRequest req;
    req.headers = {{"content-type", "text/plain"}, {"Accept", "*/*"}};
    set_header(req, "Content-Type", "application/json");
    CHECK(req.headers.size() == 2);
    CHECK(find_header(req.headers, "CONTENT-TYPE") == "application/json");
}

TEST_CASE("url and form encoding") {
    CHECK(url_encode("a b&c=d/é~") == "a%20b%26c%3Dd%2F%C3%A9~");
    CHECK(form_urlencode({{"status", "Hi #tag"}, {"media_ids[]", "1"}}) ==
          "status=Hi%20%23tag&media_ids%5B%5D=1");
    CHECK(append_query("https://h.example/p", {{"limit", "5"}}) == "https://h.example/p?limit=5");
    CHECK(append_query("https://h.example/p?a=1#frag", {{"b", "2"}}) ==
          "https://h.example/p?a=1&b=2#frag");
    CHECK(append_query("https://h.example/p", {}) == "https://h.example/p");
    HttpRequest req;
    set_form_body(req, {{"status", "x"}});
    CHECK(req.body == "status=x");
    CHECK(find_header(req.headers, "Content-Type") == "application/x-www-form-urlencoded");
    set_json_body(req, R"({"status":"x"})");
    CHECK(req.headers.size() == 1);
    CHECK(find_header(req.headers, "content-type") == "application/json");
}

TEST_CASE("multipart form body") {
    MultipartForm form;
    form.add_file("file", "a\"b.png", "image/png", "PNGDATA").add_text("description", "alt text");
    CHECK(form.boundary() == "cmtool-form-boundary-0");
    CHECK(form.content_type() == "multipart/form-data; boundary=cmtool-form-boundary-0");
    CHECK(form.body() ==
          "--cmtool-form-boundary-0\r\n"
          "Content-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\n"
          "Content-Type: image/png\r\n\r\n"
          "PNGDATA\r\n"
          "--cmtool-form-boundary-0\r\n"
          "Content-Disposition: form-data; name=\"description\"\r\n\r\n"
          "alt text\r\n"
          "--cmtool-form-boundary-0--\r\n");
    MultipartForm clash;
    clash.add_text("x", "contains cmtool-form-boundary-0 and cmtool-form-boundary-1");
    CHECK(clash.boundary() == "cmtool-form-boundary-2");
    HttpRequest req;
    set_multipart_body(req, form);
    CHECK(req.body == form.body());
    CHECK(find_header(req.headers, "Content-Type") == form.content_type());
}

TEST_CASE("transport errors round-trip through classify_transport_error") {
    const NetFailureKind kinds[] = {NetFailureKind::dns,          NetFailureKind::refused,
                                    NetFailureKind::connect,      NetFailureKind::connect_timeout,
                                    NetFailureKind::tls,          NetFailureKind::timeout,
                                    NetFailureKind::reset,        NetFailureKind::no_response,
                                    NetFailureKind::bad_response, NetFailureKind::other};
    for (const auto kind : kinds) {
        const Error e = make_transport_error(kind, "POST", "https://h.example/x", "detail");
        CHECK(e.code == ErrorCode::network);
        const auto f = classify_transport_error(e);
        REQUIRE(f);
        CHECK(f->kind == kind);
        CHECK(f->delivery == delivery_of(kind));
        CHECK(e.hint.empty() == (f->delivery == Delivery::not_sent));
    }
    CHECK(delivery_of(NetFailureKind::refused) == Delivery::not_sent);
    CHECK(delivery_of(NetFailureKind::timeout) == Delivery::unknown);
    CHECK(delivery_of(NetFailureKind::no_response) == Delivery::unknown);
    CHECK_FALSE(classify_transport_error(Error{ErrorCode::auth, "connection refused: x", {}}));
    CHECK_FALSE(classify_transport_error(Error{ErrorCode::network, "something else", {}}));
}

namespace {
class EchoTransport final : public HttpTransport {
  public:
    Result<HttpResponse> send(const HttpRequest& request) override {
        return HttpResponse{200, {}, request.url};
    }
};
}  // namespace

TEST_CASE("default send_all keeps request order") {
    EchoTransport t;
    std::vector<HttpRequest> requests(3);
    requests[0].url = "a";
    requests[1].url = "b";
    requests[2].url = "c";
    const auto results = t.send_all(requests, 8);
    REQUIRE(results.size() == 3);
    CHECK(results[0]->body == "a");
    CHECK(results[2]->body == "c");
}
