#pragma once
// One metrics source per network (make_metrics_source in metrics.cpp), and helpers they share.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/platforms/metrics.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<MetricsSource>> make_mastodon_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_bluesky_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_linkedin_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_facebook_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_instagram_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_threads_metrics(const AdapterContext& ctx);
Result<std::unique_ptr<MetricsSource>> make_x_metrics(const AdapterContext& ctx);

// An ISO 8601 creation time with its fraction of a second dropped; nullopt when malformed.
std::optional<std::chrono::sys_seconds> parse_created_at(std::string_view text);
// `text` on one line (runs of whitespace as one space), cut to `max_bytes` on a UTF-8 boundary
// with an ellipsis.
std::string excerpt_of(std::string_view text, std::size_t max_bytes = 160);

}  // namespace cmtool::platforms
