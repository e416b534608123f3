// Opening and streaming watch jobs (jobs.hpp).
#include "watch/jobs.hpp"

#include <algorithm>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/watch/query.hpp"

namespace cmtool::watch::detail {

namespace {

constexpr std::size_t k_max_slots = 16;  // requests in flight over all sources

bool is_search(calendar::WatchSourceType t) {
    return t == calendar::WatchSourceType::mastodon_search ||
           t == calendar::WatchSourceType::bluesky_search ||
           t == calendar::WatchSourceType::x_search ||
           t == calendar::WatchSourceType::threads_search;
}

bool uses(const calendar::WatchQueryConfig& q, const std::string& source) {
    return std::find(q.sources.begin(), q.sources.end(), source) != q.sources.end();
}

void fail_job(Job& job, const Error& e) {
    job.run.status = SourceStatus::failed;
    job.run.error = job.source ? job.source->redact(e.message) : e.message;
    job.run.hint = e.hint;
    job.run.config_problem = e.code == ErrorCode::config;
}

Result<void> open_job(Job& job, WatchContext& ctx, store::MentionStore& ms, Seconds now,
                      const std::string& terms) {
    job.run.type = std::string(calendar::watch_source_type_name(job.config->type));
    auto stored = ms.cursor(job.run.key);
    if (!stored) {
        return fail(std::move(stored).error());
    }
    if (*stored) {
        job.cursor_before = **stored;
    }
    job.cursor_before.source = job.run.key;
    job.cursor = job.cursor_before;
    if (job.cursor_before.next_try_at && *job.cursor_before.next_try_at > now) {
        job.run.status = SourceStatus::backing_off;
        job.run.next_try_at = job.cursor_before.next_try_at;
        job.run.error = job.cursor_before.last_error;
        return {};
    }
    job.started = true;
    if (job.config->type == calendar::WatchSourceType::file) {
        return {};
    }
    const calendar::Account* account = ctx.ws.find_account(job.config->account);
    std::optional<platforms::AdapterContext> actx;
    if (account != nullptr) {
        actx.emplace(platforms::AdapterContext{ctx.ws, *account, ctx.http, ctx.credentials,
                                               ctx.clock, ctx.sleeper});
    }
    auto source = make_watch_source(*job.config, job.run.key, terms, actx ? &*actx : nullptr);
    if (!source) {
        fail_job(job, source.error());
        return {};
    }
    job.source = std::move(*source);
    if (auto p = job.source->prepare(); !p) {
        fail_job(job, p.error());
        return {};
    }
    job.queue.push_back(job.source->first_request(job.cursor));
    return {};
}

class Scheduler final : public net::RequestStream {
  public:
    Scheduler(std::vector<std::unique_ptr<Job>>& jobs, const net::Clock& clock,
              const std::atomic<bool>* stop)
        : m_jobs(jobs), m_clock(clock), m_stop(stop) {}

    std::optional<net::TaggedRequest> next() override {
        if (m_stop != nullptr && m_stop->load()) {
            return std::nullopt;
        }
        for (std::size_t k = 0; k < m_jobs.size(); ++k) {
            const std::size_t i = (m_turn + k) % m_jobs.size();
            Job& j = *m_jobs[i];
            if (!j.in_flight && !j.queue.empty() && j.run.status == SourceStatus::ok) {
                m_turn = i + 1;
                j.in_flight = true;
                net::TaggedRequest t{i, std::move(j.queue.front())};
                j.queue.pop_front();
                return t;
            }
        }
        return std::nullopt;
    }

