// Hootsuite's bulk-composer CSV: no header (or one), then `date, message, link` per row. The
// date is "DD/MM/YYYY HH:mm" or "MM/DD/YYYY HH:mm" (24 h) depending on the format chosen at
// upload; the file does not say which, so the order is read from the rows themselves when a
// day above 12 settles it, or given with --date-format.
#include <date/date.h>
#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <set>

#include "cmtool/util/slug.hpp"
#include "cmtool/util/strings.hpp"
#include "import_rows.hpp"

namespace cmtool::calendar {

namespace {

constexpr std::size_t k_id_slug_length = 40;

struct WrittenDate {
    unsigned first = 0;  // day or month, as written
    unsigned second = 0;
    int year = 0;
    unsigned hour = 0;
    unsigned minute = 0;
};

std::optional<unsigned> digits(std::string_view s, std::size_t& pos, std::size_t min,
                               std::size_t max) {
    unsigned v = 0;
    std::size_t n = 0;
    while (pos < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[pos])) != 0) {
        v = v * 10 + static_cast<unsigned>(s[pos] - '0');
        ++pos;
        ++n;
    }
    return n >= min ? std::optional<unsigned>(v) : std::nullopt;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// "27/11/2026 09:00" → its numbers; nullopt when it is not shaped like that.
std::optional<WrittenDate> split_date(std::string_view text) {
    const auto s = util::trim(text);
    std::size_t pos = 0;
    WrittenDate d;
    const auto a = digits(s, pos, 1, 2);
    const bool slash1 = a && expect(s, pos, '/');
    const auto b = slash1 ? digits(s, pos, 1, 2) : std::nullopt;
    const bool slash2 = b && expect(s, pos, '/');
    const auto y = slash2 ? digits(s, pos, 4, 4) : std::nullopt;
    if (!y || !expect(s, pos, ' ')) {
        return std::nullopt;
    }
    while (expect(s, pos, ' ')) {
    }
    const auto h = digits(s, pos, 1, 2);
    const bool colon = h && expect(s, pos, ':');
    const auto m = colon ? digits(s, pos, 2, 2) : std::nullopt;
    if (!m || pos != s.size()) {
        return std::nullopt;
    }
    return WrittenDate{*a, *b, static_cast<int>(*y), *h, *m};
}

std::optional<date::year_month_day> as_day(const WrittenDate& d, DateOrder order) {
    const unsigned day = order == DateOrder::mdy ? d.second : d.first;
    const unsigned month = order == DateOrder::mdy ? d.first : d.second;
    const date::year_month_day ymd{date::year{d.year}, date::month{month}, date::day{day}};
    if (!ymd.ok() || d.hour > 23 || d.minute > 59) {
        return std::nullopt;
    }
    return ymd;
}

bool is_header(const util::CsvRecord& r) {
    return !r.fields.empty() && !split_date(r.fields[0]) &&
           std::any_of(r.fields[0].begin(), r.fields[0].end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

Result<DateOrder> detect_order(const std::vector<util::CsvRecord>& records, std::size_t first) {
    const util::CsvRecord* dmy_only = nullptr;
    const util::CsvRecord* mdy_only = nullptr;
    const util::CsvRecord* ambiguous = nullptr;
    for (std::size_t i = first; i < records.size(); ++i) {
        const auto d = split_date(records[i].fields[0]);
        if (!d) {
            continue;
        }
        const bool dmy = as_day(*d, DateOrder::dmy).has_value();
        const bool mdy = as_day(*d, DateOrder::mdy).has_value();
        if (dmy && !mdy && dmy_only == nullptr) {
            dmy_only = &records[i];
        } else if (mdy && !dmy && mdy_only == nullptr) {
            mdy_only = &records[i];
        } else if (dmy && mdy && d->first != d->second && ambiguous == nullptr) {
            ambiguous = &records[i];
        }
    }
    const std::string hint = "give --date-format dmy (27/11/2026) or mdy (11/27/2026)";
    if (dmy_only != nullptr && mdy_only != nullptr) {
        return fail(ErrorCode::usage,
                    fmt::format("dates are day-first at line {} (`{}`) but month-first at line "
                                "{} (`{}`)",
                                dmy_only->line, util::trim(dmy_only->fields[0]), mdy_only->line,
                                util::trim(mdy_only->fields[0])),
                    hint);
    }
    if (dmy_only == nullptr && mdy_only == nullptr && ambiguous != nullptr) {
        return fail(ErrorCode::usage,
                    fmt::format("cannot tell whether the dates are day/month or month/day "
                                "(line {}: `{}`)",
                                ambiguous->line, util::trim(ambiguous->fields[0])),
                    hint);
    }
    return mdy_only != nullptr ? DateOrder::mdy : DateOrder::dmy;
}

struct IdContext {
    const std::map<std::string, std::string>& existing;  // workspace id → text
    std::set<std::string> used;                          // ids given to earlier rows
};

std::string unique_id(const std::string& text, const std::string& day, IdContext& ids) {
    const std::string slug = util::slugify(text, k_id_slug_length);
    const std::string base = (slug.empty() ? std::string("post") : slug) + "-" + day;
    for (int n = 1;; ++n) {
        std::string id = n == 1 ? base : fmt::format("{}-{}", base, n);
        const auto it = ids.existing.find(id);
        const bool other_post =
            it != ids.existing.end() && util::trim(it->second) != util::trim(text);
        if (ids.used.count(id) == 0 && !other_post) {
            ids.used.insert(id);
            return id;
        }
    }
}

RawRow read_row(const util::CsvRecord& rec, DateOrder order, IdContext& ids) {
    RawRow row;
    row.row.line = rec.line;
    const std::string& when = rec.fields[0];
    const std::string text =
        rec.fields.size() > 1 ? util::replace_all(rec.fields[1], "\r\n", "\n") : std::string();
    const auto written = split_date(when);
    const auto day = written ? as_day(*written, order) : std::nullopt;
    if (!day) {
        row.errors.push_back(
            fmt::format("invalid-date: `{}` is not a date in the {} format", util::trim(when),
                        order == DateOrder::mdy ? "MM/DD/YYYY HH:mm" : "DD/MM/YYYY HH:mm"));
        return row;
    }
    const std::string day_text =
        fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day->year()),
                    static_cast<unsigned>(day->month()), static_cast<unsigned>(day->day()));
    row.post["id"] = unique_id(text, day_text, ids);
    row.post["at"] = fmt::format("{} {:02}:{:02}", day_text, written->hour, written->minute);
    row.post["text"] = text;
    if (rec.fields.size() > 2 && !util::trim(rec.fields[2]).empty()) {
        row.post["link"] = std::string(util::trim(rec.fields[2]));
    }
    return row;
}

}  // namespace

