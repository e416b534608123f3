// `cmtool doctor`: is this workspace ready to publish from cron? One line per check.
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "auth_setup.hpp"
#include "cmtool/publish/doctor.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

using publish::Check;
using publish::CheckLevel;

struct DoctorFlags {
    std::string format = "text";
    bool offline = false;
    int warn_days = 7;
};

// 0 when every check is ok or a warning, 1 when one is an error, 2 when cmtool.yaml is invalid.
int exit_code(const publish::DoctorReport& r) {
    for (const auto& c : r.checks) {
        if (c.id == "workspace" && c.level == CheckLevel::error) {
            return k_exit_usage;
        }
    }
    return r.worst() == CheckLevel::error ? k_exit_failure : k_exit_ok;
}

std::string mark(CheckLevel level, const Style& s) {
    switch (level) {
        case CheckLevel::ok:
            return s.green("✓");
        case CheckLevel::warning:
            return s.yellow("!");
        case CheckLevel::error:
            return s.red("✗");
    }
    return "?";
}

std::string render_text(const publish::DoctorReport& r, const Style& s) {
    std::size_t title_w = 0;
    for (const auto& c : r.checks) {
        title_w = std::max(title_w, c.title.size());
    }
    std::string out;
    for (const auto& c : r.checks) {
        out += fmt::format("{} {:<{}}  {}\n", mark(c.level, s), c.title, title_w, c.detail);
        for (const auto& item : c.items) {
            out += fmt::format("    {}\n", s.dim(item));
        }
        if (!c.hint.empty()) {
            out += fmt::format("    {} {}\n", s.blue("hint:"), c.hint);
        }
    }
    return out;
}

nlohmann::json render_json(const publish::DoctorReport& r, bool offline) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r.checks) {
        checks.push_back({{"id", c.id},
                          {"title", c.title},
                          {"level", publish::check_level_name(c.level)},
                          {"detail", c.detail},
                          {"hint", c.hint.empty() ? nlohmann::json() : nlohmann::json(c.hint)},
                          {"items", c.items}});
    }
    return {{"ok", r.worst() != CheckLevel::error},
            {"offline", offline},
            {"summary",
             {{"ok", r.count(CheckLevel::ok)},
              {"warning", r.count(CheckLevel::warning)},
              {"error", r.count(CheckLevel::error)}}},
            {"checks", std::move(checks)}};
}

int run_doctor_cmd(const DoctorFlags& f, const GlobalOptions& g) {
    calendar::Diagnostics config_diags;
    auto ws = open_workspace(g, config_diags);  // findings in cmtool.yaml are a check, not a stop
    if (!ws) {
        return report_error(ws.error());
    }
    auto setup = AuthSetup::make(std::move(*ws));
    auto ctx = setup->context();
    publish::DoctorOptions o;
    o.network = f.offline ? platforms::Network::offline : platforms::Network::online;
    o.warn_days = f.warn_days;
    const auto report = publish::run_doctor(ctx, config_diags.findings(), o);
    if (setup->stopped()) {
        return k_exit_interrupted;
    }
    if (f.format == "json") {
        write_stdout(render_json(report, f.offline).dump(2) + "\n");
    } else {
        write_stdout(render_text(report, Style{use_color(Stream::out)}));
    }
    const int code = exit_code(report);
    if (!g.quiet || code != k_exit_ok) {
        const Style s{use_color(Stream::err)};
        const auto errors = report.count(CheckLevel::error);
        const auto warnings = report.count(CheckLevel::warning);
        fmt::print(stderr, "{} {} ok, {} warning{}, {} error{}\n",
                   errors > 0     ? s.red("doctor:")
                   : warnings > 0 ? s.yellow("doctor:")
                                  : s.green("doctor:"),
                   report.count(CheckLevel::ok), warnings, warnings == 1 ? "" : "s", errors,
                   errors == 1 ? "" : "s");
    }
    return code;
}

}  // namespace

void register_doctor(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<DoctorFlags>();
    auto* cmd = app.add_subcommand("doctor", "Check that this workspace is ready to publish");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("--offline", f->offline,
                  "Send nothing over the network: credentials are not verified, the clock is "
                  "not compared with a server");
    cmd->add_option("--warn-days", f->warn_days,
                    "Warn this many days before an OAuth token that needs a new login expires "
                    "(default 7)")
        ->check(CLI::Range(0, 3650));
    cmd->footer(
        "Checks, each ok (✓), warning (!) or error (✗) with a hint: cmtool.yaml loads; the\n"
        "calendar has no errors (`plan validate`); each account cmtool publishes to has\n"
        "credentials the platform accepts (`auth status`); the credentials file is mode 0600;\n"
        "the system clock is within 2 minutes of a platform server's (offline: a plausible\n"
        "year); the state folder is writable; the ledger opens and has no part whose outcome is\n"
        "unknown; no `cmtool publish` holds the lock. OAuth tokens (X, LinkedIn, Meta,\n"
        "Threads) that need a new login warn --warn-days (default 7) before they expire.\n"
        "It publishes nothing and creates no file\n"
        "(verifying may renew a cached Bluesky session).\n\n"
        "Exit status: 0 every check is ok or only warnings, 1 a check is an error, 2 cmtool.yaml\n"
        "is missing or invalid.\n\n"
        "Examples:\n"
        "  cmtool doctor\n"
        "  0 7 * * *  cd ~/brand && cmtool doctor -q --format json > doctor.json   # crontab");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_doctor_cmd(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
