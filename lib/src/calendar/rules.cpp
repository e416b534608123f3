// Per-post rules: channels, categories, text length per platform, threads, media.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cmtool/calendar/render.hpp"
#include "cmtool/calendar/validate.hpp"
#include "cmtool/text/count.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace {

struct Ctx {
    const Post& post;
    const WorkspaceConfig& ws;
    Diagnostics& diags;

    void error(std::string rule, Pos pos, std::string msg, std::string channel = {},
               std::string hint = {}) const {
        diags.error(std::move(rule), post.file, pos, std::move(msg), post.id, std::move(channel),
                    std::move(hint));
    }
    void warning(std::string rule, Pos pos, std::string msg, std::string channel = {},
                 std::string hint = {}) const {
        diags.warning(std::move(rule), post.file, pos, std::move(msg), post.id, std::move(channel),
                      std::move(hint));
    }
};

std::vector<std::string> account_names(const WorkspaceConfig& ws) {
    std::vector<std::string> out;
    for (const auto& a : ws.accounts) {
        out.push_back(a.name);
    }
    return out;
}

bool is_video(MediaKind k) {
    return k == MediaKind::mp4 || k == MediaKind::mov;
}

// Which media types a platform's API takes (platforms.md §1.4, §2.5, §3.4, §4.4, §5, §6).
bool accepts(Platform p, MediaKind k) {
    switch (p) {
        case Platform::mastodon:
            return k != MediaKind::unknown;
        case Platform::bluesky:
            return k == MediaKind::jpeg || k == MediaKind::png || k == MediaKind::webp ||
                   k == MediaKind::gif || k == MediaKind::mp4;
        case Platform::instagram:
            return k == MediaKind::jpeg || is_video(k);  // Content Publishing takes JPEG only
        case Platform::threads:
        case Platform::linkedin:
            return k == MediaKind::jpeg || k == MediaKind::png || k == MediaKind::gif ||
                   is_video(k);
        case Platform::x:
        case Platform::facebook:
        case Platform::telegram:
            return k == MediaKind::jpeg || k == MediaKind::png || k == MediaKind::gif ||
                   k == MediaKind::webp || is_video(k);
        case Platform::discord:
        case Platform::manual:
            return true;
    }
    return false;
}

Pos text_pos(const Post& post, const Variant* v) {
    if (v != nullptr && v->text) {
        return v->text_pos;
    }
    return post.text.empty() && !post.link.empty() ? post.where("link") : post.where("text");
}

void check_length(const Ctx& c, const std::string& channel, const Account& acc,
                  std::string_view text, text::TextRole role, Pos pos, std::string_view what) {
    auto measures = text::measure(acc.platform, text, role);
    if (acc.platform == Platform::mastodon && !acc.get("max_characters").empty()) {
        try {
            measures.front().max = std::stoul(acc.get("max_characters"));
        } catch (const std::exception&) {
        }
    }
    for (const auto& m : measures) {
        if (m.ok()) {
            continue;
        }
        c.error("text-too-long", pos,
                fmt::format("{} is {} {} on {} ({}), {} over its limit of {}", what, m.length,
                            m.unit, channel, platform_name(acc.platform), m.length - m.max, m.max),
                channel,
                fmt::format("shorten it, or write a shorter `variants: {{{}: {{text: ...}}}}`",
                            channel));
    }
}

