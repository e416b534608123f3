#include "cmtool/calendar/post_io.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include "cmtool/calendar/load.hpp"

namespace cmtool::calendar {

using nlohmann::json;

std::string iso_local(std::chrono::sys_seconds t, const WorkspaceConfig& ws) {
    const auto info = ws.zone->get_info(t);
    const auto local = date::local_seconds{(t + info.offset).time_since_epoch()};
    const auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
    const auto a = off < 0 ? -off : off;
    return fmt::format("{}{}{:02}:{:02}", date::format("%Y-%m-%dT%H:%M:%S", local),
                       off < 0 ? '-' : '+', a / 60, a % 60);
}

std::string calendar_time(std::chrono::sys_seconds t, const WorkspaceConfig& ws) {
    const auto local = ws.zone->to_local(t);
    const bool seconds = (local.time_since_epoch().count() % 60) != 0;
    return date::format(seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", local);
}

namespace {

json media_json(const std::vector<MediaItem>& media) {
    json out = json::array();
    for (const auto& m : media) {
        json item = {{"file", m.file}};
        if (!m.alt.empty()) {
            item["alt"] = m.alt;
        }
        out.push_back(std::move(item));
    }
    return out;
}

std::string_view unit_name(RepeatUnit u) {
    switch (u) {
        case RepeatUnit::day:
            return "day";
        case RepeatUnit::week:
            return "week";
        case RepeatUnit::month:
            return "month";
    }
    return "week";
}

std::string repeat_every(const Repeat& r) {
    return r.every == 1 ? std::string(unit_name(r.unit))
                        : fmt::format("{} {}s", r.every, unit_name(r.unit));
}

std::string day_text(date::local_days d) {
    return date::format("%Y-%m-%d", d);
}

Result<std::string> get_string(const json& j, const char* key, bool required) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) {
            return fail(ErrorCode::invalid, fmt::format("`{}` is missing", key));
        }
        return std::string();
    }
    if (!it->is_string()) {
        return fail(ErrorCode::invalid, fmt::format("`{}` must be a string", key));
    }
    return it->get<std::string>();
}

