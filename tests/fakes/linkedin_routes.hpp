#pragma once
// HTTP routes of the fake LinkedIn (platforms.md §3.10) and its admin calls.
#include "fake_http.hpp"
#include "linkedin_state.hpp"

namespace cmtool::fakes {

// Registers the API routes (/rest/* require LinkedIn-Version and X-Restli-Protocol-Version:
// 400 without, 426 for a sunset version), the token endpoint, the 429 reply used by injected
// faults, and /__admin/stats, /__admin/followers, /__admin/expire_token, /__admin/daily_limit,
// /__admin/delete_post, GET /__admin/posts.
void install_linkedin_routes(FakeServer& server, LinkedInState& state);

}  // namespace cmtool::fakes
