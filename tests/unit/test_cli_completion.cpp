// Shell completion: completions/ is what `cmtool completion SHELL` prints, the scripts parse,
// the bash one completes commands, flags and workspace names, and `__complete` never complains.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "test_support.hpp"

using namespace cmtool;
namespace fs = std::filesystem;

namespace {

const fs::path k_repo = fs::path(CMTOOL_EXAMPLES).parent_path();

std::string slurp(const fs::path& p) {
    auto r = util::read_file(p);
    REQUIRE_MESSAGE(r.has_value(), p.string());
    return *r;
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char ch : s) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) {
            return true;
        }
    }
    return false;
}

// "" when equal, else the first line that differs (the files are too long to print whole).
std::string first_difference(const std::string& committed, const std::string& printed) {
    std::istringstream a(committed), b(printed);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, la));
        const bool more_b = static_cast<bool>(std::getline(b, lb));
        if (!more_a && !more_b) {
            return committed == printed ? "" : "final newline";
        }
        if (more_a != more_b || la != lb) {
            return "line " + std::to_string(line) + ": committed `" + (more_a ? la : "(end)") +
                   "`, printed `" + (more_b ? lb : "(end)") + "`";
        }
    }
}

struct ShellResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs `command` with /bin/sh in `cwd`, the built cmtool first on PATH.
ShellResult run_shell(const std::string& command, const fs::path& cwd) {
    const std::string line = "cd " + quoted(cwd.string()) +
                             " && PATH=" + quoted(fs::path(CMTOOL_BINARY).parent_path().string()) +
                             ":\"$PATH\" " + command + " 2>&1";
    ShellResult r;
    FILE* pipe = ::popen(line.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
        r.out.append(buf, n);
    }
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// What the bash script offers for each command line (one per line, words separated by
// spaces; the last word is the one being completed), one output line per command line.
std::string bash_complete(const std::vector<std::string>& lines, const fs::path& cwd) {
    test::TempDir dir("completion-bash");
    std::string script = "source " + quoted((k_repo / "completions" / "cmtool.bash").string()) +
                         "\n"
                         "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));\n"
                         "      COMPREPLY=(); _cmtool; echo \"${COMPREPLY[*]}\"; }\n";
    for (const auto& l : lines) {
        script += "t " + l + "\n";
    }
    dir.write("run.sh", script);
    const auto r = run_shell("bash " + quoted((dir.path() / "run.sh").string()), cwd);
    CHECK(r.exit_code == 0);
    return r.out;
}

const char* const k_files[][2] = {
    {"bash", "cmtool.bash"}, {"zsh", "_cmtool"}, {"fish", "cmtool.fish"}};

}  // namespace

TEST_CASE("cli completion: completions/ holds what `cmtool completion SHELL` prints") {
    for (const auto& [shell_name, file] : k_files) {
        const std::string shell = shell_name;
        CAPTURE(shell);
        const auto r = test::run_cmtool({"completion", shell});
        REQUIRE(r.exit_code == 0);
        CHECK(r.err.empty());
        INFO(
            "the commands changed: regenerate and commit completions/ with "
            "`scripts/gen-completions.sh build/cli/cmtool` (or: for s in bash zsh fish; do "
            "build/cli/cmtool completion $s > ...; done)");
        const auto diff = first_difference(slurp(k_repo / "completions" / file), r.out);
        CHECK_MESSAGE(diff.empty(), diff);
    }
    const auto bad = test::run_cmtool({"completion", "tcsh"});
    CHECK(bad.exit_code == 2);
}

TEST_CASE("cli completion: the scripts parse (bash -n; zsh -n and fish -n when installed)") {
    for (const auto& [shell_name, file] : k_files) {
        const std::string shell = shell_name;
        CAPTURE(shell);
        if (!on_path(shell)) {
            MESSAGE(shell << " is not installed: its syntax check is skipped");
            continue;
        }
        const auto r = run_shell(
            std::string(shell) + " -n " + quoted((k_repo / "completions" / file).string()), k_repo);
        CHECK_MESSAGE(r.exit_code == 0, r.out);
    }
}

