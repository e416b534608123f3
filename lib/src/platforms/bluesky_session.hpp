#pragma once
// XRPC calls to a Bluesky PDS with an app-password session (platforms.md §2.0, §2.1): cached
// access/refresh JWTs from the CredentialStore, createSession when there are none, and on an
// expired or refused access token one refreshSession (else a new session) and one repeat.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::bluesky {

// An XRPC error body {"error": name, "message": text}; both empty when the body is not
// XRPC JSON (an HTML 403 from a proxy).
struct XrpcError {
    std::string error;
    std::string message;
};
XrpcError xrpc_error(const net::HttpResponse& response);

struct Call {
    std::string method = "GET";
    std::string nsid;      // "com.atproto.repo.createRecord"
    net::FieldList query;  // repeated names for arrays (§2.0)
    std::string body;      // JSON, or raw bytes for uploadBlob
    std::string content_type;
    net::Retryable retryable = net::Retryable::yes;
    std::chrono::milliseconds timeout{30000};
};

// A query: GET /xrpc/<nsid>?<params>.
Call query_call(std::string nsid, net::FieldList params = {});
// A procedure: POST /xrpc/<nsid> with `body` of `content_type` (none when the body is empty).
Call procedure_call(std::string nsid, std::string body = {},
                    std::string content_type = "application/json");

// Where an exchange ended. `session`: getting a session failed (the call itself never left);
// `response` then holds the createSession/refreshSession answer or an auth/config error.
enum class Stage { session, call };
struct Exchange {
    Result<net::HttpResponse> response;
    Stage stage = Stage::call;
};

// The claims of a JWT's payload, nullopt when it is not a decodable JWT (no signature check:
// only the PDS can verify it; cmtool reads `sub` and `exp`).
std::optional<nlohmann::json> jwt_claims(const std::string& token);

class Session {
  public:
    Session(const AdapterContext& ctx, std::string base_url, std::string handle);

    // Makes sure a session is at hand: the cached JWTs (refreshed when the access token has
    // expired), else createSession. nullopt on success, else the failed exchange.
    std::optional<Exchange> ensure();
    // Sends `call` with the access token. On 401 or 400 ExpiredToken/InvalidToken it renews
    // the session once (refreshSession, else createSession) and sends the call once more.
    Exchange send(const Call& call);
    // The request send() would make for `call` with the current access token (ensure() first),
    // for callers that send it themselves (pull-metrics streams many at once).
    net::HttpRequest request(const Call& call) const;
    // Replaces the access token after a refusal: refreshSession, else createSession. nullopt
    // on success, else the failed exchange.
    std::optional<Exchange> renew();
    // Whether an answer says the access token was refused or expired (401, 400 ExpiredToken or
    // InvalidToken).
    static bool needs_renewal(const Result<net::HttpResponse>& response);
    // Sends `call` without a token (public queries such as resolveHandle).
    Result<net::HttpResponse> send_public(const Call& call);

    const std::string& base_url() const { return m_base; }
    const std::string& did() const { return m_did; }
    const std::string& handle() const { return m_handle; }
    std::optional<std::chrono::sys_seconds> access_expires() const;
    // `text` with every secret we know (password, tokens, the store's) masked.
    std::string redact(std::string text) const;

  private:
    Result<net::HttpResponse> transmit(const Call& call, const std::string& token);
    std::optional<Exchange> load_cached();
    std::optional<Exchange> refresh();
    std::optional<Exchange> create();
    std::optional<Exchange> adopt(const net::HttpResponse& response);
    void forget();
    void remember_secret(const std::string& s);

    const AdapterContext& m_ctx;
    net::RetryPolicy m_policy;
    std::string m_base;
    std::string m_handle;
    std::string m_did;
    std::string m_access;
    std::string m_refresh;
    bool m_loaded = false;  // the store was read once
    std::vector<std::string> m_secrets;
};

}  // namespace cmtool::platforms::bluesky
