#pragma once
// What Facebook Pages, Instagram and Threads share (platforms.md §5.0): the Graph error body
// and its codes, throttling by code regardless of the HTTP status, the usage headers, paging,
// the token sent as `access_token`, one renewal after code 190, and Meta's timestamps.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/ratelimit.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::meta {

// Error codes (§5.0): 190 expired/invalid token; 4 app, 17 user, 32 Page, 613 call-rate and
// 80001 Pages business-use-case throttling [V for 4/17/613, C for 32/80001]; 1 and 2 transient.
inline constexpr int k_code_expired = 190;
bool is_throttle_code(long code);
bool is_transient_code(long code);

// When a throttling error carries no estimated_time_to_regain_access: Meta's windows are one
// rolling hour [U], so retry after a quarter of it.
inline constexpr std::chrono::minutes k_default_throttle_wait{15};

// {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}} (§5.0).
struct GraphError {
    long code = 0;
    long subcode = 0;
    std::string message;
    std::string type;
};
std::optional<GraphError> graph_error(const net::HttpResponse& response);

// Meta's "2026-11-20T10:00:00+0000" (also with "+00:00" or "Z"), fractions dropped.
std::optional<std::chrono::sys_seconds> parse_meta_time(std::string_view text);

// A part's text as it is compared with a caption/message found on the platform: trimmed, line
// ends as "\n".
std::string text_for_match(std::string_view text);

// `base` (the account's `api`, default per network) + "/" + `graph_version`; no trailing slash.
std::string graph_base(const calendar::Account& account);
// The account's media_base_url, else the workspace's; empty when neither is set.
std::string media_base_url(const AdapterContext& ctx);
// The public URL of a calendar media file ("media/a/b.jpg" -> "<base>/a/b.jpg"); fails (config)
// when there is no media_base_url or the file is not under media/.
Result<std::string> public_media_url(const AdapterContext& ctx, const MediaFile& media);

// Whether the account has an access token at all (no network: publish asks before writing any
// intent); fails (config) naming `cmtool auth login` and the variable. `what` names the token
// ("access token", "Page access token").
Result<void> require_token(const AdapterContext& ctx, std::string_view what);

// Which step of a publish failed: before the request that creates the post nothing can exist;
// at it, an unanswered request may have created one.
enum class Step { prepare, create };

// The authenticated Graph client of one account: token from oauth::access_token, sent as the
// `access_token` parameter (all Meta examples do); one oauth::renew and one retry after code
// 190; the usage headers remembered, and a request refused without sending while they say the
// budget is spent until a future time.
class GraphClient {
  public:
    GraphClient(const AdapterContext& ctx, std::string base);

    const std::string& base() const { return m_base; }
    // The token, or the reason there is none (config) / it expired (auth).
    Result<std::string> token();
    // GET base + path with `query`; POST sends `fields` as a form. Retryable as given.
    Result<net::HttpResponse> get(const std::string& path, net::FieldList query = {});
    Result<net::HttpResponse> post(const std::string& path, net::FieldList fields,
                                   net::Retryable retryable);
    // POST multipart (a photo upload): `form` gets the access_token field added.
    Result<net::HttpResponse> post_multipart(const std::string& path, net::MultipartForm form,
                                             net::Retryable retryable);

    // A PublishResult for a failed answer: throttling -> rate_limited with the retry time from
    // the usage headers; 190 (after the renewal) and permissions -> permanent with a hint; at
    // Step::create an unanswered request or a 5xx -> unknown.
    PublishResult failure(const Result<net::HttpResponse>& response, const std::string& what,
                          Step step) const;
    // The Error verify() and lookup() return.
    Error as_error(const Result<net::HttpResponse>& response, const std::string& what) const;
    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    std::string redact(std::string text) const;
    // "<what>: HTTP 400: (#190) message", redacted.
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    // GET /{user}?fields=id,username,name: who an Instagram or Threads user id is, with its
    // profile URL `profile_prefix` + username.
    Result<AccountInfo> verify_user(const std::string& user, const std::string& profile_prefix);
    const net::RateLimit& rate() const { return m_rate; }

  private:
    Result<net::HttpResponse> send(const std::function<net::HttpRequest(const std::string&)>& make,
                                   net::Retryable retryable);
    std::string token_hint() const;

    AdapterContext m_ctx;
    std::string m_base;
    net::RetryPolicy m_policy;
    std::optional<std::string> m_token;
    bool m_renewed = false;
    net::RateLimit m_rate;
};

// The `after` cursor of a Graph page ({"paging": {"cursors": {"after"}, "next"}}), present only
// when `next` is (the last page has no `next`).
std::optional<std::string> next_cursor(const nlohmann::json& page);

// What find_by_text() found: the oldest item of the list whose `text_field` equals the part's
// text, created at or after `since`.
struct TextMatch {
    Found found = Found::cannot_tell;
    nlohmann::json item;
    std::string how;
};

// Reads a newest-first Graph list (`path` with `query`, `after` paging) back to `since` (at most
// a few pages) and looks for an item whose `text_field` equals `expected` (text_for_match on
// both sides). Found::no only when the list was read back to `since` or to its end. Fails
// (auth/config) when the token is the problem; other failures give cannot_tell.
Result<TextMatch> find_by_text(GraphClient& graph, const std::string& path, net::FieldList query,
                               const char* text_field, const char* time_field,
                               const std::string& expected, std::chrono::sys_seconds since);

}  // namespace cmtool::platforms::meta
