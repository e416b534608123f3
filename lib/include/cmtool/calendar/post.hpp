#pragma once
// The calendar model: posts as written in calendar/*.yaml (docs/calendar.md).
#include <chrono>

#include <date/date.h>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"

namespace cmtool::calendar {

enum class PostStatus { draft, ready, cancelled };
std::string_view status_name(PostStatus s);

struct MediaItem {
    std::string file;  // relative to the workspace root
    std::string alt;   // empty when missing
    Pos pos;
};

// Per-channel override of a post's content; unset fields fall back to the post.
struct Variant {
    std::optional<std::string> text;
    std::optional<std::vector<std::string>> thread;
    std::optional<std::vector<MediaItem>> media;
    std::optional<std::string> link;
    Pos pos;       // the channel name
    Pos text_pos;  // the variant's text, when set
    Pos thread_pos;
    Pos media_pos;
};

// When a post is published. `utc` is the resolved instant; `local` the wall-clock time in the
// workspace zone (or as written when an offset was given).
struct PostTime {
    std::chrono::sys_seconds utc{};
    date::local_seconds local{};
    bool has_offset = false;  // written with Z or +hh:mm
    std::string text;         // as written
};

enum class RepeatUnit { day, week, month };
struct Repeat {
    RepeatUnit unit = RepeatUnit::week;
    int every = 1;                          // every N units
    std::optional<date::local_days> until;  // last allowed day (inclusive)
    std::optional<int> count;               // number of occurrences, first included
    Pos pos;
};

// The text actually sent to one channel: variant applied, link appended, thread items.
struct Rendered {
    std::string text;
    std::vector<std::string> thread;
    std::vector<MediaItem> media;
    std::string link;
};

struct Post {
    std::string id;
    std::string file;  // calendar file it came from (workspace-relative)
    Pos pos;           // the list item
    PostTime at;
    std::vector<std::string> channels;
    PostStatus status = PostStatus::ready;
    std::string category;
    std::string campaign;
    std::string text;
    std::string link;
    std::vector<MediaItem> media;
    std::vector<std::string> thread;
    std::map<std::string, Variant> variants;
    std::string notes;
    std::optional<Repeat> repeat;
    // Positions of the keys that were present, for findings ("at", "channels", "text", ...).
    std::vector<std::pair<std::string, Pos>> key_pos;
    std::vector<Pos> channel_pos;  // one per channels[] entry
    std::vector<Pos> thread_pos;   // one per thread[] entry

    // Position of a key's value, or of the post itself when the key was absent.
    Pos where(std::string_view key) const;
    // The variant for a channel, or null.
    const Variant* variant_for(std::string_view channel) const;
};

}  // namespace cmtool::calendar
