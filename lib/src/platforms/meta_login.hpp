#pragma once
// Meta's step after the code exchange (platforms.md §5.0, §5.3, §8), called by finish_login.
#include "cmtool/platforms/oauth.hpp"

namespace cmtool::platforms::meta {

// Facebook: the short-lived user token becomes a long-lived one (fb_exchange_token), then the
// Page's token is taken from GET /me/accounts where id == the account's page_id (a Page token
// obtained so does not expire, §5.0 [C]). Instagram: the long-lived user token, once it is
// shown to reach the account's IG user id. Threads: the long-lived token (th_exchange_token,
// about 60 days). Fails (auth) when Meta refuses, (config) when the Page or IG user is not
// reachable with this login, naming what was found.
Result<oauth::TokenSet> finish_meta_login(const AdapterContext& ctx, oauth::TokenSet exchanged);

}  // namespace cmtool::platforms::meta
