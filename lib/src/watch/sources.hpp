#pragma once
// One factory per kind of watch source (make_watch_source in source.cpp dispatches).
#include <memory>
#include <string>

#include "cmtool/platforms/oauth.hpp"
#include "cmtool/watch/source.hpp"

namespace cmtool::watch {

// A source that reads with the account's OAuth 2 user token (X, Threads): prepare() takes it,
// renewed first when due; renew() after the network refused it.
class OAuthWatchSource : public WatchSource {
  public:
    explicit OAuthWatchSource(const platforms::AdapterContext& ctx) : m_ctx(ctx) {}

    Result<void> prepare() override {
        auto tok = platforms::oauth::access_token(m_ctx);
        if (!tok) {
            return fail(std::move(tok).error());
        }
        m_token = std::move(*tok);
        return {};
    }

    Result<void> renew() override {
        auto fresh = platforms::oauth::renew(m_ctx, m_token);
        if (!fresh) {
            return fail(std::move(fresh).error());
        }
        m_token = fresh->access_token;
        return {};
    }

  protected:
    platforms::AdapterContext m_ctx;
    std::string m_token;
};

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
