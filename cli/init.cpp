// `cmtool init [DIR]`: a new workspace, ready for `plan new` and `plan validate`.
#include <date/tz.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "cmtool/calendar/init.hpp"
#include "cmtool/util/strings.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

namespace fs = std::filesystem;

struct InitOptions {
    std::string dir;
    std::string brand;
    std::string timezone;
    std::string lang;
    std::string format = "text";
};

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
}

// The locale variable that decides messages, in POSIX order, and its name.
std::pair<std::string, std::string> user_locale() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        if (auto v = env(name); !v.empty()) {
            return {v, fmt::format("${}", name)};
        }
    }
    return {};
}

// The clock in the zone the workspace will have, so that --now without offset reads the same.
Result<std::chrono::sys_seconds> init_time(const GlobalOptions& g,
                                           const calendar::InitOptions& io) {
    calendar::WorkspaceConfig clock;
    const std::string zone =
        io.timezone.empty() ? calendar::guess_timezone(io.tz_sources).name : io.timezone;
    try {
        clock.zone = date::locate_zone(zone);
    } catch (const std::exception&) {
        clock.zone = date::locate_zone("UTC");  // init_workspace reports the bad name
    }
    return current_time(g, clock);
}

std::string zone_note(const calendar::InitReport& r) {
    if (r.timezone_source.empty()) {
        return fmt::format(
            "{} (not found in $TZ, /etc/timezone or /etc/localtime; change "
            "`timezone:` in cmtool.yaml)",
            r.timezone);
    }
    return fmt::format("{} (from {}; change `timezone:` in cmtool.yaml)", r.timezone,
                       r.timezone_source);
}

std::vector<std::string> next_steps(const calendar::InitReport& r, const fs::path& shown_root) {
    std::vector<std::string> steps;
    std::error_code ec;
    if (!fs::equivalent(r.root, fs::current_path(ec), ec)) {
        const std::string dir = shown_root.string();
        const bool plain = dir.find_first_of(" '\"$`\\*?&;") == std::string::npos;
        steps.push_back("cd " + (plain ? dir : "'" + util::replace_all(dir, "'", "'\\''") + "'"));
    }
    steps.emplace_back("cmtool plan validate");
    steps.push_back(fmt::format(
        "cmtool plan new --at \"{} 12:00\" --channel example --status draft --text \"Hello\"",
        r.example_day));
    return steps;
}

std::string render_text(const calendar::InitReport& r, const std::string& lang_source,
                        const std::vector<std::string>& steps, const Style& s) {
    const std::string where = path_for_humans(r.root.string());
    std::string out = fmt::format("Created a cmtool workspace in {} (brand: {})\n",
                                  where == "." ? r.root.string() : where, r.brand);
    for (const auto& f : r.created) {
        const bool example = f == r.example_file;
        out += fmt::format("  {}  {}{}\n", s.green("created "), f,
                           example ? s.dim("  (an example draft post)") : "");
    }
    for (const auto& f : r.appended) {
        out += fmt::format("  {}  {}  {}\n", s.yellow("appended"), f, s.dim("(.cmtool/)"));
    }
    for (const auto& f : r.kept) {
        out += fmt::format("  {}  {}  {}\n", s.dim("kept    "), f, s.dim("(already there)"));
    }
    out += fmt::format("time zone: {}\n", zone_note(r));
    out += fmt::format("language:  {} ({}; change `lang:` in cmtool.yaml)\n", r.lang, lang_source);
    out += "\nNext steps:\n";
    for (const auto& step : steps) {
        out += fmt::format("  {}\n", step);
    }
    out += "  add your accounts to cmtool.yaml (`cmtool help workspace` lists their keys)\n";
    return out;
}

nlohmann::json render_json(const calendar::InitReport& r, const std::vector<std::string>& steps) {
    return {{"root", r.root.string()},
            {"brand", r.brand},
            {"timezone",
             {{"name", r.timezone},
              {"source",
               r.timezone_source.empty() ? nlohmann::json() : nlohmann::json(r.timezone_source)}}},
            {"lang", r.lang},
            {"created", r.created},
            {"appended", r.appended},
            {"kept", r.kept},
            {"example",
             {{"file", r.example_file}, {"post_id", r.example_post_id}, {"day", r.example_day}}},
            {"next_steps", steps}};
}

int run_init(const InitOptions& o, const GlobalOptions& g) {
    calendar::InitOptions io;
    const fs::path base = g.workspace_dir.empty() ? fs::path(".") : fs::path(g.workspace_dir);
    const fs::path shown = o.dir.empty() ? base : base / o.dir;  // `/` keeps an absolute DIR
    io.dir = shown;
    io.brand = o.brand;
    io.timezone = o.timezone;
    io.lang = o.lang;
    const auto [locale, locale_var] = user_locale();
    io.locale = locale;
    io.tz_sources.tz_env = env("TZ");
    auto now = init_time(g, io);
    if (!now) {
        return report_error(now.error());
    }
    io.now = *now;
    auto report = calendar::init_workspace(io);
    if (!report) {
        return report_error(report.error());
    }
    const auto steps = next_steps(*report, shown.lexically_normal());
    if (o.format == "json") {
        write_stdout(render_json(*report, steps).dump(2) + "\n");
    } else if (!g.quiet) {
        const std::string lang_source = !o.lang.empty()      ? "from --lang"
                                        : locale_var.empty() ? "the default"
                                                             : "from " + locale_var;
        write_stdout(render_text(*report, lang_source, steps, Style{use_color(Stream::out)}));
    }
    return k_exit_ok;
}

}  // namespace

void register_init(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create a workspace: cmtool.yaml, calendar/, media/");
    cmd->add_option("dir", opts->dir, "Folder of the new workspace (default: the current one)");
    cmd->add_option("--brand", opts->brand, "The brand's name (default: the folder's name)");
    cmd->add_option("--timezone", opts->timezone,
                    "IANA time zone, e.g. Europe/Paris (default: the system's)");
    cmd->add_option("--lang", opts->lang, "Language of messages: fr or en (default: from $LANG)")
        ->check(CLI::IsMember({"fr", "en"}));
    cmd->add_option("--format", opts->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    cmd->footer(
        "Nothing that exists is overwritten: a folder that already holds cmtool.yaml is refused\n"
        "(exit 2), and an existing .gitignore only gets the `.cmtool/` line when it lacks it.\n\n"
        "Examples:\n"
        "  cmtool init\n"
        "  cmtool init atelier --brand \"Atelier Lumière\" --timezone Europe/Paris --lang fr");
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_init(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