Result<std::vector<std::string>> get_strings(const json& j, const char* key) {
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return out;
    }
    if (!it->is_array()) {
        return fail(ErrorCode::invalid, fmt::format("`{}` must be a list of strings", key));
    }
    for (const auto& v : *it) {
        if (!v.is_string()) {
            return fail(ErrorCode::invalid, fmt::format("`{}` must be a list of strings", key));
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

Result<std::vector<MediaItem>> get_media(const json& j) {
    std::vector<MediaItem> out;
    const auto it = j.find("media");
    if (it == j.end() || it->is_null()) {
        return out;
    }
    if (!it->is_array()) {
        return fail(ErrorCode::invalid, "`media` must be a list of {file, alt}");
    }
    for (const auto& m : *it) {
        if (!m.is_object() || !m.contains("file") || !m["file"].is_string()) {
            return fail(ErrorCode::invalid, "each media item needs a `file` string");
        }
        out.push_back(MediaItem{m["file"].get<std::string>(), m.value("alt", std::string()), {}});
    }
    return out;
}

}  // namespace

json post_to_json(const Post& p, const WorkspaceConfig& ws) {
    json j = {{"id", p.id},
              {"at", iso_local(p.at.utc, ws)},
              {"channels", p.channels},
              {"status", status_name(p.status)}};
    if (!p.category.empty())
        j["category"] = p.category;
    if (!p.campaign.empty())
        j["campaign"] = p.campaign;
    if (!p.text.empty())
        j["text"] = p.text;
    if (!p.link.empty())
        j["link"] = p.link;
    if (!p.media.empty())
        j["media"] = media_json(p.media);
    if (!p.thread.empty())
        j["thread"] = p.thread;
    if (!p.variants.empty()) {
        json vars = json::object();
        for (const auto& [ch, v] : p.variants) {
            json vj = json::object();
            if (v.text)
                vj["text"] = *v.text;
            if (v.thread)
                vj["thread"] = *v.thread;
            if (v.media)
                vj["media"] = media_json(*v.media);
            if (v.link)
                vj["link"] = *v.link;
            vars[ch] = std::move(vj);
        }
        j["variants"] = std::move(vars);
    }
    if (!p.notes.empty())
        j["notes"] = p.notes;
    if (p.repeat) {
        json r = {{"every", repeat_every(*p.repeat)}};
        if (p.repeat->until)
            r["until"] = day_text(*p.repeat->until);
        if (p.repeat->count)
            r["count"] = *p.repeat->count;
        j["repeat"] = std::move(r);
    }
    if (!p.file.empty())
        j["file"] = p.file;
    return j;
}

Result<Post> post_from_json(const json& j, const WorkspaceConfig& ws) {
    if (!j.is_object()) {
        return fail(ErrorCode::invalid, "a post must be a JSON object");
    }
    auto id = get_string(j, "id", true);
    if (!id)
        return fail(std::move(id).error());
    auto at = get_string(j, "at", true);
    if (!at)
        return fail(std::move(at).error());
    auto channels = get_strings(j, "channels");
    if (!channels)
        return fail(std::move(channels).error());
    auto media = get_media(j);
    if (!media)
        return fail(std::move(media).error());
    auto thread = get_strings(j, "thread");
    if (!thread)
        return fail(std::move(thread).error());
    for (const char* key : {"status", "category", "campaign", "text", "link", "notes"}) {
        if (auto s = get_string(j, key, false); !s) {
            return fail(std::move(s).error());
        }
    }
    // Round-trip through the YAML emitter and reader: one set of rules for what a post may hold.
    Post p;
    p.id = *id;
    p.channels = *channels;
    p.media = *media;
    p.thread = *thread;
    p.category = j.value("category", "");
    p.campaign = j.value("campaign", "");
    p.text = j.value("text", "");
    p.link = j.value("link", "");
    p.notes = j.value("notes", "");
    p.at.text = *at;
    const std::string st = j.value("status", "ready");
    if (st == "draft")
        p.status = PostStatus::draft;
    else if (st == "cancelled" || st == "canceled")
        p.status = PostStatus::cancelled;
    else if (st != "ready")
        return fail(ErrorCode::invalid, fmt::format("unknown status `{}`", st));
    if (j.contains("variants") && j["variants"].is_object()) {
        for (const auto& [ch, vj] : j["variants"].items()) {
            Variant v;
            if (vj.contains("text"))
                v.text = vj["text"].get<std::string>();
            if (vj.contains("link"))
                v.link = vj["link"].get<std::string>();
            if (vj.contains("thread")) {
                auto t = get_strings(vj, "thread");
                if (!t)
                    return fail(std::move(t).error());
                v.thread = *t;
            }
            if (vj.contains("media")) {
                auto m = get_media(vj);
                if (!m)
                    return fail(std::move(m).error());
                v.media = *m;
            }
            p.variants.emplace(ch, std::move(v));
        }
    }
    const std::string yaml =
        "posts:\n" + post_to_yaml(p, ws) +
        (j.contains("repeat") ? fmt::format("    repeat: {}\n", j["repeat"].dump()) : "");
    Diagnostics diags;
    auto cf = parse_calendar(yaml, "json", ws, diags);
    for (const auto& f : diags.findings()) {
        if (f.severity == Severity::error) {
            return fail(ErrorCode::invalid, f.message, f.hint);
        }
    }
    if (cf.posts.size() != 1) {
        return fail(ErrorCode::invalid, "the post could not be read");
    }
    return std::move(cf.posts.front());
}

std::string yaml_scalar(std::string_view s) {
    bool plain = !s.empty() && s.size() < 200;
    if (plain) {
        const std::string_view first_bad = "-?:,[]{}#&*!|>'\"%@` \t";
        plain = first_bad.find(s.front()) == std::string_view::npos && s.back() != ' ' &&
                s.back() != ':';
    }
    if (plain) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\\' ||
                (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') ||
                (c == ' ' && i + 1 < s.size() && s[i + 1] == '#') || c == '{' || c == '}' ||
                c == '[' || c == ']' || c == ',') {
                plain = false;
                break;
            }
        }
    }
    static const char* k_reserved[] = {"true", "false", "yes",  "no",    "on",    "off",
                                       "null", "~",     "True", "False", "Yes",   "No",
                                       "On",   "Off",   "Null", "TRUE",  "FALSE", "NULL"};
    for (const char* r : k_reserved) {
        if (s == r) {
            plain = false;
        }
    }
    if (plain) {
        return std::string(s);
    }
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

