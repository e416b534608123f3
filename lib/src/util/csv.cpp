#include "cmtool/util/csv.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cmtool::util {

std::string csv_field(std::string_view s, char sep) {
    const bool quote =
        s.find_first_of(std::string{'"', '\r', '\n', sep}) != std::string_view::npos ||
        (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!quote) {
        return std::string(s);
    }
    std::string out = "\"";
    for (const char c : s) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string csv_row(const std::vector<std::string>& fields, char sep) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) {
            out += sep;
        }
        out += csv_field(fields[i], sep);
    }
    return out + "\n";
}

namespace {

char detect_separator(std::string_view text) {
    const auto first = text.substr(0, text.find('\n'));
    const char candidates[] = {',', ';', '\t'};
    char best = ',';
    std::ptrdiff_t best_n = 0;
    for (const char c : candidates) {
        const auto n = std::count(first.begin(), first.end(), c);
        if (n > best_n) {
            best_n = n;
            best = c;
        }
    }
    return best;
}

}  // namespace

Result<std::vector<CsvRecord>> parse_csv(std::string_view text, char sep) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    if (sep == 0) {
        sep = detect_separator(text);
    }
    std::vector<CsvRecord> out;
    CsvRecord rec;
    std::string field;
    std::size_t line = 1;
    rec.line = 1;
    bool in_quotes = false;
    bool quoted_field = false;
    std::size_t quote_line = 0;
    auto end_field = [&] {
        rec.fields.push_back(std::move(field));
        field.clear();
        quoted_field = false;
    };
    auto end_record = [&] {
        end_field();
        const bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
        if (!blank) {
            out.push_back(std::move(rec));
        }
        rec = CsvRecord{};
        rec.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty() && !quoted_field) {
            in_quotes = true;
            quoted_field = true;
            quote_line = line;
        } else if (c == sep) {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_record();
        } else {
            field += c;
        }
    }
    if (in_quotes) {
        return fail(ErrorCode::parse,
                    fmt::format("line {}: a quoted field is never closed", quote_line),
                    "check for a missing \" in that row");
    }
    if (!field.empty() || !rec.fields.empty()) {
        end_record();
    }
    return out;
}

}  // namespace cmtool::util
