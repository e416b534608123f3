#pragma once
// The LinkedIn adapter (platforms.md §3, docs/networks/linkedin.md): POST /rest/posts on the
// versioned REST API, images through the Images API, verify() through userinfo (members) or
// the organization lookup. LinkedIn has no idempotency key and no thread construct:
// - exactly-once rests on lookup(), which lists the author's recent posts and matches the
//   commentary; when the list cannot be read (member posts need the restricted r_member_social
//   permission) the part stays unknown and is reported, never sent again blindly;
// - a thread item beyond the first is never requested (the calendar validator warns that
//   LinkedIn has no threads and render_parts keeps the first part only); publish() refuses one.
//
// Account settings read here: `author` (urn:li:person:<id> | urn:li:organization:<id>),
// `version` (LinkedIn-Version, YYYYMM), `api` (base URL), `client_id` (token renewal),
// `timeout_ms` (per-request timeout, default 30000, 120000 for image uploads).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "linkedin_api.hpp"

namespace cmtool::platforms::linkedin {

// Where a failure happened: before POST /rest/posts nothing can have been published.
enum class Step { prepare, post };

// An uploaded image: its URN and alt text.
struct Image {
    std::string urn;
    std::string alt;
};

class LinkedInAdapter final : public Adapter {
  public:
    LinkedInAdapter(const AdapterContext& ctx, std::string base, std::string author,
                    std::string version, std::optional<std::chrono::milliseconds> timeout);

    Platform platform() const override { return Platform::linkedin; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    Result<void> ready_to_publish() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

    // The JSON body of POST /rest/posts for `request` with its uploaded images.
    nlohmann::json post_body(const PublishRequest& request, const std::vector<Image>& images) const;

  private:
    // Images (linkedin_publish.cpp): initializeUpload, then PUT the bytes.
    std::optional<PublishResult> upload_image(const MediaFile& media, Image& image);
    PublishResult interpret_post(const Result<net::HttpResponse>& response);

    // Transport (linkedin.cpp): headers, token, retries, one renewal after a 401.
    net::HttpRequest request(std::string method, const std::string& path_or_url,
                             std::chrono::milliseconds timeout) const;
    Result<net::HttpResponse> send(net::HttpRequest request, net::Retryable retryable);
    std::chrono::milliseconds api_timeout() const;
    std::chrono::milliseconds upload_timeout() const;

    // Outcomes (linkedin_outcome.cpp).
    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    PublishResult failure(const Result<net::HttpResponse>& response, const std::string& what,
                          Step step) const;
    Error as_error(const Result<net::HttpResponse>& response, const std::string& what) const;
    std::optional<std::chrono::sys_seconds> reset_after_429(const net::HttpResponse& r) const;
    std::string permission_hint() const;
    std::string redact(std::string text) const;

    AdapterContext m_ctx;
    std::string m_base;
    std::string m_author;
    std::string m_version;
    std::optional<std::chrono::milliseconds> m_timeout;
    net::RetryPolicy m_policy;
    Tokens m_tokens;
    // After a 429: no request until then (the daily budget is spent).
    std::optional<std::chrono::sys_seconds> m_blocked_until;
};

}  // namespace cmtool::platforms::linkedin
