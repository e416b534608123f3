// `plan export`: selecting what to export, and the CSV and JSON documents (one row or object
// per post). The iCalendar writer is in ics.cpp.
#include "cmtool/calendar/export.hpp"

#include <date/date.h>

#include <set>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/csv.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

using nlohmann::json;

namespace {

// Wide enough for any calendar; agenda() needs a period.
Period everything() {
    Period p;
    p.first_day = date::local_days{date::year{1900} / 1 / 1};
    p.last_day = date::local_days{date::year{9999} / 12 / 31};
    p.from = std::chrono::sys_seconds{p.first_day.time_since_epoch()};
    p.to = std::chrono::sys_seconds{p.last_day.time_since_epoch()};
    p.label = "all";
    return p;
}

// A JSON cell: compact, UTF-8 kept as is; empty when the field is absent.
std::string json_cell(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() ? std::string() : it->dump(-1, ' ', false);
}

std::string string_cell(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() || !it->is_string() ? std::string() : it->get<std::string>();
}

}  // namespace

std::vector<AgendaEntry> export_occurrences(const std::vector<Post>& posts,
                                            const WorkspaceConfig& ws, const ExportSelection& sel) {
    return agenda(posts, ws, sel.period ? *sel.period : everything(), sel.filter);
}

std::vector<const Post*> export_posts(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                                      const ExportSelection& sel) {
    std::set<const Post*> in;
    for (const auto& e : export_occurrences(posts, ws, sel)) {
        in.insert(e.post);
    }
    std::vector<const Post*> out;
    for (const Post& p : posts) {
        if (in.count(&p) != 0) {
            out.push_back(&p);
        }
    }
    return out;
}

const std::vector<std::string>& export_csv_columns() {
    static const std::vector<std::string> k_columns = {
        "id",   "at",    "channels", "status",   "category", "campaign", "text",
        "link", "media", "thread",   "variants", "notes",    "repeat",   "file"};
    return k_columns;
}

std::string export_csv(const std::vector<const Post*>& posts, const WorkspaceConfig& ws) {
    std::string out = util::csv_row(export_csv_columns());
    for (const Post* p : posts) {
        const json j = post_to_json(*p, ws);
        out += util::csv_row({p->id, string_cell(j, "at"), util::join(p->channels, " "),
                              string_cell(j, "status"), p->category, p->campaign, p->text, p->link,
                              json_cell(j, "media"), json_cell(j, "thread"),
                              json_cell(j, "variants"), p->notes, json_cell(j, "repeat"), p->file});
    }
    return out;
}

json export_json(const std::vector<const Post*>& posts, const WorkspaceConfig& ws) {
    json list = json::array();
    for (const Post* p : posts) {
        list.push_back(post_to_json(*p, ws));
    }
    return {{"workspace", {{"brand", ws.brand}, {"timezone", ws.timezone}}},
            {"posts", std::move(list)}};
}

}  // namespace cmtool::calendar
