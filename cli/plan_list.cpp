// `cmtool plan list` (alias `agenda`): the posts of a period, grouped by day.
#include <date/tz.h>
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/calendar/agenda.hpp"
#include "cmtool/calendar/load.hpp"
#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/csv.hpp"
#include "cmtool/util/locale.hpp"
#include "cmtool/util/strings.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ListOptions {
    calendar::PeriodFlags period;
    calendar::PostFilter filter;
    std::string format = "table";
};

std::string status_cell(calendar::PostStatus s, const Style& st) {
    const std::string name(calendar::status_name(s));
    const std::string padded = fmt::format("{:<9}", name);
    switch (s) {
        case calendar::PostStatus::ready:
            return st.green(padded);
        case calendar::PostStatus::draft:
            return st.yellow(padded);
        case calendar::PostStatus::cancelled:
            return st.dim(padded);
    }
    return padded;
}

std::string render_table(const std::vector<calendar::AgendaEntry>& entries,
                         const calendar::WorkspaceConfig& ws, const calendar::Period& period,
                         const Style& st) {
    const auto lang = util::parse_lang(ws.lang);
    if (entries.empty()) {
        return fmt::format("{}\n", ws.lang == "fr"
                                       ? fmt::format("Aucune publication ({})", period.label)
                                       : fmt::format("No posts ({})", period.label));
    }
    std::size_t id_w = 2, ch_w = 8, cat_w = 8;
    for (const auto& e : entries) {
        id_w = std::max(id_w, e.occurrence.id.size());
        ch_w = std::max(ch_w, util::join(e.post->channels, " ").size());
        cat_w = std::max(cat_w, e.post->category.size());
    }
    std::string out;
    date::local_days current{};
    bool first = true;
    for (const auto& e : entries) {
        const auto local = ws.zone->to_local(e.occurrence.at.utc);
        const auto day = date::floor<date::days>(local);
        if (first || day != current) {
            out += fmt::format("{}{}\n", first ? "" : "\n", st.bold(util::long_day(day, lang)));
            current = day;
            first = false;
        }
        const std::string summary =
            util::first_line(e.post->text.empty() ? e.post->link : e.post->text, 60);
        out += fmt::format("  {}  {:<{}}  {:<{}}  {} {:<{}}  {}\n",
                           st.bold(date::format("%H:%M", local)), e.occurrence.id, id_w,
                           util::join(e.post->channels, " "), ch_w, status_cell(e.post->status, st),
                           e.post->category, cat_w, summary);
    }
    return out;
}

nlohmann::json render_json(const std::vector<calendar::AgendaEntry>& entries,
                           const calendar::WorkspaceConfig& ws, const calendar::Period& period) {
    nlohmann::json posts = nlohmann::json::array();
    for (const auto& e : entries) {
        auto j = calendar::post_to_json(*e.post, ws);
        j["post_id"] = e.post->id;
        j["id"] = e.occurrence.id;
        j["at"] = calendar::iso_local(e.occurrence.at.utc, ws);
        posts.push_back(std::move(j));
    }
    return {{"period",
             {{"label", period.label},
              {"from", calendar::iso_local(period.from, ws)},
              {"to", calendar::iso_local(period.to, ws)},
              {"timezone", ws.timezone}}},
            {"count", entries.size()},
            {"posts", std::move(posts)}};
}

std::string render_csv(const std::vector<calendar::AgendaEntry>& entries,
                       const calendar::WorkspaceConfig& ws) {
    std::string out = util::csv_row(
        {"id", "post_id", "at", "channels", "status", "category", "campaign", "summary"});
    for (const auto& e : entries) {
        out += util::csv_row(
            {e.occurrence.id, e.post->id, calendar::iso_local(e.occurrence.at.utc, ws),
             util::join(e.post->channels, " "), std::string(calendar::status_name(e.post->status)),
             e.post->category, e.post->campaign, util::first_line(e.post->text, 80)});
    }
    return out;
}

int run_list(const ListOptions& o, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    auto period = calendar::resolve_period(o.period, *now, *ws->zone, 7);
    if (!period) {
        return report_error(period.error());
    }
    calendar::Diagnostics diags;
    auto posts = calendar::load_posts(*ws, diags);
    if (!posts) {
        return report_error(posts.error());
    }
    if (diags.error_count() > 0 && !g.quiet) {
        fmt::print(
            stderr,
            "cmtool: warning: the calendar has {} error(s); posts that could not be read are "
            "not listed\nhint: run `cmtool plan validate`\n",
            diags.error_count());
    }
    const auto entries = calendar::agenda(*posts, *ws, *period, o.filter);
    if (o.format == "json") {
        write_stdout(render_json(entries, *ws, *period).dump(2) + "\n");
    } else if (o.format == "csv") {
        write_stdout(render_csv(entries, *ws));
    } else {
        write_stdout(render_table(entries, *ws, *period, Style{use_color(Stream::out)}));
    }
    return k_exit_ok;
}

void add_list_options(CLI::App& cmd, const std::shared_ptr<ListOptions>& opts) {
    cmd.add_option("--week", opts->period.week, "ISO week, e.g. 2026-W48");
    cmd.add_option("--month", opts->period.month, "Month, e.g. 2026-11");
    cmd.add_option("--from", opts->period.from, "First day, e.g. 2026-11-23 (default: today)");
    cmd.add_option("--to", opts->period.to, "Last day, inclusive (default: 7 days from --from)");
    cmd.add_option("--channel", opts->filter.channels, "Only posts to this account (repeatable)");
    cmd.add_option("--status", opts->filter.statuses,
                   "Only this status: draft, ready, cancelled (repeatable)")
        ->check(CLI::IsMember({"draft", "ready", "cancelled"}));
    cmd.add_option("--category", opts->filter.categories, "Only this category (repeatable)");
    cmd.add_option("--campaign", opts->filter.campaigns, "Only this campaign (repeatable)");
    cmd.add_option("--format", opts->format, "Output: table, json, csv")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->default_str("table");
    cmd.footer(
        "Times are shown in the workspace time zone. Default period: the next 7 days.\n\n"
        "Examples:\n"
        "  cmtool plan list --week 2026-W48\n"
        "  cmtool agenda --month 2026-12 --channel insta --status ready\n"
        "  cmtool plan list --from 2026-11-23 --to 2026-12-31 --format csv > agenda.csv");
}

}  // namespace

void register_plan_list(CLI::App& plan, Context& ctx) {
    auto opts = std::make_shared<ListOptions>();
    auto* cmd =
        plan.add_subcommand("list", "The posts of a period, grouped by day (alias: agenda)");
    cmd->alias("agenda");
    add_list_options(*cmd, opts);
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_list(*opts, ctx.global); }; });
}

void register_agenda(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ListOptions>();
    auto* cmd = app.add_subcommand("agenda", "Same as `plan list`: the posts of a period, by day");
    add_list_options(*cmd, opts);
    cmd->callback(
        [opts, &ctx] { ctx.action = [opts, &ctx] { return run_list(*opts, ctx.global); }; });
}

}  // namespace cmtool::cli
