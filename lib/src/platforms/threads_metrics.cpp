// Threads metrics (platforms.md §5.3): per-post insights and the account's followers_count.
// Marks as in docs/networks/threads.md; change a metric here.
#include "platforms/meta_metrics.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<MetricsSource>> make_threads_metrics(const AdapterContext& ctx) {
    using meta::Counter;
    meta::MetricsSpec spec{
        .platform = Platform::threads,
        .object_setting = "user_id",
        .post =
            {
                {Counter::likes, "insights:likes"},      // [V]
                {Counter::reposts, "insights:reposts"},  // [V]
                {Counter::replies, "insights:replies"},  // [V] top-level replies only
                {Counter::quotes, "insights:quotes"},    // [V]
                {Counter::views, "insights:views"},      // [V]
            },
        .account =
            {
                {Counter::followers, "insights:followers_count"},  // [V] total_value [C]
            },
        .post_fields = "id,text,timestamp,permalink",
        .text_field = "text",
        .time_field = "timestamp",
        .url_field = "permalink",
        .timeline = "",  // the threads list carries no counters
        .insights_edge = true,
        .account_edge = "/threads_insights",
        .batch = 1,
    };
    return meta::make_meta_metrics(ctx, std::move(spec));
}

}  // namespace cmtool::platforms
