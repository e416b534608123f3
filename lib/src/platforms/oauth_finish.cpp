// What each network does with a freshly exchanged token before it is saved (oauth.hpp).
#include "cmtool/platforms/oauth.hpp"

namespace cmtool::platforms::oauth {

Result<TokenSet> finish_login(const AdapterContext& ctx, TokenSet exchanged) {
    switch (ctx.account.platform) {
        default:
            return exchanged;
    }
}

}  // namespace cmtool::platforms::oauth
