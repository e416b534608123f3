#include "runtime.hpp"

namespace cmtool::cli {

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
