#include "cmtool/calendar/findings_format.hpp"

#include <fmt/format.h>

namespace cmtool::calendar {

namespace {

std::string_view severity_name(Severity s) {
    return s == Severity::error ? "error" : "warning";
}

std::string context(const Finding& f) {
    if (f.post_id.empty() && f.channel.empty()) {
        return {};
    }
    if (f.channel.empty()) {
        return fmt::format(" (post {})", f.post_id);
    }
    if (f.post_id.empty()) {
        return fmt::format(" ({})", f.channel);
    }
    return fmt::format(" (post {}, {})", f.post_id, f.channel);
}

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
std::string escape_data(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '%':
                out += "%25";
                break;
            case '\r':
                out += "%0D";
                break;
            case '\n':
                out += "%0A";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string escape_property(std::string_view s) {
    std::string out;
    for (const char c : escape_data(s)) {
        switch (c) {
            case ':':
                out += "%3A";
                break;
            case ',':
                out += "%2C";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

std::string findings_text(const ValidationReport& r, const PathMapper& path,
                          const TextStyle& style) {
    std::string out;
    for (const auto& f : r.findings) {
        const std::string sev =
            f.severity == Severity::error ? style.error("error") : style.warning("warning");
        if (f.pos.line == 0) {
            out +=
                fmt::format("{}: {}[{}]: {}{}\n", path(f.file), sev, f.rule, f.message, context(f));
        } else {
            out += fmt::format("{}:{}:{}: {}[{}]: {}{}\n", path(f.file), f.pos.line, f.pos.column,
                               sev, f.rule, f.message, context(f));
        }
        if (!f.hint.empty()) {
            out += style.dim(fmt::format("    hint: {}", f.hint)) + "\n";
        }
    }
    return out;
}

nlohmann::json findings_json(const ValidationReport& r, const PathMapper& path) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : r.findings) {
        list.push_back(
            {{"rule", f.rule},
             {"severity", severity_name(f.severity)},
             {"file", path(f.file)},
             {"line", f.pos.line},
             {"column", f.pos.column},
             {"post", f.post_id.empty() ? nlohmann::json() : nlohmann::json(f.post_id)},
             {"channel", f.channel.empty() ? nlohmann::json() : nlohmann::json(f.channel)},
             {"message", f.message},
             {"hint", f.hint.empty() ? nlohmann::json() : nlohmann::json(f.hint)}});
    }
    return {{"files", r.files},       {"posts", r.posts},       {"errors", r.errors},
            {"warnings", r.warnings}, {"valid", r.errors == 0}, {"findings", std::move(list)}};
}

std::string findings_github(const ValidationReport& r, const PathMapper& path) {
    std::string out;
    for (const auto& f : r.findings) {
        out +=
            fmt::format("::{} file={}", severity_name(f.severity), escape_property(path(f.file)));
        if (f.pos.line != 0) {
            out += fmt::format(",line={},col={}", f.pos.line, f.pos.column);
        }
        std::string msg = f.message + context(f);
        if (!f.hint.empty()) {
            msg += "\n" + f.hint;
        }
        out += fmt::format(",title={}::{}\n", escape_property(fmt::format("cmtool {}", f.rule)),
                           escape_data(msg));
    }
    return out;
}

}  // namespace cmtool::calendar
