// The bash completion script, and the `case` tables it shares with the zsh one.
#include <fmt/format.h>

#include "completion.hpp"

namespace cmtool::cli::completion {

namespace {

// 'plan list|-o'|'plan list|--output': a `case` pattern matching "$1|$2".
std::string patterns(const std::string& path, const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : "|") + shell_quote(path + "|" + n);
    }
    return out;
}

std::string words_of(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        out += (out.empty() ? "" : " ") + w;
    }
    return out;
}

// The bash-only tables: each command's subcommands (aliases too) and options, as word lists.
std::string bash_lists(const CommandSpec& root) {
    std::string subs, opts;
    for (const CommandSpec* c : flatten(root)) {
        std::vector<std::string> names;
        for (const auto& s : c->subcommands) {
            names.push_back(s.name);
            names.insert(names.end(), s.aliases.begin(), s.aliases.end());
        }
        if (!names.empty()) {
            subs += fmt::format("        {}) _r={} ;;\n", shell_quote(c->path),
                                shell_quote(words_of(names)));
        }
        names.clear();
        for (const auto& o : offered_options(*c, root)) {
            names.insert(names.end(), o.names.begin(), o.names.end());
        }
        opts += fmt::format("        {}) _r={} ;;\n", shell_quote(c->path),
                            shell_quote(words_of(names)));
    }
    return "# The subcommands of command $1, aliases included, in _r.\n"
           "_cmtool_commands() {\n    case \"$1\" in\n" +
           subs +
           "        *) _r='' ;;\n    esac\n}\n\n"
           "# The options of command $1, the global ones included, in _r.\n"
           "_cmtool_options() {\n    case \"$1\" in\n" +
           opts + "        *) _r='' ;;\n    esac\n}\n\n";
}

// The driver: finds the command and the word being completed, then offers what fits.
constexpr std::string_view k_bash_driver =
    R"sh(# Adds the candidates for a value described by $1 (see _cmtool_value) matching $2.
_cmtool_add_values() {
    local kind=${1%% *} arg=${1#* } v
    case $kind in
        files | dirs)
            compopt -o filenames 2>/dev/null
            if [[ $kind == dirs ]]; then arg=-d; else arg=-f; fi
            mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "$arg" -- "$2") ;;
        words)
            mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "$arg" -- "$2") ;;
        dynamic)
            # Names from the workspace (-C or the current folder); silent when there is none.
            while IFS= read -r v; do
                [[ $v == "$2"* ]] && COMPREPLY+=("$v")
            done < <("$cmd" "${workspace[@]}" __complete "$arg" 2>/dev/null) ;;
    esac
}

