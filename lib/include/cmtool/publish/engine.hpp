#pragma once
// `cmtool publish`: send every due delivery exactly once. Before anything else, parts whose
// outcome is unknown (a crash or a timeout after sending) are reconciled with the platform;
// then each due delivery is sent part by part, an intent committed to the ledger before each
// request and the outcome after it (docs/ledger.md).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/platforms/adapter.hpp"
#include "cmtool/publish/deliveries.hpp"

namespace cmtool::net {
class Sleeper;
}
namespace cmtool::store {
class Ledger;
}

namespace cmtool::publish {

enum class DeliveryOutcome {
    sent,            // sent in this run (every part)
    already_sent,    // sent in an earlier run
    would_send,      // --dry-run
    failed,          // refused by the platform in this run
    failed_earlier,  // refused in an earlier run; not retried without --retry-failed
    missed,          // later than max_late: not sent (use --catch-up)
    missed_earlier,
    deferred,         // rate limit, transient failure or unknown outcome: the next run goes on
    blocked,          // the calendar has an error for it, or its account cannot be used
    to_post_by_hand,  // manual channel: rendered to a folder in this run
    awaiting_confirmation,  // manual channel: rendered earlier, not confirmed yet
};
std::string_view outcome_name(DeliveryOutcome o);
// True for outcomes that make `publish` exit 1.
bool is_failure(DeliveryOutcome o);

struct PartReport {
    std::size_t index = 0;
    std::string status;  // sent, already_sent, unknown, failed, preview
    platforms::RemoteRef ref;
    nlohmann::json preview;  // --dry-run: what would be sent (no secrets)
};

struct DeliveryReport {
    std::string occurrence_id;
    std::string post_id;
    std::string channel;
    std::string platform;
    std::chrono::sys_seconds scheduled_at{};
    DeliveryOutcome outcome = DeliveryOutcome::deferred;
    std::size_t parts_sent = 0;
    std::size_t parts_total = 0;
    std::string url;
    std::string remote_id;
    std::string message;
    std::string hint;
    std::optional<std::chrono::sys_seconds> retry_at;
    bool reconciled = false;          // a part's unknown outcome was settled in this run
    bool changed_since_sent = false;  // the calendar was edited after it was sent
    bool config_problem = false;      // blocked by missing credentials or an unsupported platform
    std::string manual_folder;        // manual channel: where the ready-to-post folder is
    std::vector<PartReport> parts;
};

struct PublishReport {
    std::vector<DeliveryReport> deliveries;
    std::vector<std::string> notes;  // reconciliation and other remarks for stderr
    bool interrupted = false;
};

struct PublishOptions {
    std::chrono::sys_seconds now{};
    bool catch_up = false;  // send deliveries later than max_late instead of marking them missed
    bool retry_failed = false;  // try again deliveries that failed in an earlier run
    bool dry_run = false;
    DeliveryFilter filter;
    std::chrono::seconds max_wait{60};        // wait for a rate-limit reset this close; else defer
    const std::atomic<bool>* stop = nullptr;  // set by SIGINT/SIGTERM: finish the part, then stop
};

using AdapterFactory =
    std::function<Result<std::unique_ptr<platforms::Adapter>>(const calendar::Account&)>;

struct PublishContext {
    const calendar::WorkspaceConfig& ws;
    store::Ledger* ledger = nullptr;  // may be null for --dry-run in a workspace never published
    AdapterFactory adapters;
    net::Sleeper& sleeper;
    std::function<void(const DeliveryReport&)> on_delivery;  // progress, may be empty
};

// Publishes (or previews) every due delivery of `posts`. Fails only when the ledger cannot be
// read or written; per-delivery problems are outcomes in the report.
Result<PublishReport> run_publish(const std::vector<calendar::Post>& posts,
                                  const PublishOptions& options, PublishContext& ctx);

}  // namespace cmtool::publish
