#pragma once
// Terminal manners: colour only on a terminal without NO_COLOR; stdout data, stderr the rest.
#include <cstdio>
#include <string>
#include <string_view>

namespace cmtool::cli {

enum class Stream { out, err };
// True when the stream is a terminal, NO_COLOR is unset and TERM is not "dumb".
bool use_color(Stream s);
bool is_terminal(Stream s);

// ANSI styling that turns into nothing when colour is off.
struct Style {
    bool on = false;
    std::string red(std::string_view s) const { return wrap("31", s); }
    std::string green(std::string_view s) const { return wrap("32", s); }
    std::string yellow(std::string_view s) const { return wrap("33", s); }
    std::string blue(std::string_view s) const { return wrap("34", s); }
    std::string dim(std::string_view s) const { return wrap("2", s); }
    std::string bold(std::string_view s) const { return wrap("1", s); }

  private:
    std::string wrap(std::string_view code, std::string_view s) const;
};

// Writes all of `data` to stdout (binary safe), flushing.
void write_stdout(std::string_view data);

// The path relative to the current folder when that is shorter (what compilers print).
std::string path_for_humans(const std::string& absolute_or_relative);

}  // namespace cmtool::cli
