// pull-metrics (docs/metrics.md): track what cmtool published, then run every account's requests
// through one HttpTransport::stream, writing snapshots every `flush_every` posts.
#include "cmtool/metrics/pull.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/store/ledger.hpp"
#include "metrics/account_work.hpp"
#include "metrics/track_published.hpp"

namespace cmtool::metrics {

using detail::AccountWork;
using detail::Item;

namespace {

constexpr int k_max_rounds = 3;          // a round after a session renewal, at most twice
constexpr std::size_t k_max_slots = 64;  // requests in flight over all accounts

Seconds to_seconds(net::SysTime t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

// Writes what the accounts found: new posts tracked as unplanned, then the snapshots.
class Writer {
  public:
    Writer(store::MetricsStore& metrics, std::int64_t run, const net::Clock& clock)
        : m_metrics(metrics), m_run(run), m_clock(clock) {}

    Result<void> flush(std::vector<std::unique_ptr<AccountWork>>& works) {
        const auto start = std::chrono::steady_clock::now();
        auto r = write(works);
        m_time += std::chrono::steady_clock::now() - start;
        return r;
    }

    std::chrono::nanoseconds time() const { return m_time; }

  private:
    Result<void> write(std::vector<std::unique_ptr<AccountWork>>& works) {
        std::vector<store::PostObservation> posts;
        std::vector<store::AccountObservation> accounts;
        const Seconds now = to_seconds(m_clock.now());
        for (auto& w : works) {
            if (auto r = collect(*w, now, posts, accounts); !r) {
                return r;
            }
        }
        if (posts.empty() && accounts.empty()) {
            return {};
        }
        return m_metrics.record(m_run, posts, accounts, now);
    }

    Result<void> collect(AccountWork& w, Seconds now, std::vector<store::PostObservation>& posts,
                         std::vector<store::AccountObservation>& accounts) {
        auto& source = w.source();
        auto& report = w.report();
        if (auto counters = w.take_account()) {
            accounts.push_back(
                {report.account, report.platform, *counters, source.account_fields()});
            report.counters = *counters;
        }
        auto found = w.take_found();
        std::vector<store::TrackedPost> fresh;
        for (const auto& f : found) {
            if (!f.deleted && w.known(f.remote_id) == nullptr) {
                store::TrackedPost t;
                t.account = report.account;
                t.platform = report.platform;
                t.remote_id = f.remote_id;
                t.url = f.post.url;
                t.published_at = f.post.published_at;
                t.excerpt = f.post.excerpt;
                fresh.push_back(std::move(t));
            }
        }
        if (!fresh.empty()) {
            auto rows = m_metrics.track_all(fresh, now);
            if (!rows) {
                return fail(std::move(rows).error());
            }
            for (const auto& row : *rows) {
                w.remember(row);
            }
        }
        for (auto& f : found) {
            const store::TrackedPost* t = w.known(f.remote_id);
            if (t == nullptr) {
                continue;  // deleted before we ever tracked it
            }
            store::PostObservation o;
            o.post = t->id;
            o.deleted = f.deleted;
            o.counters = f.post.counters;
            o.fields = source.post_fields();
            if (!f.deleted) {
                ++report.posts;
            }
            posts.push_back(std::move(o));
        }
        return {};
    }

    store::MetricsStore& m_metrics;
    std::int64_t m_run;
    const net::Clock& m_clock;
    std::chrono::nanoseconds m_time{0};
};

// Feeds the transport from every account in turn, at most `concurrency` each.
class Scheduler final : public net::RequestStream {
  public:
    Scheduler(std::vector<std::unique_ptr<AccountWork>>& works, Writer& writer,
              const PullOptions& options, const net::Clock& clock, PullProgress& progress)
        : m_works(works),
          m_writer(writer),
          m_options(options),
          m_clock(clock),
          m_progress(progress) {}

    std::optional<net::TaggedRequest> next() override {
        if (stopping() || !m_error.message.empty()) {
            return std::nullopt;
        }
        const auto now = m_clock.now();
        const std::size_t cap = std::max<std::size_t>(1, m_options.concurrency);
        for (std::size_t k = 0; k < m_works.size(); ++k) {
            const std::size_t i = (m_turn + k) % m_works.size();
            const std::string host = m_works[i]->source().base_url();
            if (m_per_server[host] >= cap) {
                continue;  // accounts on one server share its budget of connections
            }
            Item item;
            if (auto request = m_works[i]->next(item, now)) {
                m_turn = i + 1;
                ++m_per_server[host];
                return net::TaggedRequest{store_slot(i, std::move(item)), std::move(*request)};
            }
        }
        return std::nullopt;
    }

    void done(std::size_t tag, Result<net::HttpResponse> response) override {
        auto [index, item] = std::move(*m_slots[tag]);
        m_slots[tag].reset();
        m_free.push_back(tag);
        --m_per_server[m_works[index]->source().base_url()];
        m_works[index]->done(std::move(item), response, m_clock.now());
        ++m_progress.requests_done;
        std::size_t pending = 0;
        for (const auto& w : m_works) {
            pending += w->found_count();
        }
        if (pending >= std::max<std::size_t>(1, m_options.flush_every) && m_error.message.empty()) {
            if (auto r = m_writer.flush(m_works); !r) {
                m_error = std::move(r).error();
            }
        }
        report_progress();
    }

    void report_progress() {
        std::size_t planned = m_progress.requests_done;
        std::size_t posts = 0;
        for (const auto& w : m_works) {
            planned += w->in_flight() + w->planned_requests();
            posts += w->report().posts + w->found_count();
        }
        m_progress.requests_planned = planned;
        m_progress.posts = posts;
        if (m_options.progress) {
            m_options.progress(m_progress);
        }
    }

    bool stopping() const { return m_options.stop != nullptr && m_options.stop->load(); }
    const Error& error() const { return m_error; }

  private:
    std::size_t store_slot(std::size_t index, Item item) {
        std::size_t tag = m_slots.size();
        if (!m_free.empty()) {
            tag = m_free.back();
            m_free.pop_back();
        } else {
            m_slots.emplace_back();
        }
        m_slots[tag].emplace(index, std::move(item));
        return tag;
    }

    std::vector<std::unique_ptr<AccountWork>>& m_works;
    Writer& m_writer;
    const PullOptions& m_options;
    const net::Clock& m_clock;
    PullProgress& m_progress;
    std::vector<std::optional<std::pair<std::size_t, Item>>> m_slots;
    std::vector<std::size_t> m_free;
    std::size_t m_turn = 0;
    std::map<std::string, std::size_t> m_per_server;  // requests in flight per API base URL
    Error m_error{ErrorCode::internal, "", ""};
};

Result<std::vector<const calendar::Account*>> select_accounts(const PullOptions& options,
                                                              const calendar::WorkspaceConfig& ws) {
    std::vector<const calendar::Account*> out;
    for (const auto& name : options.accounts) {
        auto a = calendar::require_account(ws, name);
        if (!a) {
            return fail(std::move(a).error());
        }
        out.push_back(*a);
    }
    if (options.accounts.empty()) {
        for (const auto& a : ws.accounts) {
            out.push_back(&a);
        }
    }
    return out;
}

// The account's source, prepared, and its work; or its report when it cannot be pulled.
std::variant<std::unique_ptr<AccountWork>, AccountPull> open_account(
    const calendar::Account& account, PullContext& ctx, store::MetricsStore& metrics, Seconds since,
    const PullOptions& options) {
    AccountPull failed;
    failed.account = account.name;
    failed.platform = std::string(platform_name(account.platform));
    failed.status = AccountStatus::failed;
    platforms::AdapterContext actx{ctx.ws,          account,   ctx.http,
                                   ctx.credentials, ctx.clock, ctx.sleeper};
    auto source = platforms::make_metrics_source(actx);
    if (!source) {
        failed.status = source.error().code == ErrorCode::unavailable ? AccountStatus::unsupported
                                                                      : AccountStatus::failed;
        failed.error = source.error().message;
        failed.hint = source.error().hint;
        failed.config_problem = source.error().code == ErrorCode::config;
        return failed;
    }
    store::SnapshotFilter filter;
    filter.account = account.name;
    auto known = metrics.posts(filter);
    auto due = metrics.due(account.name, since);
    if (!known || !due) {
        failed.error = !known ? known.error().message : due.error().message;
        return failed;
    }
    if (auto p = (*source)->prepare(); !p) {
        failed.hint = p.error().hint;
        if (p.error().code == ErrorCode::rate_limited) {
            failed.status = AccountStatus::partial;  // not a failure: the next run goes on
            failed.deferred = due->size();
            return failed;
        }
        failed.error = (*source)->redact(p.error().message);
        failed.config_problem = p.error().code == ErrorCode::config;
        return failed;
    }
    return std::make_unique<AccountWork>(account.name, std::move(*source), std::move(*known),
                                         std::move(*due), since, options);
}

std::string summary_json(const PullReport& r) {
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : r.accounts) {
        accounts.push_back({{"account", a.account},
                            {"status", account_status_name(a.status)},
                            {"requests", a.requests},
                            {"posts", a.posts},
                            {"deferred", a.deferred},
                            {"failed", a.failed}});
    }
    return nlohmann::json{{"accounts", accounts}}.dump();
}

}  // namespace

std::string_view account_status_name(AccountStatus s) {
    switch (s) {
        case AccountStatus::ok:
            return "ok";
        case AccountStatus::partial:
            return "partial";
        case AccountStatus::failed:
            return "failed";
        case AccountStatus::unsupported:
            return "unsupported";
    }
    return "ok";
}

std::size_t PullReport::total_posts() const {
    std::size_t n = 0;
    for (const auto& a : accounts) {
        n += a.posts;
    }
    return n;
}

bool PullReport::any_failure() const {
    return std::any_of(accounts.begin(), accounts.end(), [](const AccountPull& a) {
        return a.status == AccountStatus::failed || a.failed > 0 ||
               (a.status == AccountStatus::partial && !a.error.empty());
    });
}

Result<PullReport> pull_metrics(const PullOptions& options, PullContext& ctx) {
    auto selected = select_accounts(options, ctx.ws);
    if (!selected) {
        return fail(std::move(selected).error());
    }
    PullReport report;
    report.started = to_seconds(ctx.clock.now());
    report.since = options.since.value_or(report.started - ctx.ws.metrics_lookback);
    store::MetricsStore metrics(ctx.store);
    store::Ledger ledger(ctx.store);
    if (auto t = detail::track_published(ledger, metrics, ctx.ws, report.since, report.started);
        !t) {
        return fail(std::move(t).error());
    }
    auto run = metrics.begin_run(report.started);
    if (!run) {
        return fail(std::move(run).error());
    }
    report.run = *run;

    std::vector<std::unique_ptr<AccountWork>> works;
    std::vector<AccountPull> unopened;
    for (const auto* account : *selected) {
        auto opened = open_account(*account, ctx, metrics, report.since, options);
        if (auto* w = std::get_if<std::unique_ptr<AccountWork>>(&opened)) {
            works.push_back(std::move(*w));
        } else {
            unopened.push_back(std::get<AccountPull>(std::move(opened)));
        }
    }

    Writer writer(metrics, report.run, ctx.clock);
    PullProgress progress;
    Scheduler scheduler(works, writer, options, ctx.clock, progress);
    const std::size_t slots = std::min(k_max_slots, std::max<std::size_t>(1, options.concurrency) *
                                                        std::max<std::size_t>(1, works.size()));
    for (int round = 0; round < k_max_rounds && !scheduler.stopping(); ++round) {
        ctx.http.stream(scheduler, slots);
        bool again = false;
        for (auto& w : works) {
            if (w->needs_renewal() && w->renew()) {
                again = again || w->has_work();
            }
        }
        if (!again || !scheduler.error().message.empty()) {
            break;
        }
    }
    Result<void> written = scheduler.error().message.empty()
                               ? writer.flush(works)
                               : Result<void>(fail(scheduler.error()));
    report.interrupted = scheduler.stopping();
    report.store_time = writer.time();
    for (auto& w : works) {
        report.accounts.push_back(w->finish(report.interrupted));
    }
    for (auto& u : unopened) {
        report.accounts.push_back(std::move(u));
    }
    std::sort(report.accounts.begin(), report.accounts.end(),
              [](const AccountPull& a, const AccountPull& b) { return a.account < b.account; });
    report.finished = to_seconds(ctx.clock.now());
    const auto status = !written               ? store::RunStatus::failed
                        : report.interrupted   ? store::RunStatus::interrupted
                        : report.any_failure() ? store::RunStatus::partial
                                               : store::RunStatus::ok;
    if (auto f = metrics.finish_run(report.run, status, summary_json(report), report.finished);
        !f) {
        return fail(std::move(f).error());
    }
    if (!written) {
        return fail(std::move(written).error());
    }
    return report;
}

}  // namespace cmtool::metrics
