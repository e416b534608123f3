#pragma once
// Alert rules (docs/watch.md): a spike of mention volume against a rolling baseline, a share of
// negative mentions over a threshold, and keywords in new mentions. Each (rule, query) has a
// cooldown measured from its last alert or update: while it lasts, new evidence becomes an
// update of the same alert instead of a new one, so one storm sends one alert.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/store/mentions.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::watch {

using Seconds = std::chrono::sys_seconds;

struct Alert {
    std::string rule;
    std::string type;  // spike | negative_share | keyword
    std::string query;
    std::optional<std::int64_t> id;  // set for an update of an alert in cooldown
    bool update = false;
    Seconds fired_at{};  // of the original alert
    Seconds at{};        // now
    std::int64_t updates = 0;
    nlohmann::json figures;             // what tripped it: counts, mean, stddev, z, ratio, share...
    std::vector<store::Mention> top;    // up to five mentions, with their links
    std::vector<std::string> channels;  // the rule's channels (empty: every channel)
    std::string title;                  // one line, in the workspace language
    std::string summary;                // the figures in words
};

// The spike figures for `count` in the current window against `baseline` counts: mean,
// population standard deviation (floored at 1 so a silent baseline does not make one mention
// infinitely unusual), z = (count - mean) / sd and ratio = count / max(mean, 1).
struct SpikeFigures {
    std::int64_t count = 0;
    double mean = 0;
    double stddev = 0;
    double z = 0;
    double ratio = 0;
};
SpikeFigures spike_figures(std::int64_t count, const std::vector<std::int64_t>& baseline);

// Evaluates every rule for every query it covers at `now` (windows end at now and use the
// mentions' publication times); `fresh` are the mentions inserted by this run (keyword rule).
// Returns the alerts to send, new or updates, not yet recorded: record_alert() does that after
// delivery. `lang` ("fr"/"en") picks the wording.
Result<std::vector<Alert>> evaluate_alerts(const calendar::WatchConfig& config,
                                           store::MentionStore& mentions, Seconds now,
                                           const std::vector<store::Mention>& fresh,
                                           std::string_view lang);

// Stores a delivered alert (insert, or update in cooldown) with the channels' results.
Result<void> record_alert(store::MentionStore& mentions, Alert& alert,
                          const nlohmann::json& channel_results);

// The alert as one JSON object (stdout lines, generic webhooks, the alerts table).
nlohmann::json alert_json(const Alert& alert);

}  // namespace cmtool::watch
