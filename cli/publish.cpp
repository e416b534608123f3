// `cmtool publish`: send what is due, exactly once (docs/ledger.md); from cron every 5 minutes.
#include <date/tz.h>
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/publish/engine.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/store/store.hpp"
#include "output.hpp"
#include "runtime.hpp"

namespace cmtool::cli {

namespace {

using publish::DeliveryOutcome;

struct PublishFlags {
    bool dry_run = false;
    bool catch_up = false;
    bool retry_failed = false;
    std::vector<std::string> posts;
    std::vector<std::string> channels;
    std::string format = "text";
    int max_wait_s = 60;
    int lock_wait_s = 5;
};

std::string outcome_label(DeliveryOutcome o, const Style& s) {
    const std::string name =
        fmt::format("{:<9}", outcome_name(o) == "already_sent" ? "done" : outcome_name(o));
    switch (o) {
        case DeliveryOutcome::sent:
            return s.green(name);
        case DeliveryOutcome::would_send:
            return s.blue(fmt::format("{:<9}", "would"));
        case DeliveryOutcome::already_sent:
            return s.dim(name);
        case DeliveryOutcome::deferred:
            return s.yellow(name);
        case DeliveryOutcome::to_post_by_hand:
        case DeliveryOutcome::awaiting_confirmation:
            return s.blue(fmt::format("{:<9}", "by hand"));
        default:
            return s.red(fmt::format("{:<9}", o == DeliveryOutcome::failed_earlier ? "failed"
                                              : o == DeliveryOutcome::missed_earlier
                                                  ? "missed"
                                                  : outcome_name(o)));
    }
}

std::string delivery_line(const publish::DeliveryReport& d, const calendar::WorkspaceConfig& ws,
                          const Style& s) {
    std::string line =
        fmt::format("{} {} → {}", outcome_label(d.outcome, s), d.occurrence_id, d.channel);
    if (!d.url.empty()) {
        line += "  " + d.url;
    }
    if (d.parts_total > 1 && d.manual_folder.empty()) {
        line += s.dim(fmt::format("  ({}/{} parts)", d.parts_sent, d.parts_total));
    }
    if (d.outcome == DeliveryOutcome::missed) {
        line += s.dim(fmt::format("  scheduled {}", calendar::calendar_time(d.scheduled_at, ws)));
    }
    if (!d.message.empty()) {
        line += "\n          " + d.message;
    }
    if (d.retry_at) {
        line += s.dim(fmt::format(" (retry after {})", calendar::calendar_time(*d.retry_at, ws)));
    }
    if (!d.manual_folder.empty() && d.outcome != DeliveryOutcome::would_send) {
        // The alert of a manual channel: what to post, and the command that records it.
        line +=
            fmt::format("\n          to post by hand: {}; then run: {}", d.manual_folder, d.hint);
    } else if (!d.manual_folder.empty()) {
        line += "\n          " + d.manual_folder;
    } else if (!d.hint.empty()) {
        line += "\n          " + s.blue("hint:") + " " + d.hint;
    }
    if (d.changed_since_sent) {
        line += "\n          " + s.yellow("note:") +
                " the calendar was edited after it was sent; it is not sent again";
    }
    return line + "\n";
}

nlohmann::json delivery_json(const publish::DeliveryReport& d,
                             const calendar::WorkspaceConfig& ws) {
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : d.parts) {
        nlohmann::json pj = {{"index", p.index}, {"status", p.status}};
        if (!p.ref.id.empty())
            pj["remote"] = p.ref.to_json();
        if (!p.preview.is_null())
            pj["request"] = p.preview;
        parts.push_back(std::move(pj));
    }
    nlohmann::json j = {{"id", d.occurrence_id},
                        {"post", d.post_id},
                        {"channel", d.channel},
                        {"platform", d.platform},
                        {"scheduled_at", calendar::iso_local(d.scheduled_at, ws)},
                        {"outcome", outcome_name(d.outcome)},
                        {"parts_sent", d.parts_sent},
                        {"parts_total", d.parts_total},
                        {"parts", std::move(parts)}};
    j["url"] = d.url.empty() ? nlohmann::json() : nlohmann::json(d.url);
    j["remote_id"] = d.remote_id.empty() ? nlohmann::json() : nlohmann::json(d.remote_id);
    j["message"] = d.message.empty() ? nlohmann::json() : nlohmann::json(d.message);
    j["hint"] = d.hint.empty() ? nlohmann::json() : nlohmann::json(d.hint);
    j["retry_at"] =
        d.retry_at ? nlohmann::json(calendar::iso_local(*d.retry_at, ws)) : nlohmann::json();
    j["manual_folder"] =
        d.manual_folder.empty() ? nlohmann::json() : nlohmann::json(d.manual_folder);
    j["reconciled"] = d.reconciled;
    j["changed_since_sent"] = d.changed_since_sent;
    return j;
}

int exit_code(const publish::PublishReport& r) {
    if (r.interrupted) {
        return k_exit_interrupted;
    }
    bool config = false, failure = false;
    for (const auto& d : r.deliveries) {
        config = config || d.config_problem;
        failure = failure || publish::is_failure(d.outcome);
    }
    return config ? k_exit_usage : failure ? k_exit_failure : k_exit_ok;
}

void print_summary(const publish::PublishReport& r, bool dry_run, const Style& s) {
    std::map<DeliveryOutcome, int> n;
    for (const auto& d : r.deliveries) {
        ++n[d.outcome];
    }
    if (r.deliveries.empty()) {
        fmt::print(stderr, "nothing due\n");
        return;
    }
    std::vector<std::string> parts;
    auto add = [&](DeliveryOutcome o, const char* label) {
        if (n[o] > 0)
            parts.push_back(fmt::format("{} {}", n[o], label));
    };
    add(DeliveryOutcome::would_send, "would be sent");
    add(DeliveryOutcome::sent, "sent");
    add(DeliveryOutcome::already_sent, "already sent");
    add(DeliveryOutcome::failed, "failed");
    add(DeliveryOutcome::missed, "missed");
    add(DeliveryOutcome::deferred, "deferred");
    add(DeliveryOutcome::blocked, "blocked");
    add(DeliveryOutcome::failed_earlier, "failed earlier");
    add(DeliveryOutcome::missed_earlier, "missed earlier");
    add(DeliveryOutcome::to_post_by_hand, "to post by hand");
    add(DeliveryOutcome::awaiting_confirmation, "awaiting confirmation");
    fmt::print(stderr, "{}{}\n", dry_run ? s.blue("dry run: ") : "", fmt::join(parts, ", "));
}

int run_publish_cmd(const PublishFlags& f, const GlobalOptions& g) {
    auto rt = Runtime::open(g);
    if (!rt) {
        return report_error(rt.error());
    }
    Runtime& runtime = **rt;
    auto now = current_time(g, runtime.ws);
    if (!now) {
        return report_error(now.error());
    }
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(runtime.ws, diags);
    if (!posts) {
        return report_error(posts.error());
    }
    // The ledger and the lock. A dry run reads the ledger when there is one and writes nothing.
    std::optional<store::FileLock> lock;
    std::optional<store::Store> db;
    const bool have_state = std::filesystem::exists(runtime.ws.state_path() / "state.db");
    if (!f.dry_run) {
        auto l = store::FileLock::acquire(runtime.ws.state_path() / "publish.lock",
                                          std::chrono::seconds(f.lock_wait_s));
        if (!l) {
            return report_error(l.error());
        }
        lock.emplace(std::move(*l));
    }
    if (!f.dry_run || have_state) {
        auto s = store::Store::open(runtime.ws.state_path());
        if (!s) {
            return report_error(s.error());
        }
        db.emplace(std::move(*s));
    }
    std::optional<store::Ledger> ledger;
    if (db) {
        ledger.emplace(*db);
    }
    const bool json = f.format == "json";
    const Style s{use_color(Stream::out)};
    publish::PublishContext ctx{
        runtime.ws,
        ledger ? &*ledger : nullptr,
        [&runtime](const calendar::Account& a) { return runtime.adapter(a); },
        runtime.sleeper,
        {}};
    if (!json) {
        // Live progress: one line per delivery as it happens; routine ones hidden under -q.
        ctx.on_delivery = [&](const publish::DeliveryReport& d) {
            const bool routine = d.outcome == DeliveryOutcome::already_sent ||
                                 d.outcome == DeliveryOutcome::failed_earlier ||
                                 d.outcome == DeliveryOutcome::missed_earlier;
            // A post to publish by hand is an alert: shown even under -q (cron mails it).
            const bool alert =
                publish::is_failure(d.outcome) || d.outcome == DeliveryOutcome::to_post_by_hand;
            if ((routine && g.verbosity == 0) || (g.quiet && !alert)) {
                return;
            }
            write_stdout(delivery_line(d, runtime.ws, s));
            if (f.dry_run) {
                for (const auto& p : d.parts) {
                    if (!p.preview.is_null()) {
                        write_stdout(s.dim(p.preview.dump(2)) + "\n");
                    }
                }
            }
        };
    }
    publish::PublishOptions o;
    o.now = *now;
    o.dry_run = f.dry_run;
    o.catch_up = f.catch_up;
    o.retry_failed = f.retry_failed;
    o.filter.posts = f.posts;
    o.filter.channels = f.channels;
    o.max_wait = std::chrono::seconds(f.max_wait_s);
    o.stop = &runtime.stop;
    auto report = publish::run_publish(*posts, o, ctx);
    if (!report) {
        return report_error(report.error());
    }
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& d : report->deliveries) {
            list.push_back(delivery_json(d, runtime.ws));
        }
        write_stdout(nlohmann::json{{"now", calendar::iso_local(*now, runtime.ws)},
                                    {"dry_run", f.dry_run},
                                    {"interrupted", report->interrupted},
                                    {"notes", report->notes},
                                    {"deliveries", std::move(list)}}
                         .dump(2) +
                     "\n");
    }
    const Style es{use_color(Stream::err)};
    for (const auto& note : report->notes) {
        fmt::print(stderr, "{} {}\n", es.blue("note:"), note);
    }
    if (!g.quiet || exit_code(*report) != 0) {
        print_summary(*report, f.dry_run, es);
    }
    return exit_code(*report);
}

}  // namespace

