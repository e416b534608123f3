// `cmtool completion bash|zsh|fish` (hidden): prints the shell's completion script, written from
// the command tree itself, so it cannot drift from the flags; completions/ holds its output.
#include <memory>

#include "app.hpp"
#include "completion.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

std::string script_for(const std::string& shell, const CLI::App& root) {
    const auto tree = completion::describe(root);
    if (shell == "zsh") {
        return completion::zsh_script(tree);
    }
    if (shell == "fish") {
        return completion::fish_script(tree);
    }
    return completion::bash_script(tree);
}

}  // namespace

void register_completion(CLI::App& app, Context& ctx) {
    auto shell = std::make_shared<std::string>();
    // The empty group hides it from --help, `cmtool help` and the man page.
    auto* cmd = app.add_subcommand("completion", "Print the shell completion script")->group("");
    cmd->add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    cmd->footer(
        "Examples:\n"
        "  source <(cmtool completion bash)\n"
        "  cmtool completion zsh > ~/.zfunc/_cmtool\n"
        "  cmtool completion fish > ~/.config/fish/completions/cmtool.fish");
    const CLI::App* root = &app;
    cmd->callback([shell, root, &ctx] {
        ctx.action = [shell, root] {
            write_stdout(script_for(*shell, *root));
            return k_exit_ok;
        };
    });
    register_complete_values(app, ctx);
}

}  // namespace cmtool::cli
