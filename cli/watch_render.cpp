// Rendering of watch reports and mentions (watch_render.hpp).
#include "watch_render.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/watch/alerts.hpp"

namespace cmtool::cli {

namespace {

std::string one_line(std::string s, std::size_t max) {
    for (char& c : s) {
        c = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
    }
    if (s.size() > max) {
        std::size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) {
            --cut;
        }
        s = s.substr(0, cut) + "…";
    }
    return s;
}

}  // namespace

std::string format_utc(std::chrono::sys_seconds t) {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t);
}

std::string mentions_text(const std::vector<watch::NewMention>& mentions, bool explain) {
    std::string out;
    for (const auto& n : mentions) {
        const auto& m = n.mention;
        out += fmt::format("{:<8} {:+.2f}  {}  {}  {}  {}  {}\n", m.sentiment, m.score, m.query,
                           m.platform, m.author.empty() ? "-" : m.author, one_line(m.text, 140),
                           m.url.empty() ? m.remote_uri : m.url);
        if (explain) {
            for (const auto& c : n.explain) {
                out += fmt::format("    {:<20} {:+.2f}  {}\n", c.token, c.weight, c.why);
            }
            if (n.explain.empty()) {
                out += "    (no word carried sentiment)\n";
            }
        }
    }
    return out;
}

nlohmann::json mention_json(const store::Mention& m) {
    return {{"source", m.source},
            {"query", m.query},
            {"platform", m.platform},
            {"uri", m.remote_uri},
            {"url", m.url},
            {"author", m.author},
            {"author_url", m.author_url},
            {"published_at", format_utc(m.published_at)},
            {"text", m.text},
            {"lang", m.lang},
            {"sentiment", m.sentiment},
            {"score", m.score},
            {"group_key", fmt::format("{:016x}", m.group_key)}};
}

nlohmann::json report_json(const watch::WatchReport& r) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& s : r.sources) {
        sources.push_back(
            {{"source", s.key},
             {"type", s.type},
             {"status", watch::source_status_name(s.status)},
             {"requests", s.requests},
             {"fetched", s.fetched},
             {"matched", s.matched},
             {"stored", s.stored},
             {"error", s.error.empty() ? nlohmann::json() : nlohmann::json(s.error)},
             {"next_try_at",
              s.next_try_at ? nlohmann::json(format_utc(*s.next_try_at)) : nlohmann::json()}});
    }
    nlohmann::json mentions = nlohmann::json::array();
    for (const auto& n : r.mentions) {
        nlohmann::json j = mention_json(n.mention);
        if (!n.explain.empty()) {
            nlohmann::json why = nlohmann::json::array();
            for (const auto& c : n.explain) {
                why.push_back({{"token", c.token}, {"weight", c.weight}, {"why", c.why}});
            }
            j["explain"] = std::move(why);
        }
        mentions.push_back(std::move(j));
    }
    nlohmann::json alerts = nlohmann::json::array();
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
        nlohmann::json a = watch::alert_json(r.alerts[i]);
        a["delivered"] = i < r.deliveries.size() ? r.deliveries[i] : nlohmann::json::object();
        alerts.push_back(std::move(a));
    }
    return {{"at", format_utc(r.at)},
            {"interrupted", r.interrupted},
            {"stored", r.stored},
            {"sources", std::move(sources)},
            {"mentions", std::move(mentions)},
            {"alerts", std::move(alerts)}};
}

}  // namespace cmtool::cli
