#include "fake_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cmtool::test {
namespace {

// Waits for `pid` until `deadline`; returns true with `status` set once it has been reaped.
bool reap_until(pid_t pid, std::chrono::steady_clock::time_point deadline, int& status) {
    while (true) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

int exit_code(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

void kill_and_reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    reap_until(pid, std::chrono::steady_clock::now() + std::chrono::seconds(5), status);
}

// Reads the first line from `fd` within `deadline`; empty when EOF or timeout came first.
std::string read_first_line(int fd, std::chrono::steady_clock::time_point deadline) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return {};
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            return {};
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    return line.substr(0, line.find('\n'));
}

}  // namespace

FakeServerProcess::FakeServerProcess(pid_t pid, int port, int stdout_fd)
    : m_pid(pid), m_port(port), m_drain([stdout_fd] {
          char buf[4096];
          while (::read(stdout_fd, buf, sizeof buf) > 0) {
          }
          ::close(stdout_fd);
      }) {}

Result<FakeServerProcess> FakeServerProcess::start(const std::string& executable,
                                                   const std::vector<std::string>& args,
                                                   std::chrono::milliseconds startup) {
    std::vector<std::string> all{executable};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--port", "0"});
    std::vector<char*> argv;
    for (auto& a : all) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return fail(ErrorCode::io, std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return fail(ErrorCode::io, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // child: only async-signal-safe calls until exec
        ::dup2(fds[1], STDOUT_FILENO);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test run
        if (::getppid() != parent) {
            ::_exit(127);
        }
        sigset_t none;
        ::sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    const std::string line = read_first_line(fds[0], std::chrono::steady_clock::now() + startup);
    int port = 0;
    if (line.starts_with("PORT=")) {
        port = std::atoi(line.c_str() + 5);
    }
    if (port <= 0) {
        ::close(fds[0]);
        kill_and_reap(pid);
        return fail(ErrorCode::unavailable,
                    executable + " did not report a port (first line: \"" + line + "\")");
    }
    return FakeServerProcess(pid, port, fds[0]);
}

FakeServerProcess::FakeServerProcess(FakeServerProcess&& other) noexcept
    : m_pid(other.m_pid), m_port(other.m_port), m_drain(std::move(other.m_drain)) {
    other.m_pid = -1;
}

FakeServerProcess& FakeServerProcess::operator=(FakeServerProcess&& other) noexcept {
    if (this != &other) {
        stop();
        m_pid = other.m_pid;
        m_port = other.m_port;
        m_drain = std::move(other.m_drain);
        other.m_pid = -1;
    }
    return *this;
}

FakeServerProcess::~FakeServerProcess() {
    stop();
}

std::string FakeServerProcess::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

int FakeServerProcess::stop(std::chrono::milliseconds grace) {
    if (m_pid <= 0) {
        return -1;
    }
    int status = 0;
    ::kill(m_pid, SIGTERM);
    if (!reap_until(m_pid, std::chrono::steady_clock::now() + grace, status)) {
        ::kill(m_pid, SIGKILL);
        reap_until(m_pid, std::chrono::steady_clock::now() + std::chrono::seconds(5), status);
    }
    m_pid = -1;
    if (m_drain.joinable()) {
        m_drain.join();  // the pipe hits EOF once the child is gone
    }
    return exit_code(status);
}

}  // namespace cmtool::test
