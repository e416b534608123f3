#pragma once
// `cmtool metrics export`: the snapshot history as CSV or JSON, for spreadsheets (docs/metrics.md).
#include <string>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/store/metrics.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::metrics {

enum class ExportFormat { csv, json };
enum class ExportKind { posts, accounts };

struct ExportOptions {
    ExportFormat format = ExportFormat::csv;
    ExportKind kind = ExportKind::posts;  // CSV holds one kind; JSON always holds both
    store::SnapshotFilter filter;         // snapshots taken in [from, to), one account
};

// The document: CSV with a header row (times in the workspace zone, ISO 8601; a counter the
// platform does not give is an empty cell), or one JSON object {"posts":[...],"accounts":[...]}
// with null for those. Fails when the store cannot be read.
Result<std::string> export_metrics(store::Store& store, const calendar::WorkspaceConfig& ws,
                                   const ExportOptions& options);

}  // namespace cmtool::metrics
