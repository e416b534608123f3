#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace cmtool::cli {

bool is_terminal(Stream s) {
    return ::isatty(s == Stream::out ? STDOUT_FILENO : STDERR_FILENO) == 1;
}

bool use_color(Stream s) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') {
        return false;
    }
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::string_view(term) == "dumb") {
        return false;
    }
    return is_terminal(s);
}

std::string Style::wrap(std::string_view code, std::string_view s) const {
    if (!on) {
        return std::string(s);
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
}

void write_stdout(std::string_view data) {
    std::fwrite(data.data(), 1, data.size(), stdout);
    std::fflush(stdout);
}

std::string path_for_humans(const std::string& p) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path path(p);
    if (!path.is_absolute()) {
        return p;
    }
    const auto rel = path.lexically_relative(fs::current_path(ec));
    if (rel.empty() || ec) {
        return p;
    }
    const std::string r = rel.generic_string();
    return r.size() < p.size() ? r : p;
}

}  // namespace cmtool::cli