    void done(std::size_t tag, Result<net::HttpResponse> response) override {
        Job& j = *m_jobs[tag];
        j.in_flight = false;
        ++j.run.requests;
        Page page = j.source->read(response, j.cursor);
        switch (page.answer) {
            case platforms::Answer::ok:
                j.run.fetched += page.items.size();
                std::move(page.items.begin(), page.items.end(), std::back_inserter(j.items));
                if (page.next) {
                    j.queue.push_back(std::move(*page.next));
                }
                return;
            case platforms::Answer::auth:
                if (!j.renewed) {
                    j.needs_renewal = true;
                    return;
                }
                break;
            case platforms::Answer::rate_limited:
                // §1.8, §2.9: wait for the announced reset (or Retry-After) before asking again.
                // The later of the budget's reset and Retry-After wins.
                if (response) {
                    const auto now = m_clock.now();
                    j.rate_reset = net::parse_any_rate_limit(*response, now).reset;
                    if (const auto delay = net::retry_after(*response, now)) {
                        const auto after = std::chrono::ceil<std::chrono::seconds>(now + *delay);
                        j.rate_reset = std::max(j.rate_reset.value_or(after), after);
                    }
                    if (page.retry_at) {  // the source read the wait from its platform's body
                        j.rate_reset =
                            std::max(j.rate_reset.value_or(*page.retry_at), *page.retry_at);
                    }
                }
                break;
            default:
                break;
        }
        fail_job(j, Error{ErrorCode::network, page.message, page.hint});
        j.queue.clear();
    }

  private:
    std::vector<std::unique_ptr<Job>>& m_jobs;
    const net::Clock& m_clock;
    const std::atomic<bool>* m_stop;
    std::size_t m_turn = 0;
};

}  // namespace

Result<std::vector<std::unique_ptr<Job>>> open_jobs(WatchContext& ctx, store::MentionStore& ms,
                                                    Seconds now) {
    std::vector<std::unique_ptr<Job>> jobs;
    const auto& config = ctx.ws.watch;
    for (const auto& s : config.sources) {
        std::vector<const calendar::WatchQueryConfig*> users;
        for (const auto& q : config.queries) {
            if (uses(q, s.name)) {
                users.push_back(&q);
            }
        }
        if (users.empty()) {
            continue;  // no query reads it
        }
        if (!is_search(s.type)) {
            users = {nullptr};
        }
        for (const auto* q : users) {
            auto job = std::make_unique<Job>();
            job->config = &s;
            job->query = q != nullptr ? q->name : "";
            job->run.key = q != nullptr ? s.name + "/" + q->name : s.name;
            std::string terms;
            if (q != nullptr) {
                auto parsed = Query::parse(q->terms, q->languages);
                const bool bluesky = s.type == calendar::WatchSourceType::bluesky_search;
                terms = parsed ? parsed->search_text(bluesky ? " OR " : " ") : q->terms;
            }
            if (auto r = open_job(*job, ctx, ms, now, terms); !r) {
                return fail(std::move(r).error());
            }
            jobs.push_back(std::move(job));
        }
    }
    return jobs;
}

void stream_jobs(std::vector<std::unique_ptr<Job>>& jobs, net::HttpTransport& http,
                 const net::Clock& clock, const std::atomic<bool>* stop) {
    Scheduler scheduler(jobs, clock, stop);
    const std::size_t slots = std::clamp<std::size_t>(jobs.size(), 1, k_max_slots);
    for (int round = 0; round < 2; ++round) {
        http.stream(scheduler, slots);
        bool again = false;
        for (auto& j : jobs) {
            if (!j->needs_renewal) {
                continue;
            }
            j->needs_renewal = false;
            j->renewed = true;
            if (auto r = j->source->renew(); !r) {
                fail_job(*j, r.error());
                continue;
            }
            // Start over from the stored cursor with the new session.
            j->cursor = j->cursor_before;
            j->items.clear();
            j->run.fetched = 0;
            j->queue = {j->source->first_request(j->cursor)};
            again = true;
        }
        if (!again || (stop != nullptr && stop->load())) {
            break;
        }
    }
    for (auto& j : jobs) {
        if (j->started && j->run.status == SourceStatus::ok && j->source &&
            (!j->queue.empty() || j->needs_renewal)) {
            j->started = false;  // interrupted half-way: nothing stored, the cursor stays
        }
    }
}

}  // namespace cmtool::watch::detail
