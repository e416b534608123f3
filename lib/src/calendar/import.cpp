// `plan import`: tells the format, turns the document into rows (import_csv.cpp,
// import_hootsuite.cpp, JSON here) and checks every row the way `plan validate` checks a post.
#include "cmtool/calendar/import.hpp"

#include <fmt/format.h>

#include <map>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/calendar/validate.hpp"
#include "cmtool/util/strings.hpp"
#include "import_rows.hpp"

namespace cmtool::calendar {

using nlohmann::json;

namespace {

bool looks_like_json(std::string_view content, const std::string& name) {
    if (name.size() >= 5 && util::to_lower(name.substr(name.size() - 5)) == ".json") {
        return true;
    }
    const auto t = util::trim(content.substr(content.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0));
    return !t.empty() && (t.front() == '{' || t.front() == '[');
}

Result<RawRows> json_rows(std::string_view content, const WorkspaceConfig& ws) {
    json doc;
    try {
        doc = json::parse(content.substr(content.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0));
    } catch (const json::parse_error& e) {
        return fail(ErrorCode::parse, fmt::format("not valid JSON: {}", e.what()));
    }
    RawRows out;
    const json* list = &doc;
    if (doc.is_object()) {
        if (!doc.contains("posts") || !doc["posts"].is_array()) {
            return fail(ErrorCode::parse, "the JSON document has no `posts` list",
                        "import a file made by `cmtool plan export --format json`");
        }
        list = &doc["posts"];
        const auto tz = doc.contains("workspace") && doc["workspace"].is_object()
                            ? doc["workspace"].value("timezone", std::string())
                            : std::string();
        if (!tz.empty() && tz != ws.timezone) {
            out.notes.push_back(fmt::format(
                "exported from a workspace in {}: times keep their instant and are written in {}",
                tz, ws.timezone));
        }
    } else if (!doc.is_array()) {
        return fail(ErrorCode::parse, "the JSON document is neither a list of posts nor an export");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        RawRow row;
        row.row.index = i;
        row.post = (*list)[i];
        out.rows.push_back(std::move(row));
    }
    return out;
}

Result<ImportFormat> detect_csv_format(const std::vector<util::CsvRecord>& records) {
    if (!records.empty() && is_cmtool_csv_header(records.front())) {
        return ImportFormat::csv;
    }
    if (looks_like_hootsuite(records)) {
        return ImportFormat::hootsuite;
    }
    return fail(ErrorCode::usage,
                "cannot tell the file's format: no header with `id` and `at`, and no "
                "Hootsuite date in the first column",
                "give --format csv, hootsuite or json");
}

Result<void> check_channels(const std::vector<std::string>& channels, const WorkspaceConfig& ws) {
    std::vector<std::string> names;
    for (const auto& a : ws.accounts) {
        names.push_back(a.name);
    }
    for (const auto& c : channels) {
        if (ws.find_account(c) == nullptr) {
            const auto guess = did_you_mean(c, names);
            return fail(ErrorCode::usage, fmt::format("--channel {}: no such account", c),
                        guess.empty() ? fmt::format("accounts: {}", util::join(names, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
        }
    }
    return {};
}

Result<RawRows> rows_for(std::string_view content, const WorkspaceConfig& ws,
                         const std::vector<Post>& existing, const ImportOptions& opts,
                         ImportFormat& format) {
    if (format == ImportFormat::auto_detect && looks_like_json(content, opts.source_name)) {
        format = ImportFormat::json;
    }
    if (format == ImportFormat::json) {
        return json_rows(content, ws);
    }
    auto records = util::parse_csv(content);
    if (!records) {
        return fail(std::move(records).error());
    }
    if (format == ImportFormat::auto_detect) {
        auto detected = detect_csv_format(*records);
        if (!detected) {
            return fail(std::move(detected).error());
        }
        format = *detected;
    }
    if (format == ImportFormat::csv) {
        if (!records->empty() && !is_cmtool_csv_header(records->front())) {
            return fail(ErrorCode::parse, "line 1 is not a header naming `id` and `at`",
                        "the first row must name the columns, as `plan export --format csv` does");
        }
        return cmtool_csv_rows(*records);
    }
    if (opts.channels.empty()) {
        return fail(ErrorCode::usage, "Hootsuite rows do not say where to publish",
                    "give the channels with --channel NAME (repeatable)");
    }
    std::map<std::string, std::string> texts;
    for (const auto& p : existing) {
        texts.emplace(p.id, p.text);
    }
    return hootsuite_rows(*records, opts.date_order, texts);
}

}  // namespace

namespace {

// Where each id is already used: in the workspace ("file:line") or by an earlier row.
struct IdIndex {
    std::map<std::string, std::string> workspace;
    std::map<std::string, std::string> rows;
};

void apply_overrides(json& post, const ImportOptions& opts, ImportFormat format) {
    if (!post.is_object()) {
        return;
    }
    if (!opts.channels.empty()) {
        post["channels"] = opts.channels;
    }
    if (opts.status) {
        post["status"] = status_name(*opts.status);
    } else if (format == ImportFormat::hootsuite) {
        post["status"] = "draft";  // imported from elsewhere: a person reviews it first
    }
}

void check_id(const json& post, const RowRef& row, IdIndex& ids,
              std::vector<std::string>& reasons) {
    const auto it = post.is_object() ? post.find("id") : post.end();
    if (it == post.end() || !it->is_string()) {
        return;  // post_from_json says what is wrong
    }
    const std::string id = it->get<std::string>();
    if (const auto w = ids.workspace.find(id); w != ids.workspace.end()) {
        reasons.push_back(fmt::format("duplicate-id: id `{}` already exists at {}", id, w->second));
    } else if (const auto r = ids.rows.find(id); r != ids.rows.end()) {
        reasons.push_back(
            fmt::format("duplicate-id: id `{}` is already used by {}", id, r->second));
    } else {
        ids.rows.emplace(id, row.label());
    }
}

void check_row(RawRow raw, const WorkspaceConfig& ws, MediaProbe& probe, IdIndex& ids,
               ImportReport& report) {
    std::vector<std::string> reasons = std::move(raw.errors);
    std::vector<std::string> warnings;
    std::optional<Post> post;
    if (reasons.empty()) {
        check_id(raw.post, raw.row, ids, reasons);
        auto p = post_from_json(raw.post, ws);
        if (!p) {
            reasons.push_back(p.error().message);
        } else {
            Diagnostics d;
            check_post(*p, ws, probe, d);
            for (const auto& f : d.findings()) {
                auto& into = f.severity == Severity::error ? reasons : warnings;
                into.push_back(fmt::format("{}: {}", f.rule, f.message));
            }
            post = std::move(*p);
            post->file.clear();
        }
    }
    if (reasons.empty()) {
        report.accepted.push_back(ImportedPost{raw.row, std::move(*post), std::move(warnings)});
    } else {
        report.rejected.push_back(RejectedRow{raw.row, std::move(reasons)});
    }
}

}  // namespace

std::string_view import_format_name(ImportFormat f) {
    switch (f) {
        case ImportFormat::auto_detect:
            return "auto";
        case ImportFormat::csv:
            return "csv";
        case ImportFormat::hootsuite:
            return "hootsuite";
        case ImportFormat::json:
            return "json";
    }
    return "auto";
}

std::string RowRef::label() const {
    return line > 0 ? fmt::format("line {}", line) : fmt::format("posts[{}]", index);
}

Result<ImportReport> read_import(std::string_view content, const WorkspaceConfig& ws,
                                 const std::vector<Post>& existing, const ImportOptions& opts) {
    if (auto ok = check_channels(opts.channels, ws); !ok) {
        return fail(std::move(ok).error());
    }
    ImportReport report;
    report.format = opts.format;
    auto rows = rows_for(content, ws, existing, opts, report.format);
    if (!rows) {
        return fail(std::move(rows).error());
    }
    report.notes = std::move(rows->notes);
    report.rows = rows->rows.size();
    IdIndex ids;
    for (const auto& p : existing) {
        ids.workspace.emplace(p.id, fmt::format("{}:{}", p.file, p.pos.line));
    }
    MediaProbe probe(ws.root);
    for (auto& raw : rows->rows) {
        apply_overrides(raw.post, opts, report.format);
        check_row(std::move(raw), ws, probe, ids, report);
    }
    return report;
}

}  // namespace cmtool::calendar