bool looks_like_hootsuite(const std::vector<util::CsvRecord>& records) {
    if (records.empty()) {
        return false;
    }
    const std::size_t first = is_header(records.front()) ? 1 : 0;
    return first < records.size() && split_date(records[first].fields[0]).has_value();
}

Result<RawRows> hootsuite_rows(const std::vector<util::CsvRecord>& records, DateOrder order,
                               const std::map<std::string, std::string>& existing) {
    RawRows out;
    const std::size_t first = !records.empty() && is_header(records.front()) ? 1 : 0;
    if (first == 1) {
        out.notes.push_back("line 1 is a header: skipped");
    }
    if (order == DateOrder::detect) {
        auto detected = detect_order(records, first);
        if (!detected) {
            return fail(std::move(detected).error());
        }
        order = *detected;
    }
    IdContext ids{existing, {}};
    std::vector<std::string> extra_lines;
    for (std::size_t i = first; i < records.size(); ++i) {
        const auto& rec = records[i];
        for (std::size_t f = 3; f < rec.fields.size(); ++f) {
            if (!util::trim(rec.fields[f]).empty()) {
                extra_lines.push_back(std::to_string(rec.line));
                break;
            }
        }
        out.rows.push_back(read_row(rec, order, ids));
        out.rows.back().row.index = i - first;
    }
    if (!extra_lines.empty()) {
        out.notes.push_back(
            fmt::format("columns after the third (date, message, link) are ignored (line {})",
                        util::join(extra_lines, ", ")));
    }
    return out;
}

}  // namespace cmtool::calendar
