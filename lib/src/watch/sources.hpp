#pragma once
// One factory per kind of watch source (make_watch_source in source.cpp dispatches).
#include <memory>
#include <string>

#include "cmtool/watch/source.hpp"

namespace cmtool::watch {

Result<std::unique_ptr<WatchSource>> make_mastodon_source(const calendar::WatchSourceConfig& config,
                                                          const std::string& key,
                                                          const std::string& terms,
                                                          const platforms::AdapterContext& ctx);
Result<std::unique_ptr<WatchSource>> make_bluesky_source(const calendar::WatchSourceConfig& config,
                                                         const std::string& key,
                                                         const std::string& terms,
                                                         const platforms::AdapterContext& ctx);
Result<std::unique_ptr<WatchSource>> make_x_source(const calendar::WatchSourceConfig& config,
                                                   const std::string& key, const std::string& terms,
                                                   const platforms::AdapterContext& ctx);
Result<std::unique_ptr<WatchSource>> make_threads_source(const calendar::WatchSourceConfig& config,
                                                         const std::string& key,
                                                         const std::string& terms,
                                                         const platforms::AdapterContext& ctx);
std::unique_ptr<WatchSource> make_feed_source(const calendar::WatchSourceConfig& config,
                                              const std::string& key);

}  // namespace cmtool::watch
