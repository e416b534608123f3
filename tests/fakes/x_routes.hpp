#pragma once
// HTTP routes of the fake X (platforms.md §4.10) and its X-specific admin calls.
#include "fake_http.hpp"
#include "x_state.hpp"

namespace cmtool::fakes {

// Registers GET /i/oauth2/authorize (the consent a browser would give: a 302 to the
// redirect_uri with code and state), POST /2/oauth2/token, the API routes with lowercase
// x-rate-limit-* headers on every answer, the 429 reply used by injected faults, and
// /__admin/engagement, /__admin/account, /__admin/post, /__admin/expire_token,
// /__admin/flags (deny, search_forbidden, limit, daily_cap), /__admin/token, GET /__admin/tweets.
void install_x_routes(FakeServer& server, XState& state);

}  // namespace cmtool::fakes
