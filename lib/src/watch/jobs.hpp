#pragma once
// The sources of one watch step as jobs: opened from the configuration and the stored cursors,
// then streamed concurrently through one HttpTransport (one request in flight per source, its
// pages in order), with one session renewal per source.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "cmtool/watch/run.hpp"
#include "cmtool/watch/source.hpp"

namespace cmtool::watch::detail {

struct Job {
    const calendar::WatchSourceConfig* config = nullptr;
    std::string query;                    // searches run per query: the one this job serves
    std::unique_ptr<WatchSource> source;  // null for file sources
    store::WatchCursor cursor_before;     // as stored
    store::WatchCursor cursor;            // moved forward by the answers
    std::vector<Item> items;
    std::deque<net::HttpRequest> queue;
    bool in_flight = false;
    bool started = false;  // opened and due: its outcome is stored at the end
    bool renewed = false;
    bool needs_renewal = false;
    std::optional<Seconds> rate_reset;  // a 429 said when the budget refills
    SourceRun run;
};

// One job per used source (per (source, query) for searches), with its cursor; a source whose
// next_try_at is still ahead is backing_off, one that cannot be opened is failed.
Result<std::vector<std::unique_ptr<Job>>> open_jobs(WatchContext& ctx, store::MentionStore& ms,
                                                    Seconds now);

// Runs every started job's requests until each has read its pages or failed; a job left
// unfinished by `stop` is not started any more (nothing of it is stored).
void stream_jobs(std::vector<std::unique_ptr<Job>>& jobs, net::HttpTransport& http,
                 const net::Clock& clock, const std::atomic<bool>* stop);

}  // namespace cmtool::watch::detail