void check_channel_media(const Ctx& c, const std::string& channel, Pos channel_pos,
                         const Account& acc, const Rendered& r, MediaProbe& probe) {
    const Variant* v = c.post.variant_for(channel);
    const Pos media_pos = v != nullptr && v->media ? v->media_pos : c.post.where("media");
    const PlatformLimits& lim = limits_for(acc.platform);
    const auto name = platform_name(acc.platform);
    if (!r.media.empty() && lim.media.max_count == 0) {
        c.error("media-count", media_pos,
                fmt::format("{} ({}) does not take media in cmtool", channel, name), channel);
        return;
    }
    if (r.media.size() > lim.media.max_count) {
        c.error("media-count", media_pos,
                fmt::format("{} media files for {} ({}), which takes at most {}", r.media.size(),
                            channel, name, lim.media.max_count),
                channel);
    }
    bool has_visual = false;
    for (const auto& m : r.media) {
        const MediaInfo info = probe.probe(m.file);
        if (!info.exists || !info.inside_workspace) {
            continue;  // reported once per post
        }
        const MediaKind k = info.kind != MediaKind::unknown ? info.kind : info.by_extension;
        has_visual = has_visual || k != MediaKind::unknown;
        if (!accepts(acc.platform, k)) {
            c.error("media-type", m.pos,
                    fmt::format("{} ({}) does not accept {} files: {}", channel, name,
                                media_kind_name(k), m.file),
                    channel, "convert it to JPEG or PNG");
            continue;
        }
        const std::size_t max = is_video(k) ? lim.media.max_video_bytes : lim.media.max_image_bytes;
        if (max != 0 && info.size > max) {
            c.error(
                "media-too-large", m.pos,
                fmt::format("{} is {:.1f} MB, over the {:.1f} MB {} takes for {}", m.file,
                            static_cast<double>(info.size) / 1e6, static_cast<double>(max) / 1e6,
                            name, is_video(k) ? "a video" : "an image"),
                channel);
        }
    }
    // Instagram and Threads fetch media from a public URL (§5.2, §5.3): without one, nothing
    // with media can be published there.
    if (!r.media.empty() &&
        (acc.platform == Platform::instagram || acc.platform == Platform::threads) &&
        acc.get("media_base_url", c.ws.media_base_url).empty()) {
        c.error("media-base-url", media_pos,
                fmt::format("{} ({}) fetches media from `media_base_url`, which is not set",
                            channel, name),
                channel,
                "serve the workspace's media/ folder over https and set `media_base_url` in "
                "cmtool.yaml");
    }
    if (lim.media.requires_media && !has_visual) {
        c.error("media-required", channel_pos,
                fmt::format("{} ({}) needs at least one image or video", channel, name), channel,
                fmt::format("add `media:` or a `variants: {{{}: {{media: ...}}}}`", channel));
    }
}

void check_media_files(const Ctx& c, const std::vector<MediaItem>& media, MediaProbe& probe,
                       std::set<std::string>& seen) {
    for (const auto& m : media) {
        if (!seen.insert(m.file + '\n' + std::to_string(m.pos.line)).second) {
            continue;
        }
        const MediaInfo info = probe.probe(m.file);
        if (!info.inside_workspace) {
            c.error("media-outside-workspace", m.pos,
                    fmt::format("{} is outside the workspace", m.file), {},
                    "keep media in the workspace, e.g. in media/");
            continue;
        }
        if (!info.exists) {
            c.error("media-missing", m.pos, fmt::format("media file {} does not exist", m.file), {},
                    "check the path: it is relative to the folder holding cmtool.yaml");
            continue;
        }
        if (info.kind == MediaKind::unknown) {
            c.error("media-type", m.pos,
                    fmt::format("{} is not an image or video cmtool recognises", m.file));
        } else if (info.by_extension != MediaKind::unknown && info.by_extension != info.kind) {
            c.warning("media-type", m.pos,
                      fmt::format("{} is named like a {} file but holds a {}", m.file,
                                  media_kind_name(info.by_extension), media_kind_name(info.kind)));
        }
        if (util::trim(m.alt).empty()) {
            c.warning("alt-missing", m.pos,
                      fmt::format("{} has no alt text: people using screen readers will not know "
                                  "what it shows",
                                  m.file),
                      {}, "add `alt: \"...\"` describing the image");
        }
    }
}

}  // namespace

