#pragma once
// One interface for every network (docs/platforms.md): publish one part of a delivery, look up
// whether a part was already published (reconciliation after a crash), check credentials, and
// show what would be sent. The publish engine knows nothing else about a platform.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/text/platform.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::net {
class HttpTransport;
class Clock;
class Sleeper;
}  // namespace cmtool::net

namespace cmtool::platforms {

class CredentialStore;

struct MediaFile {
    std::filesystem::path path;  // absolute
    std::string file;            // as written in the calendar (workspace-relative)
    std::string alt;
    std::string mime;  // "image/jpeg", ...
    std::uintmax_t size = 0;
    int width = 0;  // 0 when unknown (aspect ratio for Bluesky)
    int height = 0;
};

// One message: the post itself (index 0) or one thread item (1..n).
struct Part {
    std::size_t index = 0;
    std::string text;  // final text: variant, link and UTM applied
    std::string link;  // the link (already in text) for networks that build link cards
    std::vector<MediaFile> media;
};

// Where a published part lives. `id` is the platform's id (Mastodon status id, X tweet id,
// LinkedIn URN); Bluesky also needs `uri` and `cid` to reply to it.
struct RemoteRef {
    std::string id;
    std::string url;  // for humans; may be empty
    std::string uri;
    std::string cid;

    nlohmann::json to_json() const;
    static RemoteRef from_json(const nlohmann::json& j);
};

struct PublishRequest {
    // Stable for (workspace, account, occurrence, part): the idempotency key, or the seed of
    // the record key we choose, so that a repeat is recognised as a duplicate.
    std::string key;
    Part part;
    std::optional<RemoteRef> parent;  // the previous part, when this is a reply in a thread
    std::optional<RemoteRef> root;    // the first part of the thread
    std::chrono::sys_seconds scheduled_at{};
    std::vector<std::string> langs;  // BCP 47, may be empty
};

enum class Outcome {
    sent,               // the platform confirmed; ref is set
    permanent_failure,  // refused (validation, auth revoked): do not retry without a change
    transient_failure,  // certainly not processed (refused connection, 5xx before processing)
    rate_limited,       // certainly not processed; retry at retry_at
    unknown,            // may or may not have been processed: reconcile before retrying
};
std::string_view outcome_name(Outcome o);

struct PublishResult {
    Outcome outcome = Outcome::unknown;
    RemoteRef ref;
    std::string message;  // the platform's message, redacted
    std::string hint;
    std::optional<std::chrono::sys_seconds> retry_at;
};

enum class Found { yes, no, cannot_tell };
struct LookupResult {
    Found found = Found::cannot_tell;
    RemoteRef ref;
    std::string how;  // what was looked up, for the log ("getRecord at://.../3kx...")
};

struct AccountInfo {
    std::string id;
    std::string handle;
    std::string display_name;
    std::string url;
    std::optional<std::chrono::sys_seconds> token_expires;
};

struct Capabilities {
    bool threads = false;  // replies chained by us
    bool alt_text = false;
    bool idempotent_publish = false;  // a repeated publish with the same key cannot duplicate
    bool lookup = false;              // lookup() can tell found/not found
};

class Adapter {
  public:
    virtual ~Adapter() = default;
    virtual Platform platform() const = 0;
    virtual Capabilities capabilities() const = 0;
    // The request(s) publish() would send, as JSON without secrets (for --dry-run).
    virtual nlohmann::json preview(const PublishRequest& request) const = 0;
    // Who the credentials belong to. Fails (auth) with the platform's message and a hint.
    virtual Result<AccountInfo> verify() = 0;
    // Whether publish() can be attempted at all, checked without the network: fails (config)
    // when the credentials are missing, with a hint naming the environment variable. The engine
    // asks before writing any intent, so a missing secret is a configuration problem, not a
    // delivery refused by the platform. The default has nothing to check.
    virtual Result<void> ready_to_publish() { return {}; }
    // Publishes one part. Never throws; transport and platform failures are outcomes.
    virtual PublishResult publish(const PublishRequest& request) = 0;
    // Whether the part with this request's key was already published (its intent was written
    // at `intent_at` and its outcome is unknown). Fails only when the platform cannot be asked.
    virtual Result<LookupResult> lookup(const PublishRequest& request,
                                        std::chrono::sys_seconds intent_at) = 0;
};

// What an adapter needs from the outside world, passed in (no globals).
struct AdapterContext {
    const calendar::WorkspaceConfig& ws;
    const calendar::Account& account;
    net::HttpTransport& http;
    CredentialStore& credentials;
    const net::Clock& clock;
    net::Sleeper& sleeper;
};

// The adapter for an account's platform. Fails (config) when credentials are missing or the
// platform has no adapter yet, with a hint naming the environment variable to set.
Result<std::unique_ptr<Adapter>> make_adapter(const AdapterContext& ctx);

// The API base URL for an account: its `api` setting, else the platform default (Mastodon:
// `instance`; Bluesky: `service`).
std::string api_base(const calendar::Account& account);

}  // namespace cmtool::platforms
