#pragma once
// `plan import`: posts from our own CSV or JSON export, or from Hootsuite's bulk-composer CSV,
// each row checked like a calendar post before anything is written.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::calendar {

enum class ImportFormat { auto_detect, csv, hootsuite, json };
// "auto", "csv", "hootsuite", "json".
std::string_view import_format_name(ImportFormat f);

// How Hootsuite dates are written: 27/11/2026 (dmy) or 11/27/2026 (mdy).
enum class DateOrder { detect, dmy, mdy };

struct ImportOptions {
    ImportFormat format = ImportFormat::auto_detect;
    DateOrder date_order = DateOrder::detect;
    std::vector<std::string> channels;  // replace every row's channels; required for Hootsuite
    std::optional<PostStatus> status;   // replaces every row's status; Hootsuite default: draft
    std::string source_name;            // the file's name: `.json` selects JSON in auto mode
};

// Where a row came from: the line its CSV record starts on, or its index in the JSON list.
struct RowRef {
    std::size_t line = 0;   // 1-based; 0 for JSON
    std::size_t index = 0;  // 0-based among the document's rows
    // "line 7" for CSV, "posts[3]" for JSON.
    std::string label() const;
};

struct ImportedPost {
    RowRef row;
    Post post;
    std::vector<std::string> warnings;  // check_post warnings ("alt-missing: ...")
};

struct RejectedRow {
    RowRef row;
    std::vector<std::string> reasons;  // each "rule: message" or a sentence
};

struct ImportReport {
    ImportFormat format = ImportFormat::csv;  // the format used (detected when auto)
    std::size_t rows = 0;
    std::vector<ImportedPost> accepted;  // in document order
    std::vector<RejectedRow> rejected;   // in document order
    std::vector<std::string> notes;      // about the whole document (ignored columns, ...)
};

// Reads `content` and checks every row: it must read as a post (post_from_json's rules), pass
// check_post, and use an id that neither `existing` nor an earlier row uses. Rows that fail are
// returned in `rejected` with every reason, never dropped silently. Fails (usage) when the
// format cannot be told, when Hootsuite rows get no channels or an unknown one, or when their
// day/month order is ambiguous; (parse) when the document cannot be read at all.
Result<ImportReport> read_import(std::string_view content, const WorkspaceConfig& ws,
                                 const std::vector<Post>& existing, const ImportOptions& opts);

}  // namespace cmtool::calendar
