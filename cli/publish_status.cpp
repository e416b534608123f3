// `cmtool publish status`: per post and channel, what was sent (with its URL), what is pending,
// what failed and why, what was missed.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "app.hpp"
#include "cmtool/calendar/agenda.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct StatusFlags {
    calendar::PeriodFlags period;
    std::vector<std::string> posts;
    std::vector<std::string> channels;
    std::string state;
    std::string format = "table";
};

struct Row {
    std::chrono::sys_seconds at{};
    std::string id;
    std::string channel;
    std::string state;   // sent, pending, failed, missed, deferred, partial
    std::string detail;  // URL or error
    int parts_total = 1;
};

bool keep(const StatusFlags& f, const Row& r, const std::string& post_id) {
    auto listed = [](const std::vector<std::string>& l, const std::string& v) {
        return l.empty() || std::find(l.begin(), l.end(), v) != l.end();
    };
    return (listed(f.posts, post_id) || listed(f.posts, r.id)) && listed(f.channels, r.channel) &&
           (f.state.empty() || f.state == r.state);
}

Result<std::vector<Row>> collect(const StatusFlags& f, const calendar::WorkspaceConfig& ws,
                                 const calendar::Period& period, std::chrono::sys_seconds now) {
    std::map<std::pair<std::string, std::string>, Row> rows;
    if (std::filesystem::exists(ws.state_path() / "state.db")) {
        auto db = store::Store::open(ws.state_path());
        if (!db) {
            return fail(std::move(db).error());
        }
        store::Ledger ledger(*db);
        store::DeliveryFilter filter;
        filter.from = period.from;
        filter.to = period.to;
        auto list = ledger.list(filter);
        if (!list) {
            return fail(std::move(list).error());
        }
        for (const auto& d : *list) {
            Row r{d.scheduled_at,
                  d.occurrence_id,
                  d.channel,
                  std::string(store::delivery_state_name(d.state)),
                  d.state == store::DeliveryState::sent ? d.url : d.error,
                  d.parts_total};
            if (d.state == store::DeliveryState::awaiting_confirmation) {
                // The folder it was rendered to (kept in `hint`), and how to confirm it.
                r.detail = fmt::format(
                    "to post by hand: {}; then `cmtool publish confirm {} "
                    "--url <URL>`",
                    d.hint, d.occurrence_id);
            }
            if (keep(f, r, d.post_id)) {
                rows[{d.occurrence_id, d.channel}] = r;
            }
        }
    }
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(ws, diags);
    if (!posts) {
        return fail(std::move(posts).error());
    }
    calendar::PostFilter pf;
    pf.statuses = {"ready"};
    for (const auto& e : calendar::agenda(*posts, ws, period, pf)) {
        for (const auto& ch : e.post->channels) {
            if (rows.count({e.occurrence.id, ch}) != 0) {
                continue;
            }
            Row r{e.occurrence.at.utc,
                  e.occurrence.id,
                  ch,
                  "pending",
                  e.occurrence.at.utc <= now ? "due: the next `cmtool publish` sends it" : "",
                  1};
            if (keep(f, r, e.post->id)) {
                rows[{e.occurrence.id, ch}] = r;
            }
        }
    }
    std::vector<Row> out;
    for (auto& [k, r] : rows) {
        out.push_back(std::move(r));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Row& a, const Row& b) { return a.at < b.at; });
    return out;
}

int run_status(const StatusFlags& f, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    calendar::PeriodFlags pf = f.period;
    auto period = pf.week.empty() && pf.month.empty() && pf.from.empty() && pf.to.empty()
                      ? Result<calendar::Period>(calendar::make_period(
                            calendar::local_day(*now, *ws->zone) - date::days{7},
                            calendar::local_day(*now, *ws->zone) + date::days{7}, *ws->zone, {}))
                      : calendar::resolve_period(pf, *now, *ws->zone, 7);
    if (!period) {
        return report_error(period.error());
    }
    auto rows = collect(f, *ws, *period, *now);
    if (!rows) {
        return report_error(rows.error());
    }
    if (f.format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : *rows) {
            list.push_back(
                {{"id", r.id},
                 {"channel", r.channel},
                 {"scheduled_at", calendar::iso_local(r.at, *ws)},
                 {"state", r.state},
                 {"detail", r.detail.empty() ? nlohmann::json() : nlohmann::json(r.detail)}});
        }
        write_stdout(
            nlohmann::json{{"period", period->label}, {"deliveries", std::move(list)}}.dump(2) +
            "\n");
        return k_exit_ok;
    }
    const Style s{use_color(Stream::out)};
    if (rows->empty()) {
        write_stdout(fmt::format("no deliveries ({})\n", period->label));
    }
    std::size_t id_w = 4, ch_w = 7;
    for (const auto& r : *rows) {
        id_w = std::max(id_w, r.id.size());
        ch_w = std::max(ch_w, r.channel.size());
    }
    for (const auto& r : *rows) {
        const std::string st = fmt::format("{:<8}", r.state);
        const std::string colored = r.state == "sent"                            ? s.green(st)
                                    : r.state == "pending"                       ? s.dim(st)
                                    : r.state == "failed" || r.state == "missed" ? s.red(st)
                                                                                 : s.yellow(st);
        write_stdout(fmt::format("{}  {:<{}}  {:<{}}  {} {}\n", calendar::calendar_time(r.at, *ws),
                                 r.id, id_w, r.channel, ch_w, colored, r.detail));
    }
    return k_exit_ok;
}

}  // namespace

void register_publish_status(CLI::App& publish, Context& ctx) {
    auto f = std::make_shared<StatusFlags>();
    auto* cmd = publish.add_subcommand(
        "status", "Per post and channel: sent (URL), pending, failed (why), missed");
    cmd->add_option("--week", f->period.week, "ISO week, e.g. 2026-W48");
    cmd->add_option("--month", f->period.month, "Month, e.g. 2026-11");
    cmd->add_option("--from", f->period.from, "First day (default: 7 days ago)");
    cmd->add_option("--to", f->period.to, "Last day (default: 7 days ahead)");
    cmd->add_option("--post", f->posts, "Only this post or occurrence id (repeatable)");
    cmd->add_option("--channel", f->channels, "Only this account (repeatable)");
    cmd->add_option("--state", f->state, "Only this state")
        ->check(CLI::IsMember({"sent", "pending", "partial", "failed", "missed", "deferred",
                               "awaiting_confirmation"}));
    cmd->add_option("--format", f->format, "Output: table, json")
        ->check(CLI::IsMember({"table", "json"}));
    cmd->footer(
        "Examples:\n  cmtool publish status\n  cmtool publish status --state failed --format json");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_status(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
