// run_cmtool: fork/exec the built binary with pipes, poll both outputs, bounded in time.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "test_support.hpp"

namespace cmtool::test {

namespace {

void set_cloexec(int fd) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

}  // namespace

RunResult run_cmtool(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                     const std::vector<std::string>& env, const std::string& input, int timeout_s) {
    int out_pipe[2], err_pipe[2], in_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0 || ::pipe(in_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> env_strings = {
        std::string("PATH=") +
            (std::getenv("PATH") != nullptr ? std::getenv("PATH") : "/usr/bin:/bin"),
        "HOME=" + (std::filesystem::temp_directory_path() / "cmtool-test-home").string(),
        "XDG_CONFIG_HOME=" +
            (std::filesystem::temp_directory_path() / "cmtool-test-home" / ".config").string(),
        "TZ=UTC",
        "NO_COLOR=1",
        "LANG=C.UTF-8"};
    // An extra variable replaces a default of the same name (getenv would see the first one).
    for (const auto& e : env) {
        const std::string name = e.substr(0, e.find('=') + 1);
        std::erase_if(env_strings, [&name](const std::string& d) { return d.rfind(name, 0) == 0; });
    }
    env_strings.insert(env_strings.end(), env.begin(), env.end());
    std::vector<std::string> argv_strings = {CMTOOL_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv, envp;
    for (auto& a : argv_strings)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::dup2(in_pipe[0], STDIN_FILENO);
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        for (int fd :
             {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            ::close(fd);
        }
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
            ::_exit(127);
        }
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    set_cloexec(out_pipe[0]);
    set_cloexec(err_pipe[0]);
    if (!input.empty()) {
        // Small inputs only (fits the pipe buffer): tests feed a few lines.
        [[maybe_unused]] auto n = ::write(in_pipe[1], input.data(), input.size());
    }
    ::close(in_pipe[1]);
    RunResult r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0 && std::chrono::steady_clock::now() < deadline) {
        if (::poll(fds, 2, 200) <= 0) {
            continue;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) {
                continue;
            }
            const auto n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) {
            ::close(f.fd);
            ::kill(pid, SIGKILL);
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

}  // namespace cmtool::test
