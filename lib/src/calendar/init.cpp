// `cmtool init`: the scaffold. Files are created with O_EXCL so nothing that exists is ever
// replaced, and cmtool.yaml comes last: until it exists, running init again is always safe.
#include "cmtool/calendar/init.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <date/tz.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"
#include "init_templates.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;

namespace {

// The IANA name in a $TZ value, /etc/timezone line or zoneinfo path, when date knows it.
std::optional<std::string> known_zone(std::string_view raw) {
    std::string name(util::trim(raw));
    if (!name.empty() && name.front() == ':') {
        name.erase(0, 1);
    }
    if (const auto at = name.find("zoneinfo/"); at != std::string::npos) {
        name.erase(0, at + 9);
    }
    for (const char* prefix : {"posix/", "right/"}) {
        if (name.rfind(prefix, 0) == 0) {
            name.erase(0, std::strlen(prefix));
        }
    }
    if (name.empty() || name.front() == '/') {
        return std::nullopt;
    }
    try {
        date::locate_zone(name);
        return name;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// Creates `path` holding `content` only when it does not exist. False when it already did.
Result<bool> create_new_file(const fs::path& path, std::string_view content) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST) {
            return false;
        }
        return fail(ErrorCode::io,
                    fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            return fail(ErrorCode::io,
                        fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        return fail(ErrorCode::io, fmt::format("cannot write {}", path.string()));
    }
    return true;
}

// Creates the file, or notes that an existing one was kept.
Result<void> scaffold_file(InitReport& report, const std::string& relative,
                           std::string_view content) {
    auto made = create_new_file(report.root / relative, content);
    if (!made) {
        return fail(std::move(made).error());
    }
    (*made ? report.created : report.kept).push_back(relative);
    return {};
}

bool ignores_state_dir(std::string_view gitignore) {
    for (const auto& line : util::split(gitignore, '\n')) {
        const auto l = util::trim(line);
        if (l == ".cmtool" || l == ".cmtool/" || l == "/.cmtool" || l == "/.cmtool/") {
            return true;
        }
    }
    return false;
}

Result<void> scaffold_gitignore(InitReport& report) {
    const fs::path path = report.root / ".gitignore";
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return scaffold_file(report, ".gitignore", templates::k_gitignore);
    }
    auto content = util::read_file(path);
    if (!content) {
        return fail(std::move(content).error());
    }
    if (ignores_state_dir(*content)) {
        report.kept.emplace_back(".gitignore");
        return {};
    }
    std::string updated = *content;
    if (!updated.empty() && updated.back() != '\n') {
        updated += '\n';
    }
    updated += templates::k_gitignore;
    if (auto w = util::write_file_atomic(path, updated); !w) {
        return w;
    }
    report.appended.emplace_back(".gitignore");
    return {};
}

Result<void> scaffold_media(InitReport& report) {
    std::error_code ec;
    const fs::path media = report.root / "media";
    if (fs::is_directory(media, ec) && !fs::is_empty(media, ec)) {
        report.kept.emplace_back("media/");
        return {};
    }
    return scaffold_file(report, "media/.gitkeep", "");
}

Result<void> scaffold_calendar(InitReport& report, const date::time_zone& zone,
                               std::chrono::sys_seconds now) {
    const auto today = date::floor<date::days>(zone.to_local(now));
    const date::year_month_day tomorrow{today + date::days{1}};
    report.example_file =
        fmt::format("calendar/{:04}/{:02}.yaml", int{tomorrow.year()}, unsigned{tomorrow.month()});
    report.example_post_id = "welcome";
    report.example_day = date::format("%Y-%m-%d", tomorrow);
    const std::string content = templates::example_calendar(
        report.example_post_id, report.example_day + " 09:00", report.lang);
    return scaffold_file(report, report.example_file, content);
}

Result<void> resolve_settings(const InitOptions& opts, InitReport& report) {
    if (!opts.timezone.empty()) {
        if (known_zone(opts.timezone) != opts.timezone) {  // an exact IANA name, no path
            return fail(ErrorCode::usage, fmt::format("unknown time zone `{}`", opts.timezone),
                        "use an IANA name such as Europe/Paris or America/Montreal");
        }
        report.timezone = opts.timezone;
        report.timezone_source = "--timezone";
    } else {
        const auto guess = guess_timezone(opts.tz_sources);
        report.timezone = guess.name;
        report.timezone_source = guess.source;
    }
    if (!opts.lang.empty() && opts.lang != "fr" && opts.lang != "en") {
        return fail(ErrorCode::usage, fmt::format("unsupported language `{}`", opts.lang),
                    "use fr or en");
    }
    report.lang = opts.lang.empty() ? guess_lang(opts.locale) : opts.lang;
    report.brand = opts.brand.empty() ? report.root.filename().string() : opts.brand;
    return {};
}

}  // namespace

