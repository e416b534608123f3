#pragma once
// Shell completion: the command tree read from the CLI11 App (one model), and one script
// writer per shell. `cmtool completion SHELL` prints the script; completions/ holds the output.
#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cmtool::cli::completion {

// What a value (of an option or a positional argument) completes to.
enum class ValueKind {
    flag,        // an option that takes no value
    text,        // free text: nothing to offer
    files,       // file names
    dirs,        // folder names
    words,       // the fixed `words` (a --format's choices, help topics)
    accounts,    // dynamic, from the workspace: `cmtool __complete accounts`
    posts,       // ... post ids
    categories,  // ... categories
    campaigns,   // ... campaigns used by the posts
};

struct ValueSpec {
    ValueKind kind = ValueKind::text;
    std::vector<std::string> words;  // for ValueKind::words
};

struct OptionSpec {
    std::vector<std::string> names;  // "-C", "--workspace"
    std::string description;
    ValueSpec value;
};

struct PositionalSpec {
    std::string name;
    std::string description;
    ValueSpec value;
    bool repeatable = false;
};

struct CommandSpec {
    std::string name;  // "list"; "cmtool" for the root
    std::string path;  // "plan list"; "" for the root
    std::vector<std::string> aliases;
    std::string description;
    std::vector<OptionSpec> options;  // its own options; the root's are the global ones
    std::vector<PositionalSpec> positionals;
    std::vector<CommandSpec> subcommands;  // visible ones only, in registration order
};

// The visible command tree under `root` (hidden commands and options, those in the empty
// group, are left out), with what each value completes to. Never fails.
CommandSpec describe(const CLI::App& root);

// Every command of the tree, depth first, the root first.
std::vector<const CommandSpec*> flatten(const CommandSpec& root);

// The dynamic kinds' argument to `cmtool __complete` ("accounts"), or "" for the others.
std::string_view dynamic_name(ValueKind kind);

// The options offered in command `c`: its own, then the root's (global: they work after any
// command) whose names it does not reuse.
std::vector<OptionSpec> offered_options(const CommandSpec& c, const CommandSpec& root);

// What a value completes to, as the bash and zsh scripts read it: "flag", "text", "files",
// "dirs", "words WORD...", "dynamic KIND".
std::string value_spec(const ValueSpec& v);

// The lookup functions the bash and zsh scripts share (plain `case` tables): _cmtool_value,
// _cmtool_positional and _cmtool_subcommand.
std::string sh_lookup_functions(const CommandSpec& root);

// The whole completion script for bash, zsh and fish.
std::string bash_script(const CommandSpec& root);
std::string zsh_script(const CommandSpec& root);
std::string fish_script(const CommandSpec& root);

// Quotes `s` for a POSIX shell (bash, zsh): 'it'\''s'.
std::string shell_quote(std::string_view s);

}  // namespace cmtool::cli::completion
