#pragma once
// HTTP routes of the fake Mastodon (platforms.md §1.10) and its Mastodon-specific admin calls.
#include "fake_http.hpp"
#include "mastodon_state.hpp"

namespace cmtool::fakes {

// Registers the API routes, the 429 reply used by injected faults, and /__admin/engagement,
// /__admin/account, /__admin/mention, /__admin/expire_token, /__admin/rate_limit,
// GET /__admin/statuses.
void install_mastodon_routes(FakeServer& server, MastodonState& state);

}  // namespace cmtool::fakes
