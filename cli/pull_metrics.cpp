// `cmtool pull-metrics`: engagement snapshots into the local store (docs/metrics.md); from cron.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "app.hpp"
#include "cmtool/calendar/period.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/metrics/pull.hpp"
#include "cmtool/store/lock.hpp"
#include "output.hpp"
#include "runtime.hpp"

namespace cmtool::cli {

namespace {

using metrics::AccountPull;
using metrics::AccountStatus;

struct PullFlags {
    std::vector<std::string> accounts;
    std::string since;
    std::string format = "text";
    std::size_t concurrency = 8;
    std::size_t max_pages = 10;
    std::size_t commit_every = 5000;
};

// "7d", "12h" (before now) or a day "2026-11-01" (its midnight in the workspace zone).
Result<std::chrono::sys_seconds> parse_since(const std::string& text,
                                             const calendar::WorkspaceConfig& ws,
                                             std::chrono::sys_seconds now) {
    if (auto d = calendar::parse_duration(text)) {
        return now - *d;
    }
    auto day = calendar::parse_day(text);
    if (!day) {
        return fail(
            ErrorCode::usage,
            "--since wants a duration such as 7d or a day such as 2026-11-01, not `" + text + "`");
    }
    return calendar::make_period(*day, *day, *ws.zone, text).from;
}

std::string status_label(const AccountPull& a, const Style& s) {
    const std::string name = fmt::format("{:<11}", metrics::account_status_name(a.status));
    switch (a.status) {
        case AccountStatus::ok:
            return s.green(name);
        case AccountStatus::partial:
            return s.yellow(name);
        case AccountStatus::failed:
            return s.red(name);
        case AccountStatus::unsupported:
            return s.dim(name);
    }
    return name;
}

std::string text_table(const metrics::PullReport& r, const Style& s) {
    std::string out = fmt::format("{:<14} {:<9} {:<11} {:>6} {:>9} {:>7} {:>6} {:>8} {:>9}\n",
                                  "account", "platform", "status", "posts", "unplanned", "deleted",
                                  "left", "requests", "followers");
    for (const auto& a : r.accounts) {
        if (a.status == AccountStatus::unsupported) {
            continue;  // named once in the note below the table
        }
        const std::string followers =
            a.counters && a.counters->followers ? std::to_string(*a.counters->followers) : "-";
        out += fmt::format("{:<14} {:<9} {} {:>6} {:>9} {:>7} {:>6} {:>8} {:>9}\n", a.account,
                           a.platform, status_label(a, s), a.posts, a.unplanned, a.deleted,
                           a.deferred, a.requests, followers);
    }
    return out;
}

nlohmann::json count_json(const store::Count& c) {
    return c ? nlohmann::json(*c) : nlohmann::json();
}

nlohmann::json report_json(const metrics::PullReport& r, const calendar::WorkspaceConfig& ws) {
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : r.accounts) {
        nlohmann::json j = {{"account", a.account},
                            {"platform", a.platform},
                            {"status", metrics::account_status_name(a.status)},
                            {"requests", a.requests},
                            {"posts", a.posts},
                            {"unplanned", a.unplanned},
                            {"deleted", a.deleted},
                            {"deferred", a.deferred},
                            {"failed", a.failed}};
        j["profile"] = a.counters ? nlohmann::json{{"followers", count_json(a.counters->followers)},
                                                   {"following", count_json(a.counters->following)},
                                                   {"posts", count_json(a.counters->posts)}}
                                  : nlohmann::json();
        j["budget_reset"] =
            a.budget_reset ? nlohmann::json(calendar::iso_local(*a.budget_reset, ws)) : nullptr;
        j["error"] = a.error.empty() ? nlohmann::json() : nlohmann::json(a.error);
        j["hint"] = a.hint.empty() ? nlohmann::json() : nlohmann::json(a.hint);
        accounts.push_back(std::move(j));
    }
    return {{"run", r.run},
            {"started", calendar::iso_local(r.started, ws)},
            {"finished", calendar::iso_local(r.finished, ws)},
            {"since", calendar::iso_local(r.since, ws)},
            {"interrupted", r.interrupted},
            {"posts", r.total_posts()},
            {"accounts", std::move(accounts)}};
}

// One line on stderr, redrawn in place: only on a terminal.
class ProgressBar {
  public:
    explicit ProgressBar(bool on) : m_on(on) {}
    ~ProgressBar() { clear(); }
    void update(const metrics::PullProgress& p) {
        if (!m_on) {
            return;
        }
        const std::size_t total = std::max<std::size_t>(p.requests_planned, 1);
        const std::size_t width = 30;
        const std::size_t filled = std::min(width, p.requests_done * width / total);
        fmt::print(stderr, "\r\033[Kpulling metrics [{}{}] {}/{} requests, {} posts",
                   repeat("█", filled), repeat("░", width - filled), p.requests_done, total,
                   p.posts);
        m_drawn = true;
    }
    void clear() {
        if (m_drawn) {
            fmt::print(stderr, "\r\033[K");
            m_drawn = false;
        }
    }

