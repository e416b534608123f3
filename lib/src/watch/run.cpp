// One watch step (run.hpp): open the due sources, stream their pages concurrently, store each
// source's mentions with its cursor, then alerts.
#include "cmtool/watch/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <future>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/watch/channels.hpp"
#include "watch/ingest.hpp"
#include "watch/jobs.hpp"

namespace cmtool::watch {

namespace {

using detail::Job;

Seconds to_seconds(net::SysTime t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

// min(interval * 2^failures, 1h): the wait after `failures` failures in a row.
Seconds backoff_until(Seconds now, std::chrono::minutes interval, std::int64_t failures) {
    const std::chrono::minutes cap{60};
    std::chrono::minutes wait = interval;
    for (std::int64_t k = 0; k < failures && wait < cap; ++k) {
        wait *= 2;
    }
    return now + std::min(wait, cap);
}

// Stores mentions found by a source with its cursor, in one transaction.
Result<void> store_found(Job& job, std::vector<NewMention> found, store::MentionStore& ms,
                         const WatchOptions& options, const calendar::WatchConfig& config,
                         WatchReport& report) {
    SourceRun& run = job.run;
    run.matched += found.size();
    std::vector<store::Mention> rows;
    rows.reserve(found.size());
    for (auto& n : found) {
        // Large imports keep nothing for the report: move rather than copy the texts.
        rows.push_back(options.keep_mentions ? n.mention : std::move(n.mention));
    }
    auto saved = ms.save(rows, job.cursor, config.group_window);
    if (!saved) {
        return fail(std::move(saved).error());
    }
    run.stored += saved->inserted;
    report.stored += saved->inserted;
    if (options.keep_mentions) {
        for (const auto i : saved->new_indexes) {
            report.mentions.push_back(std::move(found[i]));
        }
    }
    return {};
}

// Stores one source's mentions with its cursor, or records its failure with a backoff.
Result<void> finish_job(Job& job, const detail::Ingest& ingest, store::MentionStore& ms,
                        const WatchOptions& options, const calendar::WatchConfig& config,
                        Seconds now, WatchReport& report) {
    SourceRun& run = job.run;
    if (run.status == SourceStatus::failed) {
        run.next_try_at = backoff_until(now, options.interval, job.cursor_before.failures + 1);
        if (job.rate_reset && *job.rate_reset > *run.next_try_at) {
            run.next_try_at = job.rate_reset;  // the platform asked for longer
        }
        return ms.record_failure(run.key, run.error, run.next_try_at, now);
    }
    return store_found(job, ingest.mentions(job.items, job.config->name, job.query, now), ms,
                       options, config, report);
}

// One chunk of a file source, read and scored (on a worker thread while the previous chunk
// is stored: the two cores share the work).
struct Chunk {
    Result<std::vector<Item>> items = std::vector<Item>();
    store::WatchCursor cursor;  // after the chunk
    std::vector<NewMention> found;
};

// Reads a file source in chunks, each stored with its cursor in one transaction.
Result<void> run_file(Job& job, const detail::Ingest& ingest, store::MentionStore& ms,
                      const WatchOptions& options, const WatchContext& ctx, Seconds now,
                      WatchReport& report) {
    const auto path = ctx.ws.root / job.config->path;
    const std::string& name = job.config->name;
    const auto prepare = [&path, &ingest, &name, now](store::WatchCursor cursor) {
        Chunk c;
        c.items = read_file_source(path, cursor, k_file_chunk);
        c.cursor = std::move(cursor);
        if (c.items && !c.items->empty()) {
            c.found = ingest.mentions(*c.items, name, "", now);
        }
        return c;
    };
    auto next = std::async(std::launch::async, prepare, job.cursor);
    while (options.stop == nullptr || !options.stop->load()) {
        Chunk c = next.get();
        if (!c.items) {
            job.run.status = SourceStatus::failed;
            job.run.error = c.items.error().message;
            return finish_job(job, ingest, ms, options, ctx.ws.watch, now, report);
        }
        if (c.items->empty()) {
            return {};
        }
        next = std::async(std::launch::async, prepare, c.cursor);
        job.run.fetched += c.items->size();
        job.cursor = std::move(c.cursor);
        if (auto r = store_found(job, std::move(c.found), ms, options, ctx.ws.watch, report); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace

std::string_view source_status_name(SourceStatus s) {
    switch (s) {
        case SourceStatus::ok:
            return "ok";
        case SourceStatus::failed:
            return "failed";
        case SourceStatus::backing_off:
            return "backing off";
    }
    return "ok";
}

bool WatchReport::any_source_failed() const {
    return std::any_of(sources.begin(), sources.end(),
                       [](const SourceRun& s) { return s.status == SourceStatus::failed; });
}

bool WatchReport::any_delivery_failed() const {
    return std::any_of(deliveries.begin(), deliveries.end(), [](const nlohmann::json& d) {
        return std::any_of(d.begin(), d.end(), [](const nlohmann::json& r) { return r != "ok"; });
    });
}

bool WatchReport::any_new_alert() const {
    return std::any_of(alerts.begin(), alerts.end(), [](const Alert& a) { return !a.update; });
}

Result<WatchReport> watch_step(const WatchOptions& options, WatchContext& ctx) {
    const auto& config = ctx.ws.watch;
    if (config.queries.empty()) {
        return fail(ErrorCode::config, "cmtool.yaml has no watch queries",
                    "add a `watch:` section with queries and sources: see docs/watch.md");
    }
    auto ingest = detail::Ingest::make(config, options.explain);
    if (!ingest) {
        return fail(std::move(ingest).error());
    }
    WatchReport report;
    report.at = to_seconds(ctx.clock.now());
    store::MentionStore ms(ctx.store);
    auto jobs = detail::open_jobs(ctx, ms, report.at);
    if (!jobs) {
        return fail(std::move(jobs).error());
    }
    detail::stream_jobs(*jobs, ctx.http, ctx.clock, options.stop);
    report.interrupted = options.stop != nullptr && options.stop->load();
    for (auto& job : *jobs) {
        if (job->run.status == SourceStatus::backing_off) {
            report.sources.push_back(job->run);
            continue;
        }
        Result<void> r = job->config->type == calendar::WatchSourceType::file
                             ? run_file(*job, *ingest, ms, options, ctx, report.at, report)
                         : job->started
                             ? finish_job(*job, *ingest, ms, options, config, report.at, report)
                             : Result<void>();
        if (!r) {
            return fail(std::move(r).error());
        }
        report.sources.push_back(job->run);
    }
    std::vector<store::Mention> fresh;
    for (const auto& n : report.mentions) {
        fresh.push_back(n.mention);
    }
    auto alerts = evaluate_alerts(config, ms, report.at, fresh, ctx.ws.lang);
    if (!alerts) {
        return fail(std::move(alerts).error());
    }
    ChannelContext cc{ctx.http,     ctx.sleeper,           ctx.clock,  ctx.mailer,
                      options.emit, options.smtp_password, ctx.ws.lang};
    for (auto& a : *alerts) {
        auto results = deliver_alert(a, config.channels, cc);
        if (auto rec = record_alert(ms, a, results); !rec) {
            return fail(std::move(rec).error());
        }
        report.deliveries.push_back(std::move(results));
        report.alerts.push_back(std::move(a));
    }
    return report;
}

}  // namespace cmtool::watch
