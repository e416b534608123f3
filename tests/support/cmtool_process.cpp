#include "cmtool_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cmtool::test {

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

std::vector<std::string> cmtool_environment(const std::vector<std::string>& extra) {
    const char* path = std::getenv("PATH");
    const auto home = std::filesystem::temp_directory_path() / "cmtool-test-home";
    std::vector<std::string> env = {
        std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"),
        "HOME=" + home.string(),
        "XDG_CONFIG_HOME=" + (home / ".config").string(),
        "TZ=UTC",
        "NO_COLOR=1",
        "LANG=C.UTF-8"};
    for (const auto& e : extra) {
        const std::string name = e.substr(0, e.find('=') + 1);
        std::erase_if(env, [&name](const std::string& d) { return d.starts_with(name); });
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

CmtoolProcess::CmtoolProcess(const std::vector<std::string>& args,
                             const std::vector<std::string>& env,
                             const std::filesystem::path& log_dir,
                             const std::filesystem::path& input)
    : m_out(log_dir / "stdout.txt"), m_err(log_dir / "stderr.txt") {
    std::filesystem::create_directories(log_dir);
    std::vector<std::string> argv_strings = {CMTOOL_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings = cmtool_environment(env);
    std::vector<char*> argv, envp;
    for (auto& a : argv_strings) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    const std::string out = m_out.string();
    const std::string err = m_err.string();
    const std::string in = input.empty() ? std::string("/dev/null") : input.string();
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {  // only async-signal-safe calls until exec
        const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int null_fd = ::open(in.c_str(), O_RDONLY);
        if (out_fd < 0 || err_fd < 0 || null_fd < 0) {
            ::_exit(127);
        }
        ::dup2(null_fd, STDIN_FILENO);
        ::dup2(out_fd, STDOUT_FILENO);
        ::dup2(err_fd, STDERR_FILENO);
        sigset_t none;
        ::sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
}

CmtoolProcess::~CmtoolProcess() {
    if (!m_reaped && m_pid > 0) {
        kill_now();
    }
}

bool CmtoolProcess::running() {
    if (m_reaped || m_pid <= 0) {
        return false;
    }
    if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
        m_reaped = true;
    }
    return !m_reaped;
}

void CmtoolProcess::kill_now() {
    if (m_reaped || m_pid <= 0) {
        return;
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, &m_status, 0);
    m_reaped = true;
}

ProcessResult CmtoolProcess::wait(std::chrono::milliseconds timeout) {
    if (!wait_until([this] { return !running(); }, timeout)) {
        kill_now();
    }
    return ProcessResult{m_reaped ? exit_code_of(m_status) : -1, slurp(m_out), slurp(m_err)};
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace cmtool::test
