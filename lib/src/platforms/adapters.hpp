#pragma once
// One factory per network, called by make_adapter (adapter.cpp).
#include <memory>

#include "cmtool/platforms/adapter.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<Adapter>> make_mastodon_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_bluesky_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_telegram_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_discord_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_linkedin_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_facebook_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_instagram_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_threads_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_x_adapter(const AdapterContext& ctx);

}  // namespace cmtool::platforms
