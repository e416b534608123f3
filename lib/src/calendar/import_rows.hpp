#pragma once
// Import formats → rows: each row a post as JSON (post_from_json's shape) or the reasons it
// could not be turned into one. import.cpp checks the rows whatever their format.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/import.hpp"
#include "cmtool/util/csv.hpp"

namespace cmtool::calendar {

struct RawRow {
    RowRef row;
    nlohmann::json post = nlohmann::json::object();
    std::vector<std::string> errors;  // set when the row could not be read
};

struct RawRows {
    std::vector<RawRow> rows;
    std::vector<std::string> notes;
};

// True when the first record is our export's header (it names `id` and `at`).
bool is_cmtool_csv_header(const util::CsvRecord& first);
// Rows of our CSV export; the first record is the header.
RawRows cmtool_csv_rows(const std::vector<util::CsvRecord>& records);

// True when the first record starts with a Hootsuite date, or is a header naming a date.
bool looks_like_hootsuite(const std::vector<util::CsvRecord>& records);
// Rows of a Hootsuite bulk-composer file (date, message, optional link). Ids are the text's
// slug and the day, made unique within the file and against `existing` (id → text) except
// where the existing post has the same text: importing a file twice is then caught as a
// duplicate id instead of doubling the posts. Fails (usage) when the day/month order is
// ambiguous or contradictory and `order` is detect.
Result<RawRows> hootsuite_rows(const std::vector<util::CsvRecord>& records, DateOrder order,
                               const std::map<std::string, std::string>& existing);

}  // namespace cmtool::calendar
