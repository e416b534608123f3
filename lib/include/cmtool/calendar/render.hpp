#pragma once
// What is actually sent to one channel: the variant over the post, the link (with UTM
// parameters when the workspace sets `utm`) appended to the text.
#include <string>
#include <string_view>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar {

// The post as sent to `channel` (an account name). Where the text already contains the link,
// it is not appended twice.
Rendered render(const Post& post, std::string_view channel, const WorkspaceConfig& ws);

// `url` with utm_source/utm_medium/utm_campaign added (existing ones are kept).
std::string add_utm(const std::string& url, const Utm& utm, std::string_view source,
                    std::string_view campaign);

}  // namespace cmtool::calendar
