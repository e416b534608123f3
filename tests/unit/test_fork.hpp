#pragma once
// Forked children for tests of cross-process behaviour (locks, SQLite durability). The child
// runs a function and leaves with _exit, never returning into doctest; the parent's wait is
// bounded and kills a child that overstays.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace cmtool::test {

struct ChildResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;      // the signal that ended it, or 0
    std::string out;     // what the child wrote to its `out` descriptor
};

class Child {
  public:
    // Forks; the child runs `fn(out_fd)` and exits with its return value (99 on an exception).
    explicit Child(const std::function<int(int out_fd)>& fn) {
        int fds[2] = {-1, -1};
        if (::pipe(fds) != 0) {
            return;
        }
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(fds[0]);
            int code = 99;
            try {
                code = fn(fds[1]);
            } catch (...) {
            }
            ::_exit(code);
        }
        ::close(fds[1]);
        m_out = fds[0];
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        if (m_out >= 0) {
            ::close(m_out);
        }
    }

    // One line the child wrote (without the newline), waiting up to `timeout` for it.
    std::string read_line(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        ::fcntl(m_out, F_SETFL, O_NONBLOCK);
        while (std::chrono::steady_clock::now() < deadline) {
            char c = 0;
            const auto n = ::read(m_out, &c, 1);
            if (n == 1 && c == '\n') {
                return line;
            }
            if (n == 1) {
                line += c;
            } else if (n == 0) {
                return line;  // the child closed it
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
        return line;
    }

    // Waits (bounded; the child is killed after `timeout`) and collects the rest of its output.
    ChildResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        ChildResult r;
        if (m_pid <= 0) {
            return r;  // fork failed
        }
        int status = 0;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        m_pid = -1;
        ::fcntl(m_out, F_SETFL, 0);
        char buf[512];
        ssize_t n = 0;
        while ((n = ::read(m_out, buf, sizeof buf)) > 0) {
            r.out.append(buf, static_cast<std::size_t>(n));
        }
        if (WIFEXITED(status)) {
            r.exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            r.signal = WTERMSIG(status);
        }
        return r;
    }

    pid_t pid() const { return m_pid; }

  private:
    pid_t m_pid = -1;
    int m_out = -1;
};

// Writes `text` to a child's output descriptor.
inline void child_write(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace cmtool::test
