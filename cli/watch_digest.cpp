// `cmtool watch digest`: a summary of what was said since a time (docs/watch.md).
#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include <date/tz.h>

#include "cmtool/util/locale.hpp"
#include "cmtool/util/strings.hpp"
#include "cmtool/watch/channels.hpp"
#include "cmtool/watch/digest.hpp"
#include "cmtool/watch/sentiment.hpp"
#include "output.hpp"
#include "runtime.hpp"
#include "watch_render.hpp"

namespace cmtool::cli {

namespace {

struct DigestFlags {
    std::string since = "24h";
    std::string format = "text";
    std::vector<std::string> send;
    std::size_t top = 5;
    bool explain = false;
};

// The analyser's evidence for a stored mention: scored again, with explanations.
std::vector<watch::Contribution> why(const store::Mention& m) {
    return watch::SentimentAnalyzer::builtin()
        .score(m.text, watch::Lang::detect, watch::Explain::yes)
        .contributions;
}

// A time for people: the workspace's zone, its language ("Wed 25 Nov 18:00" / "mer. 25 nov.
// 18:00").
std::string local_time(std::chrono::sys_seconds t, const calendar::WorkspaceConfig& ws,
                       util::Lang lang) {
    const auto local = date::make_zoned(ws.zone, t).get_local_time();
    const auto day = date::floor<date::days>(local);
    return fmt::format("{} {}", util::short_day(day, lang),
                       date::format("%H:%M", date::floor<std::chrono::minutes>(local)));
}

std::string sentiment_word(const std::string& s, util::Lang lang) {
    if (lang == util::Lang::en) {
        return s;
    }
    return s == "negative" ? "négatif" : s == "positive" ? "positif" : "neutre";
}

std::string digest_text(const watch::Digest& d, bool explain, const calendar::WorkspaceConfig& ws) {
    const util::Lang lang = util::parse_lang(ws.lang);
    const bool fr = lang == util::Lang::fr;
    const std::string from = local_time(d.from, ws, lang);
    const std::string to = local_time(d.to, ws, lang);
    std::string out = fr ? fmt::format("Mentions du {} au {} ({})\n", from, to, ws.timezone)
                         : fmt::format("Mentions from {} to {} ({})\n", from, to, ws.timezone);
    for (const auto& q : d.queries) {
        const auto pct = [&](std::int64_t n) {
            return util::format_percent(
                q.total == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(q.total), 0,
                lang);
        };
        out += fr ? fmt::format("\n{} : {} mention{} : {} négatives, {} neutres, {} positives\n",
                                q.query, q.total, q.total > 1 ? "s" : "", pct(q.negative),
                                pct(q.neutral), pct(q.positive))
                  : fmt::format("\n{}: {} mention{}: {} negative, {} neutral, {} positive\n",
                                q.query, q.total, q.total == 1 ? "" : "s", pct(q.negative),
                                pct(q.neutral), pct(q.positive));
        for (const auto& m : q.top) {
            out += fmt::format("  {:<8} {:+.2f}  {}{}  {}\n    {}\n",
                               sentiment_word(m.sentiment, lang), m.score,
                               m.author.empty() ? "-" : m.author,
                               m.group_count > 1 ? fmt::format(" (x{})", m.group_count) : "",
                               m.url.empty() ? m.remote_uri : m.url, m.text.substr(0, 200));
            for (const auto& c : explain ? why(m) : std::vector<watch::Contribution>{}) {
                out += fmt::format("      {:<20} {:+.2f}  {}\n", c.token, c.weight, c.why);
            }
        }
    }
    if (!d.alerts.empty()) {
        out += fr ? "\nAlertes :\n" : "\nAlerts:\n";
        for (const auto& a : d.alerts) {
            out += fr ? fmt::format("  {}  règle {} sur « {} »{}\n",
                                    local_time(a.fired_at, ws, lang), a.rule, a.query,
                                    a.updates > 0 ? fmt::format(" ({} mise{} à jour)", a.updates,
                                                                a.updates > 1 ? "s" : "")
                                                  : "")
                      : fmt::format("  {}  rule {} on \"{}\"{}\n", local_time(a.fired_at, ws, lang),
                                    a.rule, a.query,
                                    a.updates > 0 ? fmt::format(" ({} update{})", a.updates,
                                                                a.updates > 1 ? "s" : "")
                                                  : "");
        }
    }
    return out;
}

int run_digest(const DigestFlags& f, const GlobalOptions& g) {
    auto rt = Runtime::open(g);
    if (!rt) {
        return report_error(rt.error());
    }
    Runtime& runtime = **rt;
    auto now = current_time(g, runtime.ws);
    if (!now) {
        return report_error(now.error());
    }
    const auto since = calendar::parse_duration(f.since);
    if (!since) {
        return report_error(
            Error{ErrorCode::usage,
                  "--since wants a duration such as 24h or 7d, not `" + f.since + "`", ""});
    }
    for (const auto& name : f.send) {
        const auto& cs = runtime.ws.watch.channels;
        if (std::none_of(cs.begin(), cs.end(), [&](const auto& c) { return c.name == name; })) {
            return report_error(Error{ErrorCode::usage, "no watch channel named `" + name + "`",
                                      "channels are defined under watch.channels in cmtool.yaml"});
        }
    }
    auto db = store::Store::open(runtime.ws.state_path());
    if (!db) {
        return report_error(db.error());
    }
    store::MentionStore ms(*db);
    // Up to and including the current second, like the alert windows.
    const auto to = *now + std::chrono::seconds(1);
    auto digest = watch::make_digest(runtime.ws.watch, ms, to - *since, to, f.top);
    if (!digest) {
        return report_error(digest.error());
    }
    if (f.format == "json") {
        nlohmann::json j = watch::digest_json(*digest);
        for (std::size_t q = 0; f.explain && q < digest->queries.size(); ++q) {
            for (std::size_t i = 0; i < digest->queries[q].top.size(); ++i) {
                nlohmann::json w = nlohmann::json::array();
                for (const auto& c : why(digest->queries[q].top[i])) {
                    w.push_back({{"token", c.token}, {"weight", c.weight}, {"why", c.why}});
                }
                j["queries"][q]["top"][i]["explain"] = std::move(w);
            }
        }
        write_stdout(j.dump(2) + "\n");
    } else {
        write_stdout(digest_text(*digest, f.explain, runtime.ws));
    }
    if (f.send.empty()) {
        return k_exit_ok;
    }
    watch::Alert message = watch::digest_message(*digest, runtime.ws.lang);
    message.channels = f.send;
    net::CurlMailer mailer;
    watch::ChannelContext cc{
        runtime.http,
        runtime.sleeper,
        runtime.clock,
        mailer,
        [](const std::string& line) { write_stdout(line + "\n"); },
        [](const std::string& channel) -> std::optional<std::string> {
            const char* v = std::getenv(util::account_env_name(channel, "smtp_password").c_str());
            return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
        },
        runtime.ws.lang};
    const auto results = watch::deliver_alert(message, runtime.ws.watch.channels, cc);
    int code = k_exit_ok;
    for (const auto& [channel, result] : results.items()) {
        if (result != "ok") {
            fmt::print(stderr, "cmtool: error: digest to {}: {}\n", channel,
                       result.get<std::string>());
            code = k_exit_failure;
        }
    }
    return code;
}

}  // namespace

void register_watch_digest(CLI::App& watch, Context& ctx) {
    auto f = std::make_shared<DigestFlags>();
    auto* cmd = watch.add_subcommand("digest", "Summarise the mentions since a time");
    cmd->add_option("--since", f->since, "How far back, e.g. 24h, 7d (default 24h)");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--send", f->send, "Also send it to this watch channel (repeatable)");
    cmd->add_flag("--explain", f->explain, "Show the words that decided each top mention's tone");
    cmd->add_option("--top", f->top, "Mentions shown per query (default 5)")
        ->check(CLI::Range(1, 100));
    cmd->footer(
        "Volume per query, the sentiment split, the most reposted mentions with their links and\n"
        "the alerts of the period, from .cmtool/state.db (no network unless --send).\n\n"
        "Exit status: 0 ok, 1 a --send channel failed, 2 usage or configuration.\n\n"
        "Examples:\n"
        "  cmtool watch digest --since 24h\n"
        "  0 8 * * *  cd ~/brand && cmtool watch digest --since 24h --send team-mail -q");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_digest(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
