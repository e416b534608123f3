#pragma once
// One step of `cmtool watch` (docs/watch.md): read every source that is due, concurrently,
// match the items against the queries, score them, store the new ones with each source's
// cursor in one transaction, then evaluate the alert rules and deliver what tripped.
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/net/smtp.hpp"
#include "cmtool/store/mentions.hpp"
#include "cmtool/watch/alerts.hpp"
#include "cmtool/watch/sentiment.hpp"

namespace cmtool::platforms {
class CredentialStore;
}

namespace cmtool::watch {

struct WatchOptions {
    // Backoff base: a source failing k times in a row waits min(interval * 2^k, 1h).
    std::chrono::minutes interval{5};
    Explain explain = Explain::no;
    bool keep_mentions = true;  // list the stored mentions in the report (off for huge imports)
    const std::atomic<bool>* stop = nullptr;
    std::function<void(const std::string&)> emit;  // stdout channel lines
    std::function<std::optional<std::string>(const std::string& channel)> smtp_password;
};

enum class SourceStatus { ok, failed, backing_off };
std::string_view source_status_name(SourceStatus s);

struct SourceRun {
    std::string key;
    std::string type;
    SourceStatus status = SourceStatus::ok;
    std::size_t fetched = 0;  // items read
    std::size_t matched = 0;  // matching a query
    std::size_t stored = 0;   // new in the store
    std::size_t requests = 0;
    std::string error;  // redacted
    std::string hint;
    std::optional<Seconds> next_try_at;  // failed or backing off: when it is tried again
    bool config_problem = false;
};

struct NewMention {
    store::Mention mention;
    std::vector<Contribution> explain;  // with Explain::yes
};

struct WatchReport {
    Seconds at{};
    std::vector<SourceRun> sources;
    std::vector<NewMention> mentions;        // stored by this step (when keep_mentions)
    std::size_t stored = 0;                  // how many were stored
    std::vector<Alert> alerts;               // delivered (new and updates)
    std::vector<nlohmann::json> deliveries;  // per alert: {"channel": "ok" | error}
    bool interrupted = false;

    bool any_source_failed() const;
    bool any_new_alert() const;
    // A channel answered anything but "ok" for some alert.
    bool any_delivery_failed() const;
};

struct WatchContext {
    const calendar::WorkspaceConfig& ws;
    store::Store& store;
    net::HttpTransport& http;
    platforms::CredentialStore& credentials;
    const net::Clock& clock;
    net::Sleeper& sleeper;
    net::Mailer& mailer;
};

// Runs one step at ctx.clock.now(). Fails (config) when the workspace has no watch queries,
// (io/conflict) when the store cannot be written; a source that fails is reported in its
// SourceRun, gets its backoff, and the others go on.
Result<WatchReport> watch_step(const WatchOptions& options, WatchContext& ctx);

// Items read and scored at a time from file sources (one chunk is scored on a worker thread
// while the previous one is stored), and chunks per store transaction: a 50,000-line chunk
// holds about 60 MB in memory; a commit every 250,000 mentions rewrites each index page it
// dirtied five times less often than a commit per chunk (bench/README.md).
inline constexpr std::size_t k_file_chunk = 50000;
inline constexpr std::size_t k_file_chunks_per_commit = 5;

}  // namespace cmtool::watch
