#pragma once
// One account's share of a pull: what is left to ask, what is in flight, and what its answers
// said. The puller (pull.cpp) runs every account's AccountWork through one HttpTransport::stream.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cmtool/metrics/pull.hpp"
#include "cmtool/platforms/metrics.hpp"
#include "cmtool/store/metrics.hpp"

namespace cmtool::metrics::detail {

struct Item {
    enum class Kind { account, page, batch, single };
    Kind kind = Kind::account;
    std::vector<std::string> ids;       // batch and single: the remote ids asked for
    std::optional<std::string> cursor;  // page: where it starts
    int attempts = 0;
};

// A post an answer showed (or showed to be deleted), waiting to be written.
struct Found {
    std::string remote_id;
    bool deleted = false;
    platforms::RemotePost post;  // when not deleted
};

class AccountWork {
  public:
    AccountWork(std::string account, std::unique_ptr<platforms::MetricsSource> source,
                std::vector<store::TrackedPost> known, std::vector<store::TrackedPost> due,
                Seconds since, const PullOptions& options);

    // The next request to send for this account, or nullopt (nothing now, stopped, budget
    // spent, or `concurrency` already in flight). `item` receives what it asks for.
    std::optional<net::HttpRequest> next(Item& item, net::SysTime now);
    // Reads the answer to `item`.
    void done(Item item, const Result<net::HttpResponse>& response, net::SysTime now);

    // After a round: the session was refused, renew() and go again (once).
    bool needs_renewal() const { return m_needs_renewal; }
    Result<void> renew();
    // Whether anything is left to ask (and the account may still ask).
    bool has_work() const;
    std::size_t in_flight() const { return m_in_flight; }
    // Requests this account will still need, as far as is known (for the progress bar).
    std::size_t planned_requests() const;

    // Found posts and counters not yet written; take_found() hands them over.
    std::vector<Found> take_found();
    std::size_t found_count() const { return m_found.size(); }
    std::optional<store::AccountCounters> take_account();
    const store::TrackedPost* known(const std::string& remote_id) const;
    void remember(const store::TrackedPost& post);
    platforms::MetricsSource& source() { return *m_source; }

    // The report, with deferred counted from what is left; call once at the end.
    AccountPull finish(bool interrupted);
    AccountPull& report() { return m_report; }

  private:
    std::optional<Item> take_item();
    // The failures every kind of answer shares; true when `answer` was one and is dealt with.
    bool handle_failure(const Item& item, platforms::Answer answer, const std::string& message);
    void fail_item(const Item& item, const std::string& message);
    void retry_or_fail(Item item, const std::string& message);
    void stop_for_rate_limit(const std::string& message);
    void read_page(const Item& item, const Result<net::HttpResponse>& response);
    void read_batch(const Item& item, const Result<net::HttpResponse>& response);
    void read_single(const Item& item, const Result<net::HttpResponse>& response);
    void saw(platforms::RemotePost post);
    // A post a timeline listed without counters: asked for in a batch, its listing kept.
    void list_for_batch(platforms::RemotePost post);
    bool budget_spent(net::SysTime now) const;

    std::unique_ptr<platforms::MetricsSource> m_source;
    const PullOptions& m_options;
    Seconds m_since;
    AccountPull m_report;
    std::map<std::string, store::TrackedPost> m_known;  // remote id → row
    std::deque<std::string> m_due;                      // remote ids still to batch
    std::deque<Item> m_ready;                           // singles, retries, next page
    std::set<std::string> m_seen;                       // observed or deleted in this run
    std::set<std::string> m_failed;
    std::set<std::string> m_queued;                         // every id ever put in m_due
    std::map<std::string, platforms::RemotePost> m_listed;  // timeline posts without counters
    std::vector<Found> m_found;
    std::optional<store::AccountCounters> m_account;
    bool m_account_pending = true;
    int m_account_attempts = 0;
    bool m_batch_unsupported = false;
    std::size_t m_pages = 0;
    bool m_page_in_flight = false;
    std::size_t m_in_flight = 0;
    bool m_stopped = false;
    bool m_needs_renewal = false;
    bool m_renewed = false;
    net::RateLimit m_rate;
};

}  // namespace cmtool::metrics::detail