TEST_CASE("cli completion: bash completes commands, flags and the workspace's names") {
    const std::string examples = CMTOOL_EXAMPLES;
    const auto got = bash_complete(
        {"cmtool pl", "cmtool 'plan' ''", "cmtool plan list --chan",
         "cmtool plan list --channel ''", "cmtool agenda --channel b",
         "cmtool plan list --channel = m", "cmtool publish --format ''",
         "cmtool plan new --category ''", "cmtool publish --post bf-t",
         "cmtool -v plan validate --strict -j 2 --format g", "cmtool plan new --id ''"},
        examples);
    std::istringstream lines(got);
    std::string line;
    std::vector<std::string> out;
    while (std::getline(lines, line)) {
        out.push_back(line);
    }
    REQUIRE_MESSAGE(out.size() == 11, got);
    CHECK(out[0] == "plan");
    CHECK(out[1].find("validate list agenda export import new diff stats") == 0);
    CHECK(out[2] == "--channel");
    CHECK(out[3] == "masto bsky linkedin x insta fb threads tg discord");
    CHECK(out[4] == "bsky");
    CHECK(out[5] == "masto");  // bash splits --channel=m at '='
    CHECK(out[6] == "text json");
    CHECK(out[7] == "inspiration behind-the-scenes promo");
    CHECK(out[8] == "bf-teaser");
    CHECK(out[9] == "github");
    CHECK(out[10].empty());  // plan new --id names a new post

    // Outside a workspace: no names and no error; -C points at one.
    test::TempDir elsewhere("completion-elsewhere");
    const auto outside = bash_complete({"cmtool plan list --channel ''",
                                        "cmtool -C " + quoted(examples) + " plan list --channel t"},
                                       elsewhere.path());
    CHECK(outside == "\nthreads tg\n");
}

TEST_CASE("cli completion: `cmtool __complete` prints the workspace's names, silently") {
    const auto posts = test::run_cmtool({"__complete", "posts"}, CMTOOL_EXAMPLES);
    CHECK(posts.exit_code == 0);
    CHECK(posts.err.empty());
    CHECK(posts.out.find("bf-teaser\n") != std::string::npos);
    CHECK(posts.out.find("noel-lancement\n") != std::string::npos);
    const auto accounts = test::run_cmtool({"-C", CMTOOL_EXAMPLES, "__complete", "accounts"});
    CHECK(accounts.out == "masto\nbsky\nlinkedin\nx\ninsta\nfb\nthreads\ntg\ndiscord\n");
    const auto campaigns = test::run_cmtool({"__complete", "campaigns"}, CMTOOL_EXAMPLES);
    CHECK(campaigns.out == "black-friday-2026\nnoel-2026\n");

    test::TempDir dir("completion-values");
    for (const char* kind : {"accounts", "posts", "categories", "campaigns"}) {
        CAPTURE(kind);
        const auto none = test::run_cmtool({"__complete", kind}, dir.path());
        CHECK(none.exit_code == 0);
        CHECK(none.out.empty());
        CHECK(none.err.empty());
    }
    dir.write("broken/cmtool.yaml", "accounts: [unclosed\n");
    const auto broken = test::run_cmtool({"__complete", "posts"}, dir.path() / "broken");
    CHECK(broken.exit_code == 0);
    CHECK(broken.out.empty());
    CHECK(broken.err.empty());
}

TEST_CASE("cli completion: `completion` and `__complete` stay out of help and the man page") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"--help-all"}, {"help"}, {"help", "--man"}}) {
        const auto r = test::run_cmtool(args);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("completion") == std::string::npos);
        CHECK(r.out.find("__complete") == std::string::npos);
    }
}
