// Our own CSV export read back: the header names the columns (any order; unknown columns are
// ignored with a note), JSON-valued cells are parsed, `file` is ignored (posts go to their
// month file).
#include <fmt/format.h>

#include <algorithm>

#include "cmtool/util/strings.hpp"
#include "import_rows.hpp"

namespace cmtool::calendar {

using nlohmann::json;

namespace {

enum class Kind { text, list, json_value, ignored };

Kind column_kind(const std::string& name) {
    static const char* k_text[] = {"id",       "at",   "status", "category",
                                   "campaign", "text", "link",   "notes"};
    if (std::find_if(std::begin(k_text), std::end(k_text),
                     [&](const char* k) { return name == k; }) != std::end(k_text)) {
        return Kind::text;
    }
    if (name == "channels") {
        return Kind::list;
    }
    if (name == "media" || name == "thread" || name == "variants" || name == "repeat") {
        return Kind::json_value;
    }
    return Kind::ignored;  // "file", and anything we do not know
}

std::string normalise_header(std::string_view s) {
    return util::to_lower(util::trim(s));
}

// Spreadsheets save line breaks inside cells as CRLF; calendars use LF.
std::string cell_text(std::string s) {
    return util::replace_all(std::move(s), "\r\n", "\n");
}

json channel_list(std::string_view cell) {
    json out = json::array();
    for (auto& part : util::split(util::replace_all(std::string(cell), ",", " "), ' ')) {
        if (!part.empty()) {
            out.push_back(part);
        }
    }
    return out;
}

RawRow read_row(const util::CsvRecord& rec, const std::vector<std::string>& header) {
    RawRow row;
    row.row.line = rec.line;
    for (std::size_t i = header.size(); i < rec.fields.size(); ++i) {
        if (!util::trim(rec.fields[i]).empty()) {
            row.errors.push_back(fmt::format("{} fields, but the header names {} columns",
                                             rec.fields.size(), header.size()));
            return row;
        }
    }
    for (std::size_t i = 0; i < header.size() && i < rec.fields.size(); ++i) {
        const std::string& name = header[i];
        const std::string value = cell_text(rec.fields[i]);
        if (value.empty()) {
            continue;
        }
        switch (column_kind(name)) {
            case Kind::text:
                row.post[name] = value;
                break;
            case Kind::list:
                row.post[name] = channel_list(value);
                break;
            case Kind::json_value:
                try {
                    row.post[name] = json::parse(value);
                } catch (const json::parse_error& e) {
                    row.errors.push_back(
                        fmt::format("column `{}` is not valid JSON: {}", name, e.what()));
                }
                break;
            case Kind::ignored:
                break;
        }
    }
    return row;
}

}  // namespace

bool is_cmtool_csv_header(const util::CsvRecord& first) {
    bool id = false;
    bool at = false;
    for (const auto& f : first.fields) {
        const auto name = normalise_header(f);
        id = id || name == "id";
        at = at || name == "at";
    }
    return id && at;
}

RawRows cmtool_csv_rows(const std::vector<util::CsvRecord>& records) {
    RawRows out;
    if (records.empty()) {
        return out;
    }
    std::vector<std::string> header;
    for (const auto& f : records.front().fields) {
        header.push_back(normalise_header(f));
        if (column_kind(header.back()) == Kind::ignored && header.back() != "file") {
            out.notes.push_back(fmt::format("column `{}` is not a post field: ignored", f));
        }
    }
    for (std::size_t i = 1; i < records.size(); ++i) {
        out.rows.push_back(read_row(records[i], header));
        out.rows.back().row.index = i - 1;
    }
    return out;
}

}  // namespace cmtool::calendar
