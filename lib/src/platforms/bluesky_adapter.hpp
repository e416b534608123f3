#pragma once
// The Bluesky adapter (platforms.md §2). Exactly-once publishing rests on the record key: every
// part is created under a deterministic TID (cmtool/platforms/tid.hpp), so repeating a
// createRecord whose answer was lost cannot make a second post. The reference PDS refuses a
// record key that exists with HTTP 500 {"error":"InternalServerError"} (the MST's "There is
// already a value at key" surfaces as an internal error), so any 5xx from createRecord is
// reconciled with getRecord before it is reported.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/platforms/adapter.hpp"
#include "platforms/bluesky_record.hpp"
#include "platforms/bluesky_session.hpp"

namespace cmtool::platforms::bluesky {

class BlueskyAdapter final : public Adapter {
  public:
    BlueskyAdapter(const AdapterContext& ctx, std::string base_url, std::string handle);
    BlueskyAdapter(const BlueskyAdapter&) = delete;
    BlueskyAdapter& operator=(const BlueskyAdapter&) = delete;

    Platform platform() const override { return Platform::bluesky; }
    Capabilities capabilities() const override;
    nlohmann::json preview(const PublishRequest& request) const override;
    Result<AccountInfo> verify() override;
    PublishResult publish(const PublishRequest& request) override;
    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override;

  private:
    // Steps before createRecord; each returns the PublishResult that ends the publish, if any.
    std::optional<PublishResult> resolve_mentions(const std::vector<text::Facet>& facets,
                                                  std::map<std::string, std::string>& dids);
    std::optional<PublishResult> upload_images(const Part& part,
                                               std::vector<EmbeddedImage>& images);
    PublishResult interpret_create(const Exchange& exchange, const std::string& rkey,
                                   const nlohmann::json& record);
    PublishResult reconcile(const std::string& rkey, const nlohmann::json& record,
                            const std::string& why);
    Exchange get_record(const std::string& rkey);

    // Failures of a step that published nothing: transient, rate-limited or permanent.
    PublishResult not_published(const Result<net::HttpResponse>& response,
                                const std::string& what) const;
    PublishResult result(Outcome outcome, const std::string& message, std::string hint = {}) const;
    PublishResult rate_limited(const net::HttpResponse& response, const std::string& message) const;
    PublishResult sent(const nlohmann::json& answer, const std::string& rkey,
                       const std::string& message) const;
    // The error verify() and lookup() return for a failed step: auth for a permanent refusal,
    // rate_limited, else network.
    static Error as_error(const PublishResult& r);
    // "createRecord: 400 InvalidRequest: <message>", redacted.
    std::string describe(const std::string& what, const net::HttpResponse& response) const;
    std::string login_hint() const;

    AdapterContext m_ctx;
    Session m_session;
};

}  // namespace cmtool::platforms::bluesky