namespace {

void emit_text(std::string& out, std::string_view indent, std::string_view key,
               const std::string& text) {
    const bool multiline = text.find('\n') != std::string::npos;
    const bool block_safe = multiline && text.front() != ' ' &&
                            text.find('\r') == std::string::npos &&
                            text.find('\t') == std::string::npos;
    if (!block_safe) {
        out += fmt::format("{}{}: {}\n", indent, key, yaml_scalar(text));
        return;
    }
    // `|` keeps one final newline; `|-` strips it; `|+` keeps several.
    std::string_view body = text;
    std::size_t trailing = 0;
    while (!body.empty() && body.back() == '\n') {
        body.remove_suffix(1);
        ++trailing;
    }
    out += fmt::format("{}{}: |{}\n", indent, key, trailing == 0 ? "-" : trailing == 1 ? "" : "+");
    std::size_t start = 0;
    while (start <= body.size()) {
        const auto nl = body.find('\n', start);
        const auto line =
            body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        out += line.empty() ? "\n" : fmt::format("{}  {}\n", indent, line);
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    for (std::size_t i = 1; i < trailing; ++i) {
        out += "\n";
    }
}

void emit_list(std::string& out, std::string_view indent, std::string_view key,
               const std::vector<std::string>& items) {
    out += fmt::format("{}{}:\n", indent, key);
    for (const auto& i : items) {
        out += fmt::format("{}  - {}\n", indent, yaml_scalar(i));
    }
}

void emit_media(std::string& out, std::string_view indent, const std::vector<MediaItem>& media) {
    out += fmt::format("{}media:\n", indent);
    for (const auto& m : media) {
        if (m.alt.empty()) {
            out += fmt::format("{}  - {{file: {}}}\n", indent, yaml_scalar(m.file));
        } else {
            out += fmt::format("{}  - {{file: {}, alt: {}}}\n", indent, yaml_scalar(m.file),
                               yaml_scalar(m.alt));
        }
    }
}

}  // namespace

std::string post_to_yaml(const Post& p, const WorkspaceConfig& ws) {
    std::string out = fmt::format("  - id: {}\n", yaml_scalar(p.id));
    std::string at = p.at.text;
    if (p.at.utc.time_since_epoch().count() != 0) {
        // A wall-clock time that happens twice (clocks going back) keeps its offset, so the
        // second 02:30 does not come back as the first.
        const auto local = ws.zone->to_local(p.at.utc);
        const bool ambiguous = ws.zone->get_info(local).result == date::local_info::ambiguous;
        at = ambiguous || p.at.has_offset ? iso_local(p.at.utc, ws) : calendar_time(p.at.utc, ws);
    }
    out += fmt::format("    at: {}\n", at);
    std::string channels;
    for (std::size_t i = 0; i < p.channels.size(); ++i) {
        channels += (i == 0 ? "" : ", ") + yaml_scalar(p.channels[i]);
    }
    out += fmt::format("    channels: [{}]\n", channels);
    if (p.status != PostStatus::ready)
        out += fmt::format("    status: {}\n", status_name(p.status));
    if (!p.category.empty())
        out += fmt::format("    category: {}\n", yaml_scalar(p.category));
    if (!p.campaign.empty())
        out += fmt::format("    campaign: {}\n", yaml_scalar(p.campaign));
    if (!p.text.empty())
        emit_text(out, "    ", "text", p.text);
    if (!p.link.empty())
        out += fmt::format("    link: {}\n", yaml_scalar(p.link));
    if (!p.media.empty())
        emit_media(out, "    ", p.media);
    if (!p.thread.empty())
        emit_list(out, "    ", "thread", p.thread);
    if (!p.variants.empty()) {
        out += "    variants:\n";
        for (const auto& [ch, v] : p.variants) {
            out += fmt::format("      {}:\n", yaml_scalar(ch));
            if (v.text)
                emit_text(out, "        ", "text", *v.text);
            if (v.link)
                out += fmt::format("        link: {}\n", yaml_scalar(*v.link));
            if (v.media)
                emit_media(out, "        ", *v.media);
            if (v.thread)
                emit_list(out, "        ", "thread", *v.thread);
        }
    }
    if (p.repeat) {
        out += fmt::format("    repeat: {{every: {}", yaml_scalar(repeat_every(*p.repeat)));
        if (p.repeat->until)
            out += fmt::format(", until: {}", day_text(*p.repeat->until));
        if (p.repeat->count)
            out += fmt::format(", count: {}", *p.repeat->count);
        out += "}\n";
    }
    if (!p.notes.empty())
        emit_text(out, "    ", "notes", p.notes);
    return out;
}

}  // namespace cmtool::calendar