_cmtool() {
    COMPREPLY=()
    local -a args=()
    local i w _r='' cpath='' value_opt='' split=0 npos=0 cmd workspace=()
    # bash splits --format=json at '=' (COMP_WORDBREAKS): join the pieces again.
    for ((i = 0; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == = && ${#args[@]} -gt 1 && ${args[-1]} == --* && ${args[-1]} != *=* ]]; then
            args[-1]+='='
            split=1
        elif ((split == 1)) && [[ ${args[-1]} == *= ]]; then
            args[-1]+=$w
        else
            args+=("$w")
        fi
    done
    local cur=${args[-1]} cword=$((${#args[@]} - 1))
    [[ $cur == *=* ]] || split=0
    cmd=${args[0]/#\~/$HOME}
    for ((i = 1; i < cword; i++)); do
        w=${args[i]}
        case $w in
            --*=*)
                [[ ${w%%=*} == --workspace ]] && workspace=(-C "${w#*=}")
                ;;
            -?*)
                _cmtool_value "$cpath" "$w"
                [[ -z $_r ]] && _cmtool_value '' "$w"
                if [[ -n $_r && $_r != flag ]]; then
                    if ((i + 1 == cword)); then
                        value_opt=$w
                    elif [[ $w == -C || $w == --workspace ]]; then
                        workspace=(-C "${args[i + 1]/#\~/$HOME}")
                    fi
                    ((i++))
                fi
                ;;
            *)
                _cmtool_subcommand "$cpath" "$w"
                if [[ -n $_r ]]; then
                    cpath=${cpath:+$cpath }$_r
                    npos=0
                else
                    ((npos++))
                fi
                ;;
        esac
    done
    if [[ -n $value_opt || $cur == --*=* ]]; then
        [[ -z $value_opt ]] && value_opt=${cur%%=*} && cur=${cur#*=}
        _cmtool_value "$cpath" "$value_opt"
        [[ -z $_r ]] && _cmtool_value '' "$value_opt"
        _cmtool_add_values "$_r" "$cur"
        if ((split == 0)) && [[ ${args[-1]} == --*=* ]]; then
            COMPREPLY=("${COMPREPLY[@]/#/${value_opt}=}")
        fi
    elif [[ $cur == -* ]]; then
        _cmtool_options "$cpath"
        _cmtool_add_values "words $_r" "$cur"
    else
        _cmtool_commands "$cpath"
        [[ -n $_r ]] && _cmtool_add_values "words $_r" "$cur"
        _cmtool_positional "$cpath" "$npos"
        _cmtool_add_values "$_r" "$cur"
    fi
    return 0
}

complete -F _cmtool cmtool
)sh";

}  // namespace

std::string sh_lookup_functions(const CommandSpec& root) {
    std::string values, positionals, subcommands;
    for (const CommandSpec* c : flatten(root)) {
        for (const auto& o : c->options) {
            values += fmt::format("        {}) _r={} ;;\n", patterns(c->path, o.names),
                                  shell_quote(value_spec(o.value)));
        }
        for (std::size_t i = 0; i < c->positionals.size(); ++i) {
            const auto& p = c->positionals[i];
            const bool any_after = p.repeatable && i + 1 == c->positionals.size();
            positionals +=
                fmt::format("        {}{}) _r={} ;;\n",
                            shell_quote(c->path + "|" + (any_after ? "" : std::to_string(i))),
                            any_after ? "*" : "", shell_quote(value_spec(p.value)));
        }
        for (const auto& s : c->subcommands) {
            std::vector<std::string> names{s.name};
            names.insert(names.end(), s.aliases.begin(), s.aliases.end());
            subcommands += fmt::format("        {}) _r={} ;;\n", patterns(c->path, names),
                                       shell_quote(s.name));
        }
    }
    return "# What the value of option $2 of command $1 (a path: '' is cmtool itself, 'plan "
           "list')\n"
           "# completes to, in _r: flag (takes none), text, files, dirs, words WORD..., dynamic\n"
           "# KIND (from `cmtool __complete KIND`); '' for an option the command does not have.\n"
           "_cmtool_value() {\n    case \"$1|$2\" in\n" +
           values +
           "        *) _r='' ;;\n    esac\n}\n\n"
           "# What positional argument $2 (counted from 0) of command $1 completes to, in _r.\n"
           "_cmtool_positional() {\n    case \"$1|$2\" in\n" +
           positionals +
           "        *) _r='' ;;\n    esac\n}\n\n"
           "# The name of subcommand (or alias) $2 of command $1 in _r; '' when it is not one.\n"
           "_cmtool_subcommand() {\n    case \"$1|$2\" in\n" +
           subcommands + "        *) _r='' ;;\n    esac\n}\n\n";
}

std::string bash_script(const CommandSpec& root) {
    return "# bash completion for cmtool                                -*- shell-script -*-\n"
           "# Generated by `cmtool completion bash` from the command tree: do not edit; run\n"
           "# scripts/gen-completions.sh after changing a command or a flag.\n"
           "# By hand: `source completions/cmtool.bash` (e.g. from ~/.bashrc).\n\n" +
           sh_lookup_functions(root) + bash_lists(root) + std::string(k_bash_driver);
}

}  // namespace cmtool::cli::completion
