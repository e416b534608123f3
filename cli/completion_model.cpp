// The completion model: the visible CLI11 command tree, and what each value completes to.
#include <algorithm>
#include <array>

#include "completion.hpp"
#include "help_topics.hpp"

namespace cmtool::cli::completion {

namespace {

// What a value completes to when its validator does not list the choices. First match wins:
// a command path ("" = any command), then a name (an option's, or a positional's; "" = any
// positional of that command). Options not listed here complete to nothing (free text).
struct ValueHint {
    std::string_view command;
    std::string_view name;
    ValueKind kind;
};

constexpr std::array k_value_hints{
    ValueHint{"plan new", "--id", ValueKind::text},  // the id of a post not yet written
    ValueHint{"publish confirm", "", ValueKind::posts},
    ValueHint{"", "--channel", ValueKind::accounts},
    ValueHint{"", "account", ValueKind::accounts},
    ValueHint{"", "--post", ValueKind::posts},
    ValueHint{"", "--id", ValueKind::posts},
    ValueHint{"", "--category", ValueKind::categories},
    ValueHint{"", "--campaign", ValueKind::campaigns},
    ValueHint{"", "--workspace", ValueKind::dirs},
    ValueHint{"", "dir", ValueKind::dirs},
    ValueHint{"", "--file", ValueKind::files},
    ValueHint{"", "--text-file", ValueKind::files},
    ValueHint{"", "--output", ValueKind::files},
    ValueHint{"", "--media", ValueKind::files},
    ValueHint{"", "file", ValueKind::files},
    ValueHint{"", "paths", ValueKind::files},
};

bool hidden(const CLI::App& app) {
    return app.get_group().empty();
}

// The choices of an IsMember check or a CheckedTransformer, read back from the type name
// CLI11 shows in help ("TEXT:{text,json}", "ENUM:value in {csv->1,json->2} OR {1,2}").
std::vector<std::string> choices(const CLI::Option& opt) {
    const std::string type = opt.get_type_name();
    const auto open = type.find('{');
    const auto close = type.find('}', open);
    if (open == std::string::npos || close == std::string::npos) {
        return {};
    }
    std::vector<std::string> out;
    std::string_view list(type);
    list = list.substr(open + 1, close - open - 1);
    while (!list.empty()) {
        const auto comma = std::min(list.find(','), list.size());
        std::string_view item = list.substr(0, comma);
        item = item.substr(0, item.find("->"));
        if (!item.empty()) {
            out.emplace_back(item);
        }
        list.remove_prefix(std::min(comma + 1, list.size()));
    }
    return out;
}

ValueKind hinted_kind(std::string_view path, const std::vector<std::string>& names,
                      bool positional) {
    for (const auto& h : k_value_hints) {
        if (!h.command.empty() && h.command != path) {
            continue;
        }
        const bool any_positional = h.name.empty() && !h.command.empty() && positional;
        if (any_positional || std::find(names.begin(), names.end(), h.name) != names.end()) {
            return h.kind;
        }
    }
    return ValueKind::text;
}

ValueSpec value_of(const CLI::Option& opt, std::string_view path,
                   const std::vector<std::string>& names) {
    if (opt.get_expected_max() == 0) {  // add_flag sets expected(0)
        return {ValueKind::flag, {}};
    }
    if (auto words = choices(opt); !words.empty()) {
        return {ValueKind::words, std::move(words)};
    }
    if (path == "help" && opt.get_positional()) {
        ValueSpec topics{ValueKind::words, {}};
        for (const auto& t : help_topics()) {
            topics.words.emplace_back(t.name);
        }
        return topics;
    }
    return {hinted_kind(path, names, opt.get_positional()), {}};
}

CommandSpec describe_command(const CLI::App& app, const std::string& path) {
    CommandSpec c;
    c.name = app.get_name();
    c.path = path;
    c.aliases = app.get_aliases();
    c.description = app.get_description();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_group().empty()) {
            continue;
        }
        if (!opt->nonpositional()) {
            const std::vector<std::string> names{opt->get_name()};
            c.positionals.push_back({opt->get_name(), opt->get_description(),
                                     value_of(*opt, path, names), opt->get_expected_max() > 1});
            continue;
        }
        OptionSpec o;
        for (const auto& s : opt->get_snames()) {
            o.names.push_back("-" + s);
        }
        for (const auto& l : opt->get_lnames()) {
            o.names.push_back("--" + l);
        }
        o.description = opt->get_description();
        o.value = value_of(*opt, path, o.names);
        c.options.push_back(std::move(o));
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!hidden(*sub)) {
            const std::string sub_path =
                path.empty() ? sub->get_name() : path + " " + sub->get_name();
            c.subcommands.push_back(describe_command(*sub, sub_path));
        }
    }
    return c;
}

void flatten_into(const CommandSpec& c, std::vector<const CommandSpec*>& out) {
    out.push_back(&c);
    for (const auto& sub : c.subcommands) {
        flatten_into(sub, out);
    }
}

}  // namespace

CommandSpec describe(const CLI::App& root) {
    auto spec = describe_command(root, "");
    // `cmtool help TOPIC` also takes a command name: `cmtool help plan`.
    for (auto& sub : spec.subcommands) {
        if (sub.path == "help" && !sub.positionals.empty()) {
            for (const auto& top : spec.subcommands) {
                sub.positionals.front().value.words.push_back(top.name);
            }
        }
    }
    return spec;
}

std::vector<const CommandSpec*> flatten(const CommandSpec& root) {
    std::vector<const CommandSpec*> out;
    flatten_into(root, out);
    return out;
}

std::string_view dynamic_name(ValueKind kind) {
    switch (kind) {
        case ValueKind::accounts:
            return "accounts";
        case ValueKind::posts:
            return "posts";
        case ValueKind::categories:
            return "categories";
        case ValueKind::campaigns:
            return "campaigns";
        default:
            return "";
    }
}

std::vector<OptionSpec> offered_options(const CommandSpec& c, const CommandSpec& root) {
    std::vector<OptionSpec> out = c.options;
    if (&c == &root) {
        return out;
    }
    for (const auto& global : root.options) {
        const bool reused = std::any_of(out.begin(), out.end(), [&](const OptionSpec& own) {
            return std::find_first_of(own.names.begin(), own.names.end(), global.names.begin(),
                                      global.names.end()) != own.names.end();
        });
        if (!reused) {
            out.push_back(global);
        }
    }
    return out;
}

std::string value_spec(const ValueSpec& v) {
    switch (v.kind) {
        case ValueKind::flag:
            return "flag";
        case ValueKind::text:
            return "text";
        case ValueKind::files:
            return "files";
        case ValueKind::dirs:
            return "dirs";
        case ValueKind::words: {
            std::string out = "words";
            for (const auto& w : v.words) {
                out += " " + w;
            }
            return out;
        }
        default:
            return "dynamic " + std::string(dynamic_name(v.kind));
    }
}

std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (const char ch : s) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

}  // namespace cmtool::cli::completion