void register_publish(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<PublishFlags>();
    auto* cmd = app.add_subcommand("publish", "Send what is due, exactly once, to each channel");
    cmd->add_flag("--dry-run", f->dry_run,
                  "Show exactly what would be sent; send nothing, write nothing");
    cmd->add_flag("--catch-up", f->catch_up,
                  "Also send deliveries later than max_late (default: reported missed)");
    cmd->add_flag("--retry-failed", f->retry_failed,
                  "Try again deliveries a platform refused in an earlier run");
    cmd->add_option("--post", f->posts, "Only this post or occurrence id (repeatable)");
    cmd->add_option("--channel", f->channels, "Only this account (repeatable)");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--max-wait", f->max_wait_s,
                    "Wait for a rate-limit reset at most this many seconds");
    cmd->add_option("--lock-wait", f->lock_wait_s,
                    "Wait this long for another run to finish (seconds)");
    cmd->footer(
        "Sends every delivery (a post occurrence to one channel) whose post is `ready` and whose "
        "time\n"
        "has come, once: an intent is written to the ledger (.cmtool/state.db) before each request "
        "and\n"
        "the outcome after, and a part whose outcome is unknown is looked up on the platform at "
        "the next\n"
        "run before anything else. Credentials: CMTOOL_<ACCOUNT>_TOKEN (Bluesky: _APP_PASSWORD) "
        "or\n"
        "`cmtool auth login`.\n\n"
        "Exit status: 0 everything due was sent, 1 a delivery failed, was missed or deferred,\n"
        "2 configuration (missing credentials, no workspace), 130 interrupted.\n\n"
        "Examples:\n"
        "  */5 * * * *  cd ~/brand && cmtool publish -q        # crontab\n"
        "  cmtool publish --dry-run --post bf-teaser\n"
        "  cmtool publish --catch-up --now 2026-11-27T09:00:00+01:00");
    cmd->require_subcommand(0, 1);
    cmd->callback([f, cmd, &ctx] {
        if (cmd->get_subcommands().empty()) {
            ctx.action = [f, &ctx] { return run_publish_cmd(*f, ctx.global); };
        }
    });
    register_publish_status(*cmd, ctx);
    register_publish_confirm(*cmd, ctx);
}

}  // namespace cmtool::cli
