// Instagram metrics (platforms.md §5.2): the table of which field fills which counter.
// Marks as in docs/networks/instagram.md; change a metric here. `reach` has no counter in the
// store and is not asked for.
#include "platforms/meta_metrics.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<MetricsSource>> make_instagram_metrics(const AdapterContext& ctx) {
    using meta::Counter;
    meta::MetricsSpec spec{
        .platform = Platform::instagram,
        .object_setting = "user_id",
        .post =
            {
                {Counter::likes, "like_count"},          // [C]
                {Counter::reposts, "insights:shares"},   // [V] metric list
                {Counter::replies, "comments_count"},    // [C]
                {Counter::bookmarks, "insights:saved"},  // [V]
                {Counter::views, "insights:views"},      // [V] replaces impressions/plays
            },
        .account =
            {
                {Counter::followers, "followers_count"},  // [C]
                {Counter::following, "follows_count"},    // [U]
                {Counter::posts, "media_count"},          // [C]
            },
        .post_fields = "id,caption,timestamp,permalink",
        .text_field = "caption",
        .time_field = "timestamp",
        .url_field = "permalink",
        .timeline = "/media",
        .insights_edge = false,
        .account_edge = "",
        .batch = 50,
    };
    return meta::make_meta_metrics(ctx, std::move(spec));
}

}  // namespace cmtool::platforms