  private:
    static std::string repeat(const char* s, std::size_t n) {
        std::string out;
        for (std::size_t i = 0; i < n; ++i) {
            out += s;
        }
        return out;
    }
    bool m_on;
    bool m_drawn = false;
};

int exit_code(const metrics::PullReport& r) {
    if (r.interrupted) {
        return k_exit_interrupted;
    }
    for (const auto& a : r.accounts) {
        if (a.config_problem) {
            return k_exit_usage;
        }
    }
    return r.any_failure() ? k_exit_failure : k_exit_ok;
}

void print_problems(const metrics::PullReport& r, bool quiet, const Style& s) {
    std::vector<std::string> unsupported;
    for (const auto& a : r.accounts) {
        if (a.status == AccountStatus::unsupported && a.error.starts_with("no metrics")) {
            // The platform has none to give (Telegram, Discord, manual): say so, once each.
            if (!quiet) {
                fmt::print(stderr, "{} {}: {}\n", s.dim("note:"), a.account, a.error);
            }
        } else if (a.status == AccountStatus::unsupported) {
            unsupported.push_back(a.account + " (" + a.platform + ")");
        }
    }
    if (!unsupported.empty() && !quiet) {
        fmt::print(stderr, "{} no metrics source yet for {}: docs/platforms.md\n", s.dim("note:"),
                   fmt::join(unsupported, ", "));
    }
    for (const auto& a : r.accounts) {
        if (a.status == AccountStatus::unsupported) {
            continue;
        }
        const bool problem = a.status == AccountStatus::failed || a.failed > 0 ||
                             (!a.error.empty() && a.status != AccountStatus::unsupported);
        if (quiet && !problem) {
            continue;
        }
        if (!a.error.empty()) {
            fmt::print(stderr, "{} {}: {}\n", s.red("error:"), a.account, a.error);
        }
        if (a.deferred > 0) {
            fmt::print(stderr, "{} {}: {} post(s) left for the next run\n", s.yellow("note:"),
                       a.account, a.deferred);
        }
        if (!a.hint.empty()) {
            fmt::print(stderr, "{} {}\n", s.blue("hint:"), a.hint);
        }
    }
}

int run_pull_cmd(const PullFlags& f, const GlobalOptions& g) {
    auto rt = Runtime::open(g);
    if (!rt) {
        return report_error(rt.error());
    }
    Runtime& runtime = **rt;
    auto now = current_time(g, runtime.ws);
    if (!now) {
        return report_error(now.error());
    }
    metrics::PullOptions o;
    o.accounts = f.accounts;
    o.concurrency = std::max<std::size_t>(1, f.concurrency);
    o.max_pages = std::max<std::size_t>(1, f.max_pages);
    o.flush_every = std::max<std::size_t>(1, f.commit_every);
    o.stop = &runtime.stop;
    if (!f.since.empty()) {
        auto since = parse_since(f.since, runtime.ws, *now);
        if (!since) {
            return report_error(since.error());
        }
        o.since = *since;
    }
    auto lock = store::FileLock::acquire(runtime.ws.state_path() / "pull-metrics.lock",
                                         std::chrono::milliseconds(0), "cmtool pull-metrics");
    if (!lock) {
        return report_error(lock.error());
    }
    auto db = store::Store::open(runtime.ws.state_path());
    if (!db) {
        return report_error(db.error());
    }
    const bool json = f.format == "json";
    ProgressBar bar(!json && !g.quiet && is_terminal(Stream::err));
    o.progress = [&bar](const metrics::PullProgress& p) { bar.update(p); };
    const auto clock = runtime.command_clock(g, *now);
    metrics::PullContext ctx{runtime.ws,          *db,    runtime.http,
                             runtime.credentials, *clock, runtime.sleeper};
    auto report = metrics::pull_metrics(o, ctx);
    bar.clear();
    if (!report) {
        return report_error(report.error());
    }
    const int code = exit_code(*report);
    if (json) {
        write_stdout(report_json(*report, runtime.ws).dump(2) + "\n");
    } else if (!g.quiet) {
        write_stdout(text_table(*report, Style{use_color(Stream::out)}));
    }
    print_problems(*report, g.quiet, Style{use_color(Stream::err)});
    if (report->interrupted) {
        fmt::print(stderr, "interrupted: what was pulled is saved; run again to finish\n");
    }
    return code;
}

}  // namespace

void register_pull_metrics(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<PullFlags>();
    auto* cmd =
        app.add_subcommand("pull-metrics", "Fetch engagement statistics into the local history");
    cmd->add_option("--account", f->accounts, "Only this account (repeatable)");
    cmd->add_option("--since", f->since,
                    "Posts published since this duration ago (7d) or day (2026-11-01); "
                    "default: metrics.lookback (30d)");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--concurrency", f->concurrency, "Requests in flight per server (default 8)")
        ->check(CLI::Range(1, 32));
    cmd->add_option("--max-pages", f->max_pages,
                    "Pages of each account's own posts read to find unplanned posts (default 10)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--commit-every", f->commit_every,
                    "Snapshots per store transaction (default 5000; each commit is fsync'ed)")
        ->check(CLI::Range(1, 1000000));
    cmd->footer(
        "Appends a snapshot of every tracked post's counters (likes, reposts, replies, quotes,\n"
        "bookmarks, views where given) and of each account's followers to .cmtool/state.db.\n"
        "Tracked: what cmtool published within the window, and the account's own posts found\n"
        "on the platform (unplanned). Rate limits are respected: what does not fit in the\n"
        "budget is left for the next run.\n\n"
        "Exit status: 0 all pulled (some may be left for the next run), 1 an account or post\n"
        "failed, 2 configuration (missing credentials, unknown account), 130 interrupted.\n\n"
        "Examples:\n"
        "  17 * * * *  cd ~/brand && cmtool pull-metrics -q      # crontab, hourly\n"
        "  cmtool pull-metrics --account masto --since 7d --format json\n"
        "  cmtool metrics export --format csv --from 2026-11-01 > metrics.csv");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_pull_cmd(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
