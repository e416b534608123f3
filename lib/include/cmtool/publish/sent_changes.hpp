#pragma once
// `plan validate` with a ledger: warn when the calendar and what was sent now differ. Editing a
// post after it went out never resends it; this makes the difference visible.
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"
#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/workspace.hpp"

namespace cmtool::store {
class Ledger;
}

namespace cmtool::publish {

// One `changed-after-send` warning (at the post's text) per sent delivery whose post now
// renders differently for that channel, and one per sent delivery whose post or channel is
// gone from the calendar. Fails only when the ledger cannot be read.
Result<std::vector<calendar::Finding>> sent_changes(const std::vector<calendar::Post>& posts,
                                                    const calendar::WorkspaceConfig& ws,
                                                    store::Ledger& ledger);

}  // namespace cmtool::publish
