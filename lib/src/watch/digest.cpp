// The watch digest (digest.hpp).
#include "cmtool/watch/digest.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cmtool::watch {

Result<Digest> make_digest(const calendar::WatchConfig& config, store::MentionStore& ms,
                           Seconds from, Seconds to, std::size_t top) {
    Digest d;
    d.from = from;
    d.to = to;
    for (const auto& q : config.queries) {
        QueryDigest qd;
        qd.query = q.name;
        for (auto [label, field] :
             {std::pair{"negative", &qd.negative}, std::pair{"neutral", &qd.neutral},
              std::pair{"positive", &qd.positive}}) {
            auto n = ms.count(q.name, from, to, label);
            if (!n) {
                return fail(std::move(n).error());
            }
            *field = *n;
        }
        qd.total = qd.negative + qd.neutral + qd.positive;
        store::MentionFilter f;
        f.query = q.name;
        f.from = from;
        f.to = to;
        f.leaders_only = true;
        f.limit = 1000;
        auto ms_rows = ms.mentions(f);
        if (!ms_rows) {
            return fail(std::move(ms_rows).error());
        }
        std::stable_sort(ms_rows->begin(), ms_rows->end(),
                         [](const store::Mention& a, const store::Mention& b) {
                             return a.group_count > b.group_count;
                         });
        if (ms_rows->size() > top) {
            ms_rows->resize(top);
        }
        qd.top = std::move(*ms_rows);
        d.queries.push_back(std::move(qd));
    }
    auto alerts = ms.alerts(from);
    if (!alerts) {
        return fail(std::move(alerts).error());
    }
    d.alerts = std::move(*alerts);
    return d;
}

nlohmann::json digest_json(const Digest& d) {
    nlohmann::json queries = nlohmann::json::array();
    for (const auto& q : d.queries) {
        nlohmann::json top = nlohmann::json::array();
        for (const auto& m : q.top) {
            top.push_back({{"url", m.url},
                           {"author", m.author},
                           {"platform", m.platform},
                           {"published_at", m.published_at.time_since_epoch().count()},
                           {"text", m.text},
                           {"sentiment", m.sentiment},
                           {"score", m.score},
                           {"reposts", m.group_count}});
        }
        queries.push_back({{"query", q.query},
                           {"total", q.total},
                           {"negative", q.negative},
                           {"neutral", q.neutral},
                           {"positive", q.positive},
                           {"top", std::move(top)}});
    }
    nlohmann::json alerts = nlohmann::json::array();
    for (const auto& a : d.alerts) {
        alerts.push_back({{"rule", a.rule},
                          {"query", a.query},
                          {"fired_at", a.fired_at.time_since_epoch().count()},
                          {"updates", a.updates},
                          {"figures", nlohmann::json::parse(a.figures_json, nullptr, false)}});
    }
    return {{"from", d.from.time_since_epoch().count()},
            {"to", d.to.time_since_epoch().count()},
            {"queries", std::move(queries)},
            {"alerts", std::move(alerts)}};
}

Alert digest_message(const Digest& d, std::string_view lang) {
    const bool fr = lang == "fr";
    Alert a;
    a.rule = "digest";
    a.type = "digest";
    a.fired_at = d.to;
    a.at = d.to;
    a.title = fr ? "Résumé de veille cmtool" : "cmtool listening digest";
    std::vector<std::string> parts;
    for (const auto& q : d.queries) {
        parts.push_back(fr ? fmt::format("{} : {} mentions ({} négatives, {} positives)", q.query,
                                         q.total, q.negative, q.positive)
                           : fmt::format("{}: {} mentions ({} negative, {} positive)", q.query,
                                         q.total, q.negative, q.positive));
        for (const auto& m : q.top) {
            if (a.top.size() < 10) {
                a.top.push_back(m);
            }
        }
    }
    a.summary = fmt::format("{}", fmt::join(parts, "; "));
    a.figures = digest_json(d);
    a.figures.erase("queries");
    return a;
}

}  // namespace cmtool::watch
