#pragma once
// The agenda: occurrences of posts in a period, filtered, in time order.
#include <string>
#include <vector>

#include "cmtool/calendar/period.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/recurrence.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

struct AgendaEntry {
    const Post* post = nullptr;
    Occurrence occurrence;
};

// Empty lists match everything; otherwise a post matches when any of its values is listed.
struct PostFilter {
    std::vector<std::string> channels;
    std::vector<std::string> statuses;
    std::vector<std::string> categories;
    std::vector<std::string> campaigns;

    bool matches(const Post& p) const;
};

// Occurrences of `posts` inside `period` that pass `filter`, sorted by time then id. The
// entries point into `posts`, which must outlive them. Posts whose time could not be read are
// left out (validation reports them).
std::vector<AgendaEntry> agenda(const std::vector<Post>& posts, const WorkspaceConfig& ws,
                                const Period& period, const PostFilter& filter);

}  // namespace cmtool::calendar
