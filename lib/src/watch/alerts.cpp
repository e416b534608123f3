// Alert rules and their cooldown (alerts.hpp).
#include "cmtool/watch/alerts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cmtool/watch/query.hpp"

namespace cmtool::watch {

namespace {

constexpr std::size_t k_top = 5;

struct Wording {
    bool fr = false;
    std::string spike(const std::string& q) const {
        return fr ? fmt::format("Pic de mentions pour « {} »", q)
                  : fmt::format("Mention spike for \"{}\"", q);
    }
    std::string negative(const std::string& q) const {
        return fr ? fmt::format("Mentions négatives en hausse pour « {} »", q)
                  : fmt::format("Negative mentions rising for \"{}\"", q);
    }
    std::string keyword(const std::string& q) const {
        return fr ? fmt::format("Mots surveillés dans les mentions de « {} »", q)
                  : fmt::format("Watched words in mentions of \"{}\"", q);
    }
};

std::string window_text(std::chrono::minutes w) {
    return w.count() % 60 == 0 ? fmt::format("{}h", w.count() / 60) : fmt::format("{}m", w.count());
}

// The mentions that best show what happened: the biggest repost groups, then the newest (spike,
// keyword), or the most negative (negative share).
std::vector<store::Mention> pick_top(std::vector<store::Mention> ms, bool most_negative) {
    std::stable_sort(ms.begin(), ms.end(), [&](const store::Mention& a, const store::Mention& b) {
        if (most_negative) {
            return a.score < b.score;
        }
        return a.group_count > b.group_count;
    });
    if (ms.size() > k_top) {
        ms.resize(k_top);
    }
    return ms;
}

Result<std::vector<store::Mention>> window_mentions(store::MentionStore& store,
                                                    const std::string& query, Seconds from,
                                                    Seconds to) {
    store::MentionFilter f;
    f.query = query;
    f.from = from;
    f.to = to;
    f.leaders_only = true;
    f.limit = 500;
    return store.mentions(f);
}

// Builds the alert when the rule tripped, nullopt otherwise.
Result<std::optional<Alert>> check_rule(const calendar::WatchRuleConfig& rule,
                                        const std::string& query, store::MentionStore& store,
                                        Seconds now, const std::vector<store::Mention>& fresh,
                                        const Wording& words) {
    Alert a;
    a.rule = rule.name;
    a.query = query;
    a.at = now;
    a.channels = rule.channels;
    // Windows are (now - window, now]: a mention published in the very second of the run
    // counts in the current window.
    const Seconds end = now + std::chrono::seconds(1);
    const Seconds from = end - rule.window;
    using T = calendar::WatchRuleType;
    if (rule.type == T::keyword) {
        a.type = "keyword";
        std::vector<store::Mention> hits;
        std::vector<std::string> found;
        for (const auto& m : fresh) {
            if (m.query != query) {
                continue;
            }
            const std::string folded = fold_for_match(m.text);
            bool hit = false;
            for (const auto& w : rule.words) {
                if (folded.find(fold_for_match(w)) != std::string::npos) {
                    hit = true;
                    if (std::find(found.begin(), found.end(), w) == found.end()) {
                        found.push_back(w);
                    }
                }
            }
            if (hit) {
                hits.push_back(m);
            }
        }
        if (hits.empty()) {
            return std::optional<Alert>();
        }
        a.figures = {{"matches", hits.size()}, {"words", found}};
        a.top = pick_top(hits, false);
        a.title = words.keyword(query);
        a.summary = fmt::format("{} mention(s): {}", hits.size(), fmt::join(found, ", "));
        return std::optional(std::move(a));
    }
    auto count = store.count(query, from, end);
    if (!count) {
        return fail(std::move(count).error());
    }
    if (rule.type == T::spike) {
        a.type = "spike";
        std::vector<std::int64_t> baseline;
        for (std::size_t k = 1; k <= rule.baseline; ++k) {
            const auto shift = rule.window * static_cast<int>(k);
            auto c = store.count(query, from - shift, end - shift);
            if (!c) {
                return fail(std::move(c).error());
            }
            baseline.push_back(*c);
        }
        const SpikeFigures s = spike_figures(*count, baseline);
        if (*count < static_cast<std::int64_t>(rule.min_count) ||
            (s.z < rule.z && s.ratio < rule.ratio)) {
            return std::optional<Alert>();
        }
        a.figures = {{"count", s.count},
                     {"window", window_text(rule.window)},
                     {"baseline_windows", baseline.size()},
                     {"mean", s.mean},
                     {"stddev", s.stddev},
                     {"z", s.z},
                     {"ratio", s.ratio},
                     {"min_count", rule.min_count},
                     {"z_threshold", rule.z},
                     {"ratio_threshold", rule.ratio}};
        a.title = words.spike(query);
        a.summary = fmt::format("{} mentions in {} vs {:.1f} on average (z {:.1f}, x{:.1f})",
                                s.count, window_text(rule.window), s.mean, s.z, s.ratio);
    } else {
        a.type = "negative_share";
        auto neg = store.count(query, from, end, "negative");
        if (!neg) {
            return fail(std::move(neg).error());
        }
        const double share =
            *count == 0 ? 0.0 : static_cast<double>(*neg) / static_cast<double>(*count);
        if (*count < static_cast<std::int64_t>(rule.min_count) || share < rule.threshold) {
            return std::optional<Alert>();
        }
        a.figures = {{"count", *count},
                     {"negative", *neg},
                     {"share", share},
                     {"threshold", rule.threshold},
                     {"window", window_text(rule.window)},
                     {"min_count", rule.min_count}};
        a.title = words.negative(query);
        a.summary = fmt::format("{} of {} mentions negative ({:.0f} %) in {}", *neg, *count,
                                share * 100, window_text(rule.window));
    }
    auto ms = window_mentions(store, query, from, end);
    if (!ms) {
        return fail(std::move(ms).error());
    }
    a.top = pick_top(std::move(*ms), rule.type == T::negative_share);
    return std::optional(std::move(a));
}

// Whether an update carries new evidence compared with what the alert last said.
bool grew(const Alert& a, const nlohmann::json& before) {
    const char* key = a.type == "keyword" ? "matches" : a.type == "spike" ? "count" : "negative";
    if (a.type == "keyword") {
        return true;  // keyword figures only count this run's new mentions
    }
    return !before.contains(key) || a.figures.value(key, 0) > before.value(key, 0);
}

}  // namespace

SpikeFigures spike_figures(std::int64_t count, const std::vector<std::int64_t>& baseline) {
    SpikeFigures s;
    s.count = count;
    if (!baseline.empty()) {
        double sum = 0;
        for (const auto c : baseline) {
            sum += static_cast<double>(c);
        }
        s.mean = sum / static_cast<double>(baseline.size());
        double var = 0;
        for (const auto c : baseline) {
            var += (static_cast<double>(c) - s.mean) * (static_cast<double>(c) - s.mean);
        }
        s.stddev = std::sqrt(var / static_cast<double>(baseline.size()));
    }
    s.z = (static_cast<double>(count) - s.mean) / std::max(s.stddev, 1.0);
    s.ratio = static_cast<double>(count) / std::max(s.mean, 1.0);
    return s;
}

Result<std::vector<Alert>> evaluate_alerts(const calendar::WatchConfig& config,
                                           store::MentionStore& store, Seconds now,
                                           const std::vector<store::Mention>& fresh,
                                           std::string_view lang) {
    const Wording words{lang == "fr"};
    std::vector<Alert> out;
    for (const auto& rule : config.rules) {
        std::vector<std::string> queries = rule.queries;
        if (queries.empty()) {
            for (const auto& q : config.queries) {
                queries.push_back(q.name);
            }
        }
        for (const auto& q : queries) {
            auto tripped = check_rule(rule, q, store, now, fresh, words);
            if (!tripped) {
                return fail(std::move(tripped).error());
            }
            if (!*tripped) {
                continue;
            }
            Alert a = std::move(**tripped);
            auto last = store.latest_alert(rule.name, q);
            if (!last) {
                return fail(std::move(last).error());
            }
            if (*last && now < (*last)->updated_at + rule.cooldown) {
                const auto before = nlohmann::json::parse((*last)->figures_json, nullptr, false);
                if (!grew(a, before)) {
                    continue;  // same storm, nothing new to say
                }
                a.update = true;
                a.id = (*last)->id;
                a.fired_at = (*last)->fired_at;
                a.updates = (*last)->updates + 1;
            } else {
                a.fired_at = now;
            }
            out.push_back(std::move(a));
        }
    }
    return out;
}

nlohmann::json alert_json(const Alert& a) {
    nlohmann::json top = nlohmann::json::array();
    for (const auto& m : a.top) {
        top.push_back({{"url", m.url},
                       {"author", m.author},
                       {"text", m.text},
                       {"sentiment", m.sentiment},
                       {"score", m.score},
                       {"reposts", m.group_count},
                       {"platform", m.platform}});
    }
    nlohmann::json j = {{"alert", a.update ? "update" : "new"},
                        {"rule", a.rule},
                        {"type", a.type},
                        {"query", a.query},
                        {"fired_at", a.fired_at.time_since_epoch().count()},
                        {"at", a.at.time_since_epoch().count()},
                        {"updates", a.updates},
                        {"title", a.title},
                        {"summary", a.summary},
                        {"figures", a.figures},
                        {"top", std::move(top)}};
    if (a.id) {
        j["id"] = *a.id;
    }
    return j;
}

Result<void> record_alert(store::MentionStore& store, Alert& a,
                          const nlohmann::json& channel_results) {
    store::AlertRecord r;
    r.rule = a.rule;
    r.query = a.query;
    r.fired_at = a.fired_at;
    r.updated_at = a.at;
    r.figures_json = a.figures.dump();
    nlohmann::json ms = nlohmann::json::array();
    for (const auto& m : a.top) {
        ms.push_back({{"id", m.id}, {"url", m.url}});
    }
    r.mentions_json = ms.dump();
    r.channels_json = channel_results.dump();
    if (a.id) {
        r.id = *a.id;
        return store.update_alert(r);
    }
    auto id = store.insert_alert(r);
    if (!id) {
        return fail(std::move(id).error());
    }
    a.id = *id;
    return {};
}

}  // namespace cmtool::watch