TimezoneGuess guess_timezone(const TimezoneSources& sources) {
    if (auto z = known_zone(sources.tz_env)) {
        return {*z, "$TZ"};
    }
    if (auto line = util::read_file(sources.etc_timezone)) {
        if (auto z = known_zone(util::split(*line, '\n').front())) {
            return {*z, sources.etc_timezone.string()};
        }
    }
    std::error_code ec;
    const fs::path target = fs::read_symlink(sources.etc_localtime, ec);
    if (!ec) {
        if (auto z = known_zone(target.generic_string());
            z && target.string().find("zoneinfo/") != std::string::npos) {
            return {*z, sources.etc_localtime.string()};
        }
    }
    return {"UTC", ""};
}

std::string guess_lang(std::string_view locale_value) {
    const std::string v = util::to_lower(util::trim(locale_value));
    if (v.rfind("fr", 0) == 0 &&
        (v.size() == 2 || std::string_view("_.@-").find(v[2]) != std::string_view::npos)) {
        return "fr";
    }
    return "en";
}

Result<InitReport> init_workspace(const InitOptions& opts) {
    std::error_code ec;
    InitReport report;
    report.root = fs::absolute(opts.dir.empty() ? fs::path(".") : opts.dir, ec).lexically_normal();
    if (report.root.has_parent_path() && report.root.filename().empty()) {
        report.root = report.root.parent_path();  // "dir/" → "dir"
    }
    if (fs::exists(report.root, ec) && !fs::is_directory(report.root, ec)) {
        return fail(ErrorCode::usage,
                    fmt::format("{} exists and is not a folder", report.root.string()));
    }
    if (fs::exists(report.root / k_workspace_file, ec)) {
        return fail(ErrorCode::usage,
                    fmt::format("{} is already a workspace: it has {}", report.root.string(),
                                k_workspace_file),
                    fmt::format("edit {} to change its settings, or run `cmtool init` in "
                                "another folder",
                                (report.root / k_workspace_file).string()));
    }
    if (auto s = resolve_settings(opts, report); !s) {
        return fail(std::move(s).error());
    }
    fs::create_directories(report.root, ec);
    if (ec) {
        return fail(ErrorCode::io,
                    fmt::format("cannot create {}: {}", report.root.string(), ec.message()));
    }
    const date::time_zone* zone = date::locate_zone(report.timezone);
    if (auto r = scaffold_calendar(report, *zone, opts.now); !r) {
        return fail(std::move(r).error());
    }
    if (auto r = scaffold_media(report); !r) {
        return fail(std::move(r).error());
    }
    if (auto r = scaffold_gitignore(report); !r) {
        return fail(std::move(r).error());
    }
    const std::string yaml =
        templates::workspace_yaml(yaml_scalar(report.brand), report.timezone, report.lang);
    if (auto made = scaffold_file(report, k_workspace_file, yaml); !made) {
        return fail(std::move(made).error());
    }
    return report;
}

}  // namespace cmtool::calendar
