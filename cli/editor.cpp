#include "editor.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::cli {

namespace {

constexpr const char* k_scissors = "# ------------------------ >8 ------------------------";

std::string shell_quote(const std::string& s) {
    return "'" + util::replace_all(s, "'", "'\\''") + "'";
}

// A new empty file in the temp folder, named so that editors pick plain-text mode.
Result<std::string> make_temp_file() {
    std::string name = (std::filesystem::temp_directory_path() / "cmtool-post-XXXXXX.txt").string();
    const int fd = ::mkstemps(name.data(), 4);
    if (fd < 0) {
        return fail(ErrorCode::io, "cannot create a temporary file for the editor");
    }
    ::close(fd);
    return name;
}

std::string strip_right(std::string s) {
    while (!s.empty() &&
           (s.back() == '\n' || s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) {
        s.pop_back();
    }
    return s;
}

Result<void> run_editor(const std::string& editor, const std::string& file) {
    // std::system ignores SIGINT in cmtool while the editor runs, as an editor expects.
    const int status = std::system(fmt::format("{} {}", editor, shell_quote(file)).c_str());
    if (status == -1) {
        return fail(ErrorCode::io, fmt::format("cannot run the editor `{}`", editor));
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
        return fail(ErrorCode::interrupted, "interrupted");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return fail(ErrorCode::invalid,
                    fmt::format("the editor `{}` failed (status {}); nothing written", editor,
                                WIFEXITED(status) ? WEXITSTATUS(status) : status),
                    "check $VISUAL / $EDITOR, or pass --text or --text-file");
    }
    return {};
}

}  // namespace

Result<std::string> text_from_editor(const std::string& about) {
    if (::isatty(STDIN_FILENO) != 1) {
        return fail(ErrorCode::usage, "no text given, and no terminal to open an editor in",
                    "pass --text TEXT, --text-file FILE, or --text-file - to read standard input");
    }
    std::string editor;
    for (const char* var : {"VISUAL", "EDITOR"}) {
        if (const char* v = std::getenv(var); v != nullptr && *v != '\0') {
            editor = v;
            break;
        }
    }
    if (editor.empty()) {
        return fail(ErrorCode::usage, "no text given, and neither $VISUAL nor $EDITOR is set",
                    "pass --text or --text-file, or set an editor: export EDITOR=nano");
    }
    auto file = make_temp_file();
    if (!file) {
        return fail(std::move(file).error());
    }
    const std::string help = fmt::format(
        "\n{}\n# {}\n# Write the post's text above the line with the scissors; everything from\n"
        "# there down is ignored. Leave it empty to cancel.\n",
        k_scissors, about);
    auto written = util::write_file_atomic(*file, help);
    auto ran = written ? run_editor(editor, *file) : Result<void>(fail(written.error()));
    auto content = ran ? util::read_file(*file) : Result<std::string>(fail(ran.error()));
    ::unlink(file->c_str());
    if (!content) {
        return fail(std::move(content).error());
    }
    const auto cut = content->find(k_scissors);
    std::string text = strip_right(content->substr(0, cut));
    if (util::trim(text).empty()) {
        return fail(ErrorCode::invalid, "empty text: nothing written");
    }
    return text;
}

}  // namespace cmtool::cli
