#pragma once
// HTTP routes of the fake Bluesky PDS + AppView (platforms.md §2.11) and its admin calls.
#include "bluesky_state.hpp"
#include "fake_http.hpp"

namespace cmtool::fakes {

// Registers the XRPC routes (RateLimit-* headers on every answer, §2.9), the 429 reply used by
// injected faults, and the admin calls: GET /__admin/records, GET /__admin/accounts,
// POST /__admin/expire_tokens {"did"?, "refresh"?: true}, POST /__admin/engagement
// {"uri", "likes", "reposts", "replies", "quotes", "bookmarks"}, POST /__admin/profile
// {"actor", "followers", "follows", "displayName"}, POST /__admin/search_auth {"required"}.
void install_bluesky_routes(FakeServer& server, BlueskyState& state);

}  // namespace cmtool::fakes
