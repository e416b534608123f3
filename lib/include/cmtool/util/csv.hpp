#pragma once
// RFC 4180 CSV: writing (quoted only where needed, CRLF optional) and reading with the line
// number each record starts on, so import errors can name it.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::util {

// One field, quoted when it holds the separator, a quote, CR or LF (or leading/trailing space).
std::string csv_field(std::string_view s, char sep = ',');
// A record: fields joined by `sep`, ended by "\n".
std::string csv_row(const std::vector<std::string>& fields, char sep = ',');

struct CsvRecord {
    std::size_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

// Parses a whole document; a UTF-8 BOM is skipped, CRLF and LF both end records, quoted fields
// may hold newlines. Fails (parse) with the line of an unterminated quote. `sep` 0 = detect
// (',' or ';' or tab, whichever the first line holds most of).
Result<std::vector<CsvRecord>> parse_csv(std::string_view text, char sep = 0);

}  // namespace cmtool::util
