#pragma once
// bench_publish's pieces (bench/README.md, "bench_publish"): generated workspaces, a no-op
// adapter and sleeper, and one timed run of the publish engine.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cmtool/calendar/load.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/publish/engine.hpp"

namespace cmtool::bench {

enum class PostKind {
    text,   // one status, one POST
    image,  // an image the instance processes asynchronously: POST media, GET polls, POST status
};

struct BenchWorkspace {
    calendar::WorkspaceConfig ws;
    std::vector<calendar::Post> posts;
};

// Writes DIR/cmtool.yaml (one Mastodon account `masto` whose `api` is `api`) and
// DIR/calendar/posts.yaml with `count` posts of `kind` due one second apart before `now`, then
// loads them. Image posts use a copy of `image` named slow-*.jpg, which fake_mastodon answers
// with 202 and then polls. Throws when the workspace does not load cleanly.
BenchWorkspace make_workspace(const std::filesystem::path& dir, const std::string& api,
                              std::size_t count, PostKind kind, std::chrono::sys_seconds now,
                              const std::filesystem::path& image);

// Never waits: the polls' and rate limits' back-off is policy, not what is measured.
class NoSleep final : public net::Sleeper {
  public:
    Result<void> sleep_for(std::chrono::milliseconds) override { return {}; }
};

// Accepts every part at once, as if the platform answered in zero time.
class NoopAdapter final : public platforms::Adapter {
  public:
    Platform platform() const override { return Platform::mastodon; }
    platforms::Capabilities capabilities() const override;
    nlohmann::json preview(const platforms::PublishRequest& request) const override;
    Result<platforms::AccountInfo> verify() override;
    platforms::PublishResult publish(const platforms::PublishRequest& request) override;
    Result<platforms::LookupResult> lookup(const platforms::PublishRequest& request,
                                           std::chrono::sys_seconds intent_at) override;

  private:
    std::size_t m_next = 1;
};

struct RunFigures {
    std::size_t deliveries = 0;  // in the report
    std::size_t sent = 0;        // outcome sent in this run
    double wall_s = 0;
};

// Runs publish::run_publish over `bw` with a fresh ledger in `state_dir` (created; reused when
// it exists) and adapters from `adapters`, timing the whole call. Throws when it fails.
RunFigures timed_publish(const BenchWorkspace& bw, const std::filesystem::path& state_dir,
                         std::chrono::sys_seconds now, const publish::AdapterFactory& adapters);

}  // namespace cmtool::bench
