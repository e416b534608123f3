// cmtool_measure [--repeat N] [--stdout FILE] [--stderr FILE] -- CMD [ARGS...]
// Runs CMD (fork, exec, wait4) and prints one JSON object: wall, user, system and CPU seconds,
// peak resident memory in MB and the exit status. With --repeat N it runs CMD N times and adds
// the median, p95, min and max wall time in milliseconds (for startup time). No /usr/bin/time.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view k_usage =
    "usage: cmtool_measure [--repeat N] [--stdout FILE] [--stderr FILE] -- CMD [ARGS...]\n"
    "CMD's stdout goes to /dev/null unless --stdout names a file; its stderr is inherited.\n";

struct Options {
    unsigned repeat = 0;  // 0: a single run, reported without the repeat fields
    std::string out = "/dev/null";
    std::string err;  // empty: inherited
    std::vector<char*> argv;
};

struct Run {
    double wall_s = 0;
    double user_s = 0;
    double sys_s = 0;
    double max_rss_mb = 0;
    int exit = 0;  // exit code, or 128 + signal number
};

Options parse_args(int argc, char** argv) {
    Options o;
    int i = 1;
    for (; i < argc && std::string_view(argv[i]) != "--"; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help") {
            fmt::print("{}", k_usage);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            throw std::invalid_argument(fmt::format("{} needs a value", a));
        }
        const std::string_view v = argv[++i];
        if (a == "--repeat") {
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), o.repeat);
            if (ec != std::errc() || end != v.data() + v.size() || o.repeat == 0) {
                throw std::invalid_argument(fmt::format("--repeat {}: not a positive number", v));
            }
        } else if (a == "--stdout") {
            o.out = v;
        } else if (a == "--stderr") {
            o.err = v;
        } else {
            throw std::invalid_argument(fmt::format("unknown option {}", a));
        }
    }
    for (++i; i < argc; ++i) {
        o.argv.push_back(argv[i]);
    }
    if (o.argv.empty()) {
        throw std::invalid_argument("no command after --");
    }
    o.argv.push_back(nullptr);
    return o;
}

double seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

// Only async-signal-safe calls between fork and exec.
[[noreturn]] void exec_child(const Options& o, const std::string& exec_error) {
    const int out = open(o.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0 || dup2(out, STDOUT_FILENO) < 0) {
        _exit(126);
    }
    if (!o.err.empty()) {
        const int err = open(o.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (err < 0 || dup2(err, STDERR_FILENO) < 0) {
            _exit(126);
        }
    }
    execvp(o.argv[0], o.argv.data());
    [[maybe_unused]] const auto n = write(STDERR_FILENO, exec_error.data(), exec_error.size());
    _exit(127);
}

Run run_once(const Options& o) {
    const std::string exec_error =
        fmt::format("cmtool_measure: error: cannot execute {}\n", o.argv[0]);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) {
        throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
    }
    if (pid == 0) {
        exec_child(o, exec_error);
    }
    int status = 0;
    rusage ru{};
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            throw std::runtime_error(fmt::format("wait4: {}", std::strerror(errno)));
        }
    }
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    Run r;
    r.wall_s = wall.count();
    r.user_s = seconds(ru.ru_utime);
    r.sys_s = seconds(ru.ru_stime);
    r.max_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

// Rounded to `digits` decimals; dividing by an exact power of ten prints as the short decimal.
double round_to(double v, int digits) {
    const double scale = std::pow(10.0, digits);
    return std::round(v * scale) / scale;
}

nlohmann::json to_json(const Run& r) {
    return {{"wall_s", round_to(r.wall_s, 6)},         {"user_s", round_to(r.user_s, 6)},
            {"sys_s", round_to(r.sys_s, 6)},           {"cpu_s", round_to(r.user_s + r.sys_s, 6)},
            {"max_rss_mb", round_to(r.max_rss_mb, 1)}, {"exit", r.exit}};
}

// The run with the median wall time (its CPU and memory figures stay consistent), plus the
// spread of wall times; peak memory is the largest of all runs, exit the first failure.
nlohmann::json repeated(const Options& o) {
    std::vector<Run> runs;
    for (unsigned i = 0; i < o.repeat; ++i) {
        runs.push_back(run_once(o));
    }
    const auto failed = std::find_if(runs.begin(), runs.end(), [](const Run& r) { return r.exit; });
    const int exit = failed == runs.end() ? 0 : failed->exit;
    double rss = 0;
    for (const auto& r : runs) {
        rss = std::max(rss, r.max_rss_mb);
    }
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.wall_s < b.wall_s; });
    const auto at = [&](double q) {
        const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(runs.size())));
        return runs[std::clamp<std::size_t>(k, 1, runs.size()) - 1].wall_s * 1e3;
    };
    Run median = runs[(runs.size() - 1) / 2];
    median.max_rss_mb = rss;
    median.exit = exit;
    nlohmann::json j = to_json(median);
    j["runs"] = runs.size();
    j["median_ms"] = round_to(at(0.5), 3);
    j["p95_ms"] = round_to(at(0.95), 3);
    j["min_ms"] = round_to(runs.front().wall_s * 1e3, 3);
    j["max_ms"] = round_to(runs.back().wall_s * 1e3, 3);
    return j;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse_args(argc, argv);
        const nlohmann::json j = o.repeat == 0 ? to_json(run_once(o)) : repeated(o);
        fmt::print("{}\n", j.dump());
        return 0;
    } catch (const std::invalid_argument& e) {
        fmt::print(stderr, "cmtool_measure: error: {}\n{}", e.what(), k_usage);
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "cmtool_measure: error: {}\n", e.what());
        return 1;
    }
}
