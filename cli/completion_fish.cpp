// The fish completion script: `complete` lines conditioned on the command being typed, which
// __cmtool_path finds by walking the command line with the same tables as bash and zsh.
#include <fmt/format.h>

#include <algorithm>

#include "completion.hpp"

namespace cmtool::cli::completion {

namespace {

// fish's single quotes: only \' and \\ are escapes inside them.
std::string fish_quote(std::string_view s) {
    std::string out = "'";
    for (const char ch : s) {
        if (ch == '\'' || ch == '\\') {
            out += '\\';
        }
        out += ch;
    }
    return out + "'";
}

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

// The arguments of `complete` for a value: what it offers and whether files may follow.
std::string value_args(const ValueSpec& v) {
    switch (v.kind) {
        case ValueKind::flag:
            return "";
        case ValueKind::files:
            return " -r -F";
        case ValueKind::dirs:
            return " -x -a '(__fish_complete_directories)'";
        case ValueKind::text:
            return " -x";
        case ValueKind::words: {
            std::string words;
            for (const auto& w : v.words) {
                words += (words.empty() ? "" : " ") + w;
            }
            return " -x -a " + fish_quote(words);
        }
        default:
            return fmt::format(" -x -a '(__cmtool_values {})'", dynamic_name(v.kind));
    }
}

// The same for a positional argument (no option name, so no -r / -x).
std::string positional_args(const ValueSpec& v) {
    switch (v.kind) {
        case ValueKind::flag:
        case ValueKind::text:
            return "";
        case ValueKind::files:
            return " -F";
        default: {
            const std::string args = value_args(v);
            return args.substr(args.find(" -a "));
        }
    }
}

std::string option_line(const std::string& condition, const OptionSpec& o) {
    std::string line = "complete -c cmtool" + condition;
    for (const auto& n : o.names) {
        line += n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1);
    }
    return line + value_args(o.value) + " -d " + fish_quote(first_line(o.description)) + "\n";
}

// The `switch` tables __cmtool_path uses: options taking a value, subcommand names.
std::string fish_tables(const CommandSpec& root) {
    std::string values, subs;
    for (const CommandSpec* c : flatten(root)) {
        for (const auto& o : c->options) {
            if (o.value.kind == ValueKind::flag) {
                continue;
            }
            for (const auto& n : o.names) {
                values += " " + fish_quote(c->path + "|" + n);
            }
        }
        for (const auto& s : c->subcommands) {
            subs += "        case " + fish_quote(c->path + "|" + s.name);
            for (const auto& a : s.aliases) {
                subs += " " + fish_quote(c->path + "|" + a);
            }
            subs += "\n            echo " + fish_quote(s.name) + "\n";
        }
    }
    return "# Whether option $argv[2] of command $argv[1] ('' is cmtool, 'plan list') takes a "
           "value.\n"
           "function __cmtool_takes_value\n    contains -- \"$argv[1]|$argv[2]\"" +
           values +
           "\nend\n\n"
           "# The name of subcommand (or alias) $argv[2] of command $argv[1], or nothing.\n"
           "function __cmtool_subcommand\n    switch \"$argv[1]|$argv[2]\"\n" +
           subs + "    end\nend\n\n";
}

constexpr std::string_view k_fish_functions =
    R"fish(# The command typed so far ('', 'plan', 'plan list'); the global -C DIR in $__cmtool_ws.
function __cmtool_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cpath ''
    set -g __cmtool_ws
    set -l skip ''
    for tok in $tokens
        if test -n "$skip"
            test "$skip" = ws; and set -g __cmtool_ws -C $tok
            set skip ''
            continue
        end
        switch $tok
            case '--workspace=*'
                set -g __cmtool_ws -C (string replace -- '--workspace=' '' $tok)
            case '--*=*'
            case '-?*'
                if __cmtool_takes_value "$cpath" $tok; or __cmtool_takes_value '' $tok
                    set skip value
                    contains -- $tok -C --workspace; and set skip ws
                end
            case '*'
                set -l sub (__cmtool_subcommand "$cpath" $tok)
                test -n "$sub"; and set cpath (string trim -- "$cpath $sub")
        end
    end
    echo $cpath
end

# True when the command being typed is exactly $argv[1].
function __cmtool_at
    set -l cpath (__cmtool_path)
    test "$cpath" = "$argv[1]"
end

# Names from the workspace (-C or the current folder); silent when there is none.
function __cmtool_values
    __cmtool_path >/dev/null
    set -l cmd (commandline -opc)[1]
    set cmd (string replace -r '^~' $HOME -- $cmd)
    $cmd $__cmtool_ws __complete $argv[1] 2>/dev/null
end

complete -c cmtool -f
)fish";

}  // namespace

std::string fish_script(const CommandSpec& root) {
    std::string out =
        "# fish completion for cmtool. Generated by `cmtool completion fish` from the command\n"
        "# tree: do not edit; run scripts/gen-completions.sh after changing a command or flag.\n"
        "# By hand: copy it to ~/.config/fish/completions/cmtool.fish.\n\n" +
        fish_tables(root) + std::string(k_fish_functions) + "\n# Global options.\n";
    for (const auto& o : root.options) {
        out += option_line("", o);
    }
    const auto is_global = [&root](const OptionSpec& o) {
        return std::any_of(root.options.begin(), root.options.end(),
                           [&o](const OptionSpec& g) { return g.names == o.names; });
    };
    for (const CommandSpec* c : flatten(root)) {
        const std::string at = " -n " + fish_quote("__cmtool_at " + fish_quote(c->path));
        out += fmt::format("\n# {}\n", c->path.empty() ? "cmtool" : "cmtool " + c->path);
        for (const auto& s : c->subcommands) {
            std::vector<std::string> names{s.name};
            names.insert(names.end(), s.aliases.begin(), s.aliases.end());
            for (const auto& n : names) {
                out += "complete -c cmtool" + at + " -a " + fish_quote(n) + " -d " +
                       fish_quote(first_line(s.description)) + "\n";
            }
        }
        for (const auto& o : c->options) {
            if (c != &root && !is_global(o)) {
                out += option_line(at, o);
            }
        }
        for (const auto& p : c->positionals) {
            if (const auto args = positional_args(p.value); !args.empty()) {
                out += "complete -c cmtool" + at + args + " -d " +
                       fish_quote(first_line(p.description)) + "\n";
            }
        }
    }
    return out;
}

}  // namespace cmtool::cli::completion