void check_post(const Post& post, const WorkspaceConfig& ws, MediaProbe& probe, Diagnostics& diags,
                std::vector<std::pair<std::string, std::string>>* texts) {
    const Ctx c{post, ws, diags};
    if (!post.category.empty() && !ws.categories.empty() &&
        ws.find_category(post.category) == nullptr) {
        std::vector<std::string> names;
        for (const auto& cat : ws.categories) {
            names.push_back(cat.name);
        }
        const auto guess = did_you_mean(post.category, names);
        c.error("unknown-category", post.where("category"),
                fmt::format("category `{}` is not in cmtool.yaml", post.category), {},
                guess.empty() ? fmt::format("categories: {}", fmt::join(names, ", "))
                              : fmt::format("did you mean `{}`?", guess));
    }
    std::set<std::string> media_seen;
    check_media_files(c, post.media, probe, media_seen);
    for (const auto& [name, v] : post.variants) {
        if (ws.find_account(name) == nullptr) {
            const auto guess = did_you_mean(name, account_names(ws));
            c.error("unknown-channel", v.pos, fmt::format("variant for unknown channel `{}`", name),
                    name, guess.empty() ? "" : fmt::format("did you mean `{}`?", guess));
        } else if (std::find(post.channels.begin(), post.channels.end(), name) ==
                   post.channels.end()) {
            c.warning("variant-unused", v.pos,
                      fmt::format("variant for `{}`, which is not in this post's channels", name),
                      name);
        }
        if (v.media) {
            check_media_files(c, *v.media, probe, media_seen);
        }
    }
    std::set<std::string> channels_seen;
    std::vector<std::string> empty_on;
    for (std::size_t i = 0; i < post.channels.size(); ++i) {
        const std::string& ch = post.channels[i];
        const Pos pos = i < post.channel_pos.size() ? post.channel_pos[i] : post.where("channels");
        if (!channels_seen.insert(ch).second) {
            c.warning("duplicate-channel", pos, fmt::format("channel `{}` is listed twice", ch),
                      ch);
            continue;
        }
        const Account* acc = ws.find_account(ch);
        if (acc == nullptr) {
            const auto guess = did_you_mean(ch, account_names(ws));
            c.error("unknown-channel", pos,
                    fmt::format("channel `{}` is not an account in cmtool.yaml", ch), ch,
                    guess.empty() ? fmt::format("accounts: {}", fmt::join(account_names(ws), ", "))
                                  : fmt::format("did you mean `{}`?", guess));
            continue;
        }
        const Rendered r = render(post, ch, ws);
        if (texts != nullptr) {
            texts->emplace_back(ch, r.text);
        }
        const Variant* v = post.variant_for(ch);
        if (r.text.empty() && r.media.empty()) {
            empty_on.push_back(ch);
            continue;
        }
        const PlatformLimits& lim = limits_for(acc->platform);
        const auto role = r.media.empty() ? text::TextRole::post : text::TextRole::media_caption;
        check_length(c, ch, *acc, r.text, role, text_pos(post, v), "the text");
        if (lim.max_hashtags != 0) {
            const auto tags = text::count_hashtags(r.text);
            if (tags > lim.max_hashtags) {
                c.error("hashtag-limit", text_pos(post, v),
                        fmt::format("{} hashtags on {} ({}), which allows {}", tags, ch,
                                    platform_name(acc->platform), lim.max_hashtags),
                        ch);
            }
        }
        if (!r.thread.empty() && !lim.supports_threads) {
            c.warning(
                "thread-unsupported",
                v != nullptr && v->thread ? v->thread_pos : post.where("thread"),
                fmt::format("{} ({}) has no threads: the {} thread item(s) will not be "
                            "published there",
                            ch, platform_name(acc->platform), r.thread.size()),
                ch,
                fmt::format("give `{}` a variant with `thread: []`, or drop it from channels", ch));
        } else {
            for (std::size_t t = 0; t < r.thread.size(); ++t) {
                const Pos tp = v != nullptr && v->thread    ? v->thread_pos
                               : t < post.thread_pos.size() ? post.thread_pos[t]
                                                            : post.where("thread");
                check_length(c, ch, *acc, r.thread[t], text::TextRole::post, tp,
                             fmt::format("thread item {}", t + 1));
            }
        }
        check_channel_media(c, ch, pos, *acc, r, probe);
    }
    if (!empty_on.empty()) {
        c.error("text-empty", post.where("text"),
                fmt::format("nothing to publish on {}: no text, link or media",
                            fmt::join(empty_on, ", ")),
                empty_on.size() == 1 ? empty_on.front() : std::string());
    }
}

}  // namespace cmtool::calendar
