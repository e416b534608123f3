// What each network does with a freshly exchanged token before it is saved (oauth.hpp).
#include "cmtool/platforms/oauth.hpp"

#include "platforms/meta_login.hpp"

namespace cmtool::platforms::oauth {

Result<TokenSet> finish_login(const AdapterContext& ctx, TokenSet exchanged) {
    switch (ctx.account.platform) {
        case Platform::facebook:
        case Platform::instagram:
        case Platform::threads:
            return meta::finish_meta_login(ctx, std::move(exchanged));
        default:
            return exchanged;
    }
}

}  // namespace cmtool::platforms::oauth
