#pragma once
// What `watch` and `watch digest` share: the clock (--now), and how mentions and reports look.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/watch/run.hpp"

namespace cmtool::cli {

// "2026-11-21T10:00:00Z"
std::string format_utc(std::chrono::sys_seconds t);

// One line per mention ("negative -0.62  greencart  mastodon  @bob  text  url"), and with
// explain the words that decided, indented below.
std::string mentions_text(const std::vector<watch::NewMention>& mentions, bool explain);

nlohmann::json mention_json(const store::Mention& m);
nlohmann::json report_json(const watch::WatchReport& r);

void register_watch_digest(CLI::App& watch, Context& ctx);

}  // namespace cmtool::cli
