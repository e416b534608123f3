#include "secret_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "cmtool/util/strings.hpp"

namespace cmtool::cli {

namespace {

// A secret longer than this is not a token someone pasted.
constexpr std::size_t k_max_length = 16384;

// Turns terminal echo off for its lifetime (line editing stays on).
class EchoOff {
  public:
    EchoOff() {
        if (::tcgetattr(STDIN_FILENO, &m_saved) != 0) {
            return;
        }
        termios quiet = m_saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (m_active) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
            std::fputs("\n", stderr);  // the user's Enter was not echoed
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

  private:
    termios m_saved{};
    bool m_active = false;
};

// Reads up to the first newline or the end of input, a byte at a time so nothing after the
// line is consumed. Without SA_RESTART, Ctrl-C interrupts the read (EINTR).
Result<std::string> read_line() {
    std::string line;
    while (line.size() <= k_max_length) {
        char c = 0;
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n == 0 || (n == 1 && c == '\n')) {
            return line;
        }
        if (n == 1) {
            line.push_back(c);
        } else if (errno == EINTR) {
            return fail(ErrorCode::interrupted, "interrupted");
        } else {
            return fail(ErrorCode::io,
                        fmt::format("cannot read standard input: {}", std::strerror(errno)));
        }
    }
    return fail(ErrorCode::usage, "the input is too long for a token or a password");
}

}  // namespace

Result<std::string> read_secret(const std::string& prompt, Prompt when, Echo echo) {
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    if (terminal && when == Prompt::when_terminal) {
        std::fputs(prompt.c_str(), stderr);
        std::fflush(stderr);
    }
    Result<std::string> line = std::string();
    if (terminal && echo == Echo::off) {
        const EchoOff guard;
        line = read_line();
    } else {
        line = read_line();
    }
    if (!line) {
        return line;
    }
    std::string secret(util::trim(*line));
    if (secret.empty()) {
        return fail(ErrorCode::usage, "nothing was read from standard input",
                    terminal ? "paste it and press Enter"
                             : "pipe it in, e.g. `cmtool auth login ACCOUNT < token.txt`");
    }
    return secret;
}

}  // namespace cmtool::cli
