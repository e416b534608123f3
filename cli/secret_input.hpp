#pragma once
// Reading a secret from standard input, never from the command line (argv is visible to every
// user through `ps` and stays in shell history).
#include <string>

#include "cmtool/util/result.hpp"

namespace cmtool::cli {

enum class Prompt { when_terminal, never };
enum class Echo { off, on };

// One line from standard input, without its line ending and surrounding blanks. On a terminal
// `prompt` is printed on stderr first (unless Prompt::never) and, with Echo::off, the typing is
// not shown (termios), the terminal being restored whatever happens. From a pipe or a file, the
// first line. Fails (usage) when the line is empty, (interrupted) on Ctrl-C, (io) on a read
// error.
Result<std::string> read_secret(const std::string& prompt, Prompt when, Echo echo);

}  // namespace cmtool::cli
