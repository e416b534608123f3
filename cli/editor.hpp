#pragma once
// Writing a text in the user's editor ($VISUAL, else $EDITOR), the way `git commit` does.
#include <string>

#include "cmtool/util/result.hpp"

namespace cmtool::cli {

// Opens the editor on a temporary file whose lines below a `>8` marker (`about`, then help) are
// ignored, and returns what was written above it, trailing blank space removed. Fails (usage)
// when stdin is not a terminal or no editor is set, (invalid) when the text is left empty,
// (interrupted) on Ctrl-C, (io) when the editor cannot be run.
Result<std::string> text_from_editor(const std::string& about);

}  // namespace cmtool::cli
