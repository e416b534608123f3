#pragma once
// HTTP routes of the fake Meta Graph (platforms.md §5.4) and its admin calls:
// POST /__admin/expire_token {"count"} (the next requests answer code 190),
// POST /__admin/throttle {"code","count","status","regain_minutes"},
// POST /__admin/containers {"mode": "slow"|"error", "polls", "count"},
// POST /__admin/engagement {"id","counts":{likes,comments,shares,views,saved,reposts,quotes,
// replies}}, POST /__admin/followers {"count"}, GET /__admin/posts.
#include "fake_http.hpp"
#include "meta_state.hpp"

namespace cmtool::fakes {

void install_meta_routes(FakeServer& server, MetaState& state, const MetaConfig& config);

}  // namespace cmtool::fakes
