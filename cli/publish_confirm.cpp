// `cmtool publish confirm ID --url URL`: a post rendered for a manual channel was posted by hand;
// record it as sent at that URL (docs/networks/manual.md).
#include <fmt/format.h>

#include <memory>

#include "app.hpp"
#include "cmtool/publish/manual.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "output.hpp"

namespace cmtool::cli {

namespace {

struct ConfirmFlags {
    std::string id;
    std::string channel;
    std::string url;
    std::string format = "text";
};

int run_confirm(const ConfirmFlags& f, const GlobalOptions& g) {
    auto ws = open_workspace(g);
    if (!ws) {
        return report_error(ws.error());
    }
    auto now = current_time(g, *ws);
    if (!now) {
        return report_error(now.error());
    }
    if (!std::filesystem::exists(ws->state_path() / "state.db")) {
        return report_error(Error{ErrorCode::not_found,
                                  fmt::format("no manual delivery `{}`: nothing was published "
                                              "in this workspace yet",
                                              f.id),
                                  "`cmtool publish` renders due posts of manual channels first"});
    }
    auto db = store::Store::open(ws->state_path());
    if (!db) {
        return report_error(db.error());
    }
    store::Ledger ledger(*db);
    auto r = publish::confirm_manual(ledger, {f.id, f.channel, f.url, *now});
    if (!r) {
        return report_error(r.error());
    }
    if (f.format == "json") {
        write_stdout(nlohmann::json{{"id", r->occurrence_id},
                                    {"channel", r->channel},
                                    {"url", r->url},
                                    {"state", "sent"},
                                    {"changed", r->changed}}
                         .dump(2) +
                     "\n");
    } else {
        const Style s{use_color(Stream::out)};
        write_stdout(fmt::format("{} {} → {}  {}{}\n", s.green("sent     "), r->occurrence_id,
                                 r->channel, r->url,
                                 r->changed ? "" : s.dim("  (already confirmed)")));
    }
    return k_exit_ok;
}

}  // namespace

void register_publish_confirm(CLI::App& publish, Context& ctx) {
    auto f = std::make_shared<ConfirmFlags>();
    auto* cmd = publish.add_subcommand(
        "confirm", "Record a post of a manual channel as published by hand, with its URL");
    cmd->add_option("id", f->id, "Occurrence id (as `publish status` shows), or a post id")
        ->required();
    cmd->add_option("--url", f->url, "Where the post is online (http or https)")->required();
    cmd->add_option("--channel", f->channel, "The manual account, when the id has several");
    cmd->add_option("--format", f->format, "Output: text, json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->footer(
        "A post due on a `manual` channel is rendered by `cmtool publish` into a folder\n"
        "(post.txt, media, alt.txt, README.md) and waits there; once you have posted it, this\n"
        "records it as sent. Confirming again with the same URL changes nothing; another URL is\n"
        "refused.\n\n"
        "Examples:\n"
        "  cmtool publish confirm launch-teaser --url https://www.tiktok.com/@brand/video/123\n"
        "  cmtool publish confirm weekly@2026-12-01 --channel pinterest --url https://pin.it/x");
    cmd->callback([f, &ctx] { ctx.action = [f, &ctx] { return run_confirm(*f, ctx.global); }; });
}

}  // namespace cmtool::cli
