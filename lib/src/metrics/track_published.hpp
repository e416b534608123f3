#pragma once
// The bridge from the publish ledger to the metrics store: every post cmtool published is tracked.
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/metrics.hpp"

namespace cmtool::metrics::detail {

// Tracks (as planned) the first part of every delivery sent or partly sent at or after `since`,
// keyed by the id pull-metrics asks for: the status id on Mastodon, the at:// URI on Bluesky.
// Posts tracked already are left alone. Fails when the store cannot be read or written.
Result<void> track_published(store::Ledger& ledger, store::MetricsStore& metrics,
                             const calendar::WorkspaceConfig& ws, store::Seconds since,
                             store::Seconds now);

}  // namespace cmtool::metrics::detail
