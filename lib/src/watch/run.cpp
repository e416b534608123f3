// One watch step (run.hpp): open the due sources, stream their pages concurrently, store each
// source's mentions with its cursor, then alerts.
#include "cmtool/watch/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <future>
#include <optional>

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

// The mentions of `found` ready to store: moved out of it unless the report keeps them (large
// imports keep nothing for the report: moving saves copying the texts).
store::PreparedMentions prepare_found(std::vector<NewMention>& found, const WatchOptions& options) {
    std::vector<store::Mention> rows;
    rows.reserve(found.size());
    for (auto& n : found) {
        rows.push_back(options.keep_mentions ? n.mention : std::move(n.mention));
    }
    return store::prepare_mentions(std::move(rows));
}

// Stores `rows` (prepare_found) with the source's cursor in `batch`'s transaction.
Result<void> store_found(Job& job, std::vector<NewMention>& found,
                         const store::PreparedMentions& rows, store::MentionBatch& batch,
                         const WatchOptions& options, const calendar::WatchConfig& config,
                         WatchReport& report) {
    SourceRun& run = job.run;
    run.matched += found.size();
    auto saved = batch.save(rows, job.cursor, config.group_window);
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
    auto batch = ms.begin_batch();
    if (!batch) {
        return fail(std::move(batch).error());
    }
    auto found = ingest.mentions(job.items, job.config->name, job.query, now);
    const auto rows = prepare_found(found, options);
    if (auto r = store_found(job, found, rows, *batch, options, config, report); !r) {
        return r;
    }
    return batch->commit();
}

// One chunk of a file source, read and scored (on a worker thread while the previous chunk
// is stored: the two cores share the work).
struct Chunk {
    Result<std::vector<Item>> items = std::vector<Item>();
    store::WatchCursor cursor;  // after the chunk
    std::vector<NewMention> found;
    store::PreparedMentions rows;  // found's mentions, ready to store
};

// Reads a file source in chunks, each stored with its cursor in one transaction.
Result<void> run_file(Job& job, const detail::Ingest& ingest, store::MentionStore& ms,
                      const WatchOptions& options, const WatchContext& ctx, Seconds now,
                      WatchReport& report) {
    const auto path = ctx.ws.root / job.config->path;
    const std::string& name = job.config->name;
    // `spent`, a chunk already stored, is freed here on the worker that allocated its
    // millions of strings: freeing them on the storing thread costs it about a second per
    // million mentions (glibc locks the allocating thread's arena for each).
    const auto prepare = [&path, &ingest, &name, &options, now](store::WatchCursor cursor,
                                                                Chunk spent) {
        spent = Chunk();
        Chunk c;
        c.items = read_file_source(path, cursor, k_file_chunk);
        c.cursor = std::move(cursor);
        if (c.items && !c.items->empty()) {
            c.found = ingest.take_mentions(*c.items, name, "", now);
            c.rows = prepare_found(c.found, options);
        }
        return c;
    };
    auto next = std::async(std::launch::async, prepare, job.cursor, Chunk());
    // Chunks are committed k_file_chunks_per_commit at a time (MentionBatch), and whatever is
    // pending when the file ends, fails or a stop is asked for.
    std::optional<store::MentionBatch> batch;
    std::size_t pending = 0;
    Chunk spent;
    const auto commit = [&batch, &pending]() -> Result<void> {
        pending = 0;
        if (!batch) {
            return {};
        }
        auto r = batch->commit();
        batch.reset();
        return r;
    };
    while (options.stop == nullptr || !options.stop->load()) {
        Chunk c = next.get();
        if (!c.items) {
            if (auto r = commit(); !r) {
                return r;
            }
            job.run.status = SourceStatus::failed;
            job.run.error = c.items.error().message;
            return finish_job(job, ingest, ms, options, ctx.ws.watch, now, report);
        }
        if (c.items->empty()) {
            return commit();
        }
        next = std::async(std::launch::async, prepare, c.cursor, std::move(spent));
        job.run.fetched += c.items->size();
        job.cursor = c.cursor;
        if (!batch) {
            auto b = ms.begin_batch();
            if (!b) {
                return fail(std::move(b).error());
            }
            batch.emplace(std::move(*b));
        }
        if (auto r = store_found(job, c.found, c.rows, *batch, options, ctx.ws.watch, report); !r) {
            return r;
        }
        spent = std::move(c);
        if (++pending == k_file_chunks_per_commit) {
            if (auto r = commit(); !r) {
                return r;
            }
        }
    }
    return commit();
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
