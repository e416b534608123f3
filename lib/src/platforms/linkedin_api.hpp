#pragma once
// What the LinkedIn adapter and metrics source share (platforms.md §3): the versioned REST
// headers, the account's author and `version` settings, "little" text escaping, error bodies,
// the daily 429 reset, and the token a request carries (renewed once after a 401).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/net/http.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms::linkedin {

// LinkedIn-Version sent when the account sets no `version` (YYYYMM). Versions are sunset about
// a year after release (§3.1 [V]): move this forward with each cmtool release.
inline constexpr std::string_view k_default_version = "202601";
// X-Restli-Protocol-Version, mandatory on every versioned call (§3.1 [V]).
inline constexpr std::string_view k_restli_protocol = "2.0.0";
// The API host when the account has no `api` setting (§3.1 [V]).
inline constexpr std::string_view k_default_api = "https://api.linkedin.com";
// Characters of the "little" text format that must be backslash-escaped in `commentary`
// (§3.2 [C]: third-party escaping code citing LinkedIn's page). One constant to change.
inline constexpr std::string_view k_reserved = "\\|{}@[]()<>#*_~";
// Whether `#word` becomes the hashtag template `{hashtag|\#|word}` (LinkedIn's little-format
// hashtag [U: the template is documented on the little-text page, only an excerpt was read])
// instead of an escaped, plain-text `\#word`.
inline constexpr bool k_hashtag_templates = true;

// The account's LinkedIn-Version: `version` (six digits YYYYMM) or k_default_version. Fails
// (config) for any other value.
Result<std::string> version_of(const calendar::Account& account);
// The account's `author` URN when it is urn:li:person:<id> or urn:li:organization:<id>; fails
// (config) otherwise.
Result<std::string> author_of(const calendar::Account& account);
bool is_organization(std::string_view urn);
// "123" out of "urn:li:organization:123".
std::string urn_id(std::string_view urn);

// `text` in the little format: reserved characters escaped, hashtags as templates.
std::string escape_little(std::string_view text);
// The plain text of little-format `text` (escapes undone, hashtag templates as `#word`,
// mention templates `@[Name](urn)` as `Name`).
std::string unescape_little(std::string_view text);

// A request to `url` with the bearer token (none when empty) and, for /rest/ paths,
// LinkedIn-Version and X-Restli-Protocol-Version.
net::HttpRequest make_request(std::string method, std::string url, const std::string& token,
                              const std::string& version, std::chrono::milliseconds timeout);

// "<what>: HTTP <status>: <message> (serviceErrorCode <n>)" from LinkedIn's error body
// {status, serviceErrorCode, message, code?} (§3.8 [V]).
std::string describe(const std::string& what, const net::HttpResponse& response);
// Whether an answer says the LinkedIn-Version is no longer (or not) served: HTTP 426 [U], or a
// 400 whose message or code names the version [U].
bool version_refused(const net::HttpResponse& response);
// The hint for a refused version.
std::string version_hint(const calendar::Account& account, const std::string& version);

// Daily budgets reset at midnight UTC (§3.8 [V]): the next 00:00 UTC strictly after `now`.
std::chrono::sys_seconds next_utc_midnight(std::chrono::system_clock::time_point now);

// The hint when the token is refused: LinkedIn tokens last 60 days and only partner apps get
// refresh tokens, so the user re-consents with `cmtool auth login`.
std::string reconsent_hint(const calendar::Account& account);

// The access token to send, and its renewal after a 401: oauth::access_token / oauth::renew,
// with LinkedIn's re-consent explanation on failure.
class Tokens {
  public:
    explicit Tokens(AdapterContext ctx) : m_ctx(ctx) {}
    // The token (cached); fails (config) when there is none, (auth) when expired.
    Result<std::string> get();
    // After a 401 with `stale`: the renewed token, once per Tokens. Fails (auth) with the
    // re-consent explanation when renewal is impossible or refused.
    Result<std::string> renew_after_401(const std::string& stale);
    std::optional<std::string> current() const { return m_token; }

  private:
    AdapterContext m_ctx;
    std::optional<std::string> m_token;
    bool m_renewed = false;
    std::optional<Error> m_renew_error;
};

}  // namespace cmtool::platforms::linkedin
