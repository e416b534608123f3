#pragma once
// `cmtool pull-metrics` (docs/metrics.md): snapshots of every tracked post's counters and of each
// account's profile counters, pulled concurrently and politely, appended to the store.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/metrics.hpp"
#include "cmtool/store/metrics.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::platforms {
class CredentialStore;
}

namespace cmtool::metrics {

using Seconds = std::chrono::sys_seconds;

struct PullProgress {
    std::size_t requests_done = 0;
    std::size_t requests_planned = 0;  // grows as timelines reveal more pages
    std::size_t posts = 0;             // snapshots taken so far
};

struct PullOptions {
    std::vector<std::string> accounts;  // empty: every account with a metrics source
    std::optional<Seconds> since;       // default: now - the workspace's metrics.lookback
    std::size_t concurrency = 8;        // requests in flight per server (API base URL)
    std::size_t max_pages = 10;         // timeline pages per account and run (discovery)
    std::size_t flush_every = 5000;     // snapshots per store transaction (each one fsync)
    const std::atomic<bool>* stop = nullptr;
    std::function<void(const PullProgress&)> progress;  // called after each answer
};

enum class AccountStatus {
    ok,           // everything due was pulled
    partial,      // some posts were left for the next run (rate limit) or failed
    failed,       // nothing could be pulled (credentials, network)
    unsupported,  // the platform has no metrics source yet
};
std::string_view account_status_name(AccountStatus s);

struct AccountPull {
    std::string account;
    std::string platform;
    AccountStatus status = AccountStatus::ok;
    std::size_t requests = 0;
    std::size_t posts = 0;      // snapshots written
    std::size_t unplanned = 0;  // posts found on the account that cmtool did not publish (new)
    std::size_t deleted = 0;    // found deleted in this run
    std::size_t deferred = 0;   // left for the next run (rate limit, interruption)
    std::size_t failed = 0;     // posts whose request failed
    std::optional<store::AccountCounters> counters;
    std::optional<Seconds> budget_reset;  // when the rate limit refills, if it stopped us
    std::string error;                    // redacted
    std::string hint;
    bool config_problem = false;  // missing credentials or settings (exit 2)
};

struct PullReport {
    std::int64_t run = 0;
    Seconds started{};
    Seconds finished{};
    Seconds since{};
    bool interrupted = false;
    std::vector<AccountPull> accounts;
    std::chrono::nanoseconds store_time{0};  // spent writing snapshots (the benchmark reports it)

    std::size_t total_posts() const;
    // True when any account failed or left failures (exit 1).
    bool any_failure() const;
};

// Where the puller's inputs come from (tests pass fakes).
struct PullContext {
    const calendar::WorkspaceConfig& ws;
    store::Store& store;
    net::HttpTransport& http;
    platforms::CredentialStore& credentials;
    const net::Clock& clock;
    net::Sleeper& sleeper;
};

// Tracks the posts published by cmtool within the window (from the ledger), then pulls every
// selected account: its profile counters, its recent posts (to find unplanned ones) and the
// counters of every tracked post, and appends the snapshots. Fails (usage) for an unknown
// account name, (io/conflict) when the store cannot be written; an account that fails is
// reported in its AccountPull and the others go on.
Result<PullReport> pull_metrics(const PullOptions& options, PullContext& ctx);

}  // namespace cmtool::metrics
