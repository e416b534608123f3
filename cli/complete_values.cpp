// `cmtool __complete accounts|posts|categories|campaigns` (hidden): the workspace's names, one
// per line, for the completion scripts. Never an error message: a shell completing a word must
// not print one, so no workspace, or one that does not load, prints nothing and exits 0.
#include <algorithm>
#include <memory>
#include <set>

#include "app.hpp"
#include "cmtool/calendar/load.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

// Every value once, in the order first met.
void add_unique(std::vector<std::string>& out, const std::string& value) {
    if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) {
        out.push_back(value);
    }
}

// What can be read; problems in cmtool.yaml or the calendar leave out what they spoil only.
std::vector<std::string> values(const std::string& kind, const GlobalOptions& g) {
    calendar::Diagnostics diags;
    const auto ws = open_workspace(g, diags);
    if (!ws) {
        return {};
    }
    std::vector<std::string> out;
    if (kind == "accounts") {
        for (const auto& a : ws->accounts) {
            add_unique(out, a.name);
        }
        return out;
    }
    if (kind == "categories") {
        for (const auto& c : ws->categories) {
            add_unique(out, c.name);
        }
        return out;
    }
    const auto posts = calendar::load_posts(*ws, diags);
    if (!posts) {
        return {};
    }
    for (const auto& p : *posts) {
        add_unique(out, kind == "posts" ? p.id : p.campaign);
    }
    if (kind == "campaigns") {
        std::sort(out.begin(), out.end());
    }
    return out;
}

int run_complete(const std::string& kind, const GlobalOptions& g) {
    std::string out;
    try {
        for (const auto& v : values(kind, g)) {
            out += v + "\n";
        }
    } catch (const std::exception&) {
        return k_exit_ok;  // a broken workspace completes to nothing
    }
    write_stdout(out);
    return k_exit_ok;
}

}  // namespace

void register_complete_values(CLI::App& app, Context& ctx) {
    auto kind = std::make_shared<std::string>();
    auto* cmd =
        app.add_subcommand("__complete", "Workspace names for the completion scripts")->group("");
    cmd->add_option("kind", *kind, "accounts, posts, categories or campaigns")
        ->required()
        ->check(CLI::IsMember({"accounts", "posts", "categories", "campaigns"}));
    cmd->callback(
        [kind, &ctx] { ctx.action = [kind, &ctx] { return run_complete(*kind, ctx.global); }; });
}

}  // namespace cmtool::cli
