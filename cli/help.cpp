// `cmtool help [TOPIC | COMMAND...]`: reference topics in the terminal, and cmtool(1) from the
// same texts (`cmtool help --man`, hidden; docs/cmtool.1 is its output).
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "app.hpp"
#include "cmtool/util/strings.hpp"
#include "help_topics.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct HelpOptions {
    std::vector<std::string> words;
    bool man = false;
};

// The visible subcommands: those in the empty group (`completion`, `__complete`) are hidden.
std::vector<const CLI::App*> subcommands(const CLI::App& app) {
    std::vector<const CLI::App*> out;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!sub->get_group().empty()) {
            out.push_back(sub);
        }
    }
    return out;
}

// ("plan new", "Add a post ...") for every leaf command, in registration order.
std::vector<std::pair<std::string, std::string>> command_rows(const CLI::App& app,
                                                              const std::string& prefix = {}) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const CLI::App* sub : subcommands(app)) {
        const std::string name = prefix + sub->get_name();
        if (subcommands(*sub).empty()) {
            rows.emplace_back(name, sub->get_description());
        } else {
            const auto inner = command_rows(*sub, name + " ");
            rows.insert(rows.end(), inner.begin(), inner.end());
        }
    }
    return rows;
}

std::string topic_names() {
    std::vector<std::string> names;
    for (const auto& t : help_topics()) {
        names.emplace_back(t.name);
    }
    return util::join(names, ", ");
}

std::string overview(const CLI::App& root) {
    std::string out = "Usage: cmtool help TOPIC\n       cmtool help COMMAND...\n\nTopics:\n";
    for (const auto& t : help_topics()) {
        out += fmt::format("  {:<12}  {}\n", t.name, t.summary);
    }
    out += "\nCommands:\n";
    const auto rows = command_rows(root);
    std::size_t width = 12;
    for (const auto& row : rows) {
        width = std::max(width, row.first.size());
    }
    for (const auto& [name, description] : rows) {
        out += fmt::format("  {:<{}}  {}\n", name, width, description);
    }
    out += "\n`cmtool COMMAND --help` (or `cmtool help COMMAND`) shows a command's flags.\n";
    return out;
}

// roff text: backslashes and dashes escaped, a line starting with a control character guarded.
std::string roff(std::string_view text) {
    std::string out;
    bool line_start = true;
    for (const char c : text) {
        if (line_start && (c == '.' || c == '\'')) {
            out += "\\&";
        }
        out += c == '\\' ? std::string("\\e") : c == '-' ? std::string("\\-") : std::string(1, c);
        line_start = c == '\n';
    }
    return out;
}

std::string man_page(const CLI::App& root) {
    std::string out =
        ".TH CMTOOL 1 \"\" \"cmtool\" \"User Commands\"\n"
        ".SH NAME\ncmtool \\- the community manager's toolkit: editorial calendars as files\n"
        ".SH SYNOPSIS\n.B cmtool\n[\\fB\\-C\\fR \\fIDIR\\fR] [\\fB\\-v\\fR] [\\fB\\-q\\fR] "
        "\\fICOMMAND\\fR [\\fIARGS\\fR]\n.SH DESCRIPTION\n" +
        roff(root.get_description()) +
        "\n.PP\nEach command's flags: \\fBcmtool\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR.\n"
        ".SH COMMANDS\n";
    for (const auto& [name, description] : command_rows(root)) {
        out += fmt::format(".TP\n.B {}\n{}\n", roff(name), roff(description));
    }
    for (const auto& t : help_topics()) {
        out += fmt::format(".SH {}\n.nf\n{}.fi\n", t.man_name, roff(t.text));
    }
    out +=
        ".SH SEE ALSO\n\\fBcmtool help\\fR \\fITOPIC\\fR; docs/calendar.md, the full reference "
        "of the calendar format.\n";
    return out;
}

// The command named by `words` ("plan", "new"), or null.
const CLI::App* find_command(const CLI::App& root, const std::vector<std::string>& words) {
    const CLI::App* cur = &root;
    for (const auto& w : words) {
        const CLI::App* next = nullptr;
        for (const CLI::App* sub : subcommands(*cur)) {
            if (sub->check_name(w)) {
                next = sub;
            }
        }
        if (next == nullptr) {
            return nullptr;
        }
        cur = next;
    }
    return cur;
}

int run_help(const HelpOptions& o, const CLI::App& root) {
    if (o.man) {
        write_stdout(man_page(root));
        return k_exit_ok;
    }
    if (o.words.empty()) {
        write_stdout(overview(root));
        return k_exit_ok;
    }
    if (o.words.size() == 1) {
        for (const auto& t : help_topics()) {
            if (t.name == o.words.front()) {
                write_stdout(t.text);
                return k_exit_ok;
            }
        }
    }
    if (const CLI::App* cmd = find_command(root, o.words)) {
        write_stdout(cmd->help());
        return k_exit_ok;
    }
    return report_error(Error{
        ErrorCode::usage, fmt::format("no help topic or command `{}`", util::join(o.words, " ")),
        fmt::format("topics: {}; `cmtool help` also lists the commands", topic_names())});
}

}  // namespace

void register_help(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<HelpOptions>();
    auto* cmd = app.add_subcommand("help", "Reference topics: calendar, workspace, rules, ...");
    cmd->add_option("topic", opts->words, "A topic, or a command such as `plan new`");
    cmd->add_flag("--man", opts->man, "Print the man page (roff)")->group("");
    cmd->footer(
        "Examples:\n"
        "  cmtool help                 # the topics and the commands\n"
        "  cmtool help calendar        # the calendar format, in short\n"
        "  cmtool help plan new        # same as `cmtool plan new --help`");
    const CLI::App* root = &app;
    cmd->callback(
        [opts, root, &ctx] { ctx.action = [opts, root] { return run_help(*opts, *root); }; });
}

}  // namespace cmtool::cli
