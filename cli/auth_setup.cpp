#include "auth_setup.hpp"

#include <fmt/format.h>

#include "cmtool/util/strings.hpp"

namespace cmtool::cli {

AuthSetup::AuthSetup(calendar::WorkspaceConfig ws, platforms::DefaultCredentialStore::Env env)
    : m_ws(std::move(ws)),
      m_env(std::move(env)),
      m_credentials(m_ws.root, m_env),
      m_file_credentials(m_ws.root, {}, m_credentials.file()),
      m_stop(install_stop_handlers()),
      m_sleeper(m_stop) {}

std::unique_ptr<AuthSetup> AuthSetup::make(calendar::WorkspaceConfig ws) {
    auto env = platforms::DefaultCredentialStore::process_env();
    calendar::apply_env_overrides(ws, env);
    return std::unique_ptr<AuthSetup>(new AuthSetup(std::move(ws), std::move(env)));
}

platforms::AuthContext AuthSetup::context() {
    return platforms::AuthContext{
        m_ws,   m_env,   m_credentials, m_file_credentials, m_credentials.file(),
        m_http, m_clock, m_sleeper};
}

}  // namespace cmtool::cli
