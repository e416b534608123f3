#include "runtime.hpp"

namespace cmtool::cli {

namespace {

class ShiftedClock final : public net::Clock {
  public:
    explicit ShiftedClock(std::chrono::sys_seconds now)
        : m_offset(now - std::chrono::system_clock::now()) {}
    net::SysTime now() const override { return std::chrono::system_clock::now() + m_offset; }

  private:
    std::chrono::system_clock::duration m_offset;
};

class Forward final : public net::Clock {
  public:
    explicit Forward(const net::Clock& c) : m_clock(c) {}
    net::SysTime now() const override { return m_clock.now(); }

  private:
    const net::Clock& m_clock;
};

}  // namespace

std::unique_ptr<net::Clock> Runtime::command_clock(const GlobalOptions& g,
                                                   std::chrono::sys_seconds now) const {
    if (g.now.empty()) {
        return std::make_unique<Forward>(clock);
    }
    return std::make_unique<ShiftedClock>(now);
}

Runtime::Runtime(calendar::WorkspaceConfig w, platforms::DefaultCredentialStore::Env env,
                 const std::atomic<bool>& stop_flag)
    : ws(std::move(w)), credentials(ws.root, std::move(env)), stop(stop_flag), sleeper(stop_flag) {}

Result<std::unique_ptr<Runtime>> Runtime::open(const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return fail(std::move(ws).error());
    }
    auto env = platforms::DefaultCredentialStore::process_env();
    calendar::apply_env_overrides(*ws, env);
    const auto& stop = install_stop_handlers();
    return std::unique_ptr<Runtime>(new Runtime(std::move(*ws), std::move(env), stop));
}

Result<std::unique_ptr<platforms::Adapter>> Runtime::adapter(const calendar::Account& account) {
    return platforms::make_adapter(
        platforms::AdapterContext{ws, account, http, credentials, clock, sleeper});
}

}  // namespace cmtool::cli
