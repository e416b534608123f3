// `cmtool watch`: social listening with sentiment and alerts (docs/watch.md), from cron
// (--once) or as a long-running process (--follow).
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "app.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/util/strings.hpp"
#include "cmtool/watch/run.hpp"
#include "output.hpp"
#include "runtime.hpp"
#include "watch_render.hpp"

namespace cmtool::cli {

namespace {

struct WatchFlags {
    bool once = false;
    bool follow = false;
    std::string interval = "5m";
    std::string format = "text";
    bool explain = false;
};

int step_exit_code(const watch::WatchReport& r) {
    if (r.interrupted) {
        return k_exit_interrupted;  // what was read before the signal is saved
    }
    for (const auto& s : r.sources) {
        if (s.config_problem) {
            return k_exit_usage;
        }
    }
    if (r.any_new_alert()) {
        return k_exit_alert;
    }
    return r.any_source_failed() || r.any_delivery_failed() ? k_exit_failure : k_exit_ok;
}

void print_sources(const watch::WatchReport& r, bool quiet) {
    const Style s{use_color(Stream::err)};
    for (std::size_t i = 0; i < r.deliveries.size() && i < r.alerts.size(); ++i) {
        for (const auto& [channel, result] : r.deliveries[i].items()) {
            if (result != "ok") {
                fmt::print(stderr, "{} alert {} on {} not delivered to {}: {}\n", s.red("error:"),
                           r.alerts[i].rule, r.alerts[i].query, channel, result.get<std::string>());
            }
        }
    }
    for (const auto& src : r.sources) {
        const bool problem = src.status != watch::SourceStatus::ok;
        if (quiet && !problem) {
            continue;
        }
        std::string line =
            fmt::format("{:<28} {:<12} {:>4} read {:>4} new", src.key,
                        watch::source_status_name(src.status), src.fetched, src.stored);
        if (src.next_try_at) {
            line += fmt::format("  next try {}", format_utc(*src.next_try_at));
        }
        fmt::print(stderr, "{}\n", problem ? s.yellow(line) : s.dim(line));
        if (!src.error.empty()) {
            fmt::print(stderr, "  {} {}\n", s.red("error:"), src.error);
        }
        if (!src.hint.empty()) {
            fmt::print(stderr, "  {} {}\n", s.blue("hint:"), src.hint);
        }
    }
}

int run_step(const WatchFlags& f, const GlobalOptions& g, Runtime& rt, store::Store& db,
             const net::Clock& clock, std::chrono::minutes interval) {
    const bool json = f.format == "json";
    watch::WatchOptions o;
    o.interval = interval;
    o.explain = f.explain ? watch::Explain::yes : watch::Explain::no;
    o.stop = &rt.stop;
    o.emit = [json](const std::string& line) {
        if (!json) {
            write_stdout(line + "\n");
        }
    };
    o.smtp_password = [](const std::string& channel) -> std::optional<std::string> {
        const char* v = std::getenv(util::account_env_name(channel, "smtp_password").c_str());
        return v != nullptr && *v != '\0' ? std::optional<std::string>(v) : std::nullopt;
    };
    net::CurlMailer mailer;
    watch::WatchContext ctx{rt.ws, db, rt.http, rt.credentials, clock, rt.sleeper, mailer};
    auto report = watch::watch_step(o, ctx);
    if (!report) {
        return report_error(report.error());
    }
    if (json) {
        write_stdout(report_json(*report).dump(2) + "\n");
    } else {
        write_stdout(mentions_text(report->mentions, f.explain));
    }
    if (!g.quiet || report->any_source_failed() || report->any_delivery_failed()) {
        print_sources(*report, g.quiet);
    }
    return step_exit_code(*report);
}

int run_watch_cmd(const WatchFlags& f, const GlobalOptions& g) {
    if (f.once == f.follow) {
        return report_error(Error{ErrorCode::usage, "say how to run: --once or --follow",
                                  "--once for cron, --follow --interval 5m to keep running"});
    }
    const auto interval = calendar::parse_duration(f.interval);
    if (!interval || interval->count() <= 0) {
        return report_error(
            Error{ErrorCode::usage,
                  "--interval wants a duration such as 5m or 1h, not `" + f.interval + "`", ""});
    }
    auto rt = Runtime::open(g);
    if (!rt) {
        return report_error(rt.error());
    }
    Runtime& runtime = **rt;
    auto now = current_time(g, runtime.ws);
    if (!now) {
        return report_error(now.error());
    }
    auto lock = store::FileLock::acquire(runtime.ws.state_path() / "watch.lock",
                                         std::chrono::milliseconds(0), "cmtool watch");
    if (!lock) {
        return report_error(lock.error());
    }
    auto db = store::Store::open(runtime.ws.state_path());
    if (!db) {
        return report_error(db.error());
    }
    auto clock = runtime.command_clock(g, *now);
    if (f.once) {
        return run_step(f, g, runtime, *db, *clock, *interval);
    }
    while (true) {
        const int code = run_step(f, g, runtime, *db, *clock, *interval);
        if (code == k_exit_usage) {
            return code;
        }
        if (runtime.stop.load() || !runtime.sleeper.sleep_for(*interval)) {
            fmt::print(stderr, "stopped: the last step finished and is saved\n");
            return k_exit_interrupted;
        }
    }
}

}  // namespace

void register_watch(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<WatchFlags>();
    auto* cmd = app.add_subcommand(
        "watch", "Listen for mentions of the brand, score their tone, alert on bad buzz");
    cmd->add_flag("--once", f->once, "Run one step and exit (for cron)");
    cmd->add_flag("--follow", f->follow, "Keep running, one step every --interval, until Ctrl-C");
    cmd->add_option("--interval", f->interval,
                    "Time between steps with --follow, and the backoff base (default 5m)");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("--explain", f->explain, "Show the words that decided each mention's tone");
    cmd->footer(
        "Reads every source of cmtool.yaml's `watch:` section (docs/watch.md), stores new\n"
        "mentions once with their sentiment in .cmtool/state.db, then checks the alert rules\n"
        "and sends what tripped to their channels. New mentions are printed on stdout, one per\n"
        "line (or one JSON document with --format json); stdout channels add one JSON line per\n"
        "alert. A failing source is reported and tried again later (backoff up to 1h).\n\n"
        "Exit status (--once): 0 nothing to report, 3 a new alert fired (updates of an alert in\n"
        "cooldown do not count), 1 a source failed or a channel could not be reached,\n"
        "2 configuration (no queries, missing credentials). --follow ends with 130 after Ctrl-C or "
        "SIGTERM, once the step is saved.\n\n"
        "Examples:\n"
        "  */10 * * * *  cd ~/brand && cmtool watch --once -q || notify-on-3   # crontab\n"
        "  cmtool watch --follow --interval 5m\n"
        "  cmtool watch --once --explain\n"
        "  cmtool watch digest --since 24h");
    cmd->require_subcommand(0, 1);
    register_watch_digest(*cmd, ctx);
    cmd->callback([f, cmd, &ctx] {
        if (cmd->get_subcommands().empty()) {
            ctx.action = [f, &ctx] { return run_watch_cmd(*f, ctx.global); };
        }
    });
}

}  // namespace cmtool::cli
