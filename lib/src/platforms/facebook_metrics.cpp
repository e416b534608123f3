// Facebook Page metrics (platforms.md §5.1): the table of which field fills which counter.
// Marks as in docs/networks/facebook.md; change a metric here.
#include "platforms/meta_metrics.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<MetricsSource>> make_facebook_metrics(const AdapterContext& ctx) {
    using meta::Counter;
    meta::MetricsSpec spec{
        .platform = Platform::facebook,
        .object_setting = "page_id",
        .post =
            {
                {Counter::likes, "reactions.summary.total_count"},          // [C] all reactions
                {Counter::reposts, "shares.count"},                         // [C] absent when 0
                {Counter::replies, "comments.summary.total_count"},         // [C]
                {Counter::views, "insights:post_total_media_view_unique"},  // [U] 2025 rename
            },
        .account =
            {
                {Counter::followers, "followers_count|fan_count"},  // [C]; fan_count legacy [U]
            },
        .post_fields =
            "id,message,created_time,permalink_url,shares,"
            "reactions.summary(total_count).limit(0),"
            "comments.summary(total_count).limit(0)",
        .text_field = "message",
        .time_field = "created_time",
        .url_field = "permalink_url",
        .timeline = "/posts",
        .insights_edge = false,
        .account_edge = "",
        .batch = 50,  // Graph's multiple-id lookup takes up to 50 ids [C]
    };
    return meta::make_meta_metrics(ctx, std::move(spec));
}

}  // namespace cmtool::platforms
