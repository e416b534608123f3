#pragma once
// Manual channels (accounts `{platform: manual, folder: ..., network: ...}`, docs/networks/
// manual.md): for networks without a usable posting API, `cmtool publish` renders a due post
// into a ready-to-post folder and the ledger holds it as `awaiting_confirmation` until the user
// confirms it with `cmtool publish confirm ID --url URL`.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/publish/deliveries.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::store {
class Ledger;
}

namespace cmtool::publish {

// Where a delivery is rendered: <account folder or <state dir>/manual/<account>>/<local date>-
// <post id>/, the account's `folder` taken relative to the workspace root.
std::filesystem::path manual_folder(const Delivery& d, const calendar::WorkspaceConfig& ws);

// Writes the folder: post.txt (the final text; every part under a header for a thread, and
// part-N.txt per part), a copy of each media file, alt.txt (file: alt text) and README.md (what
// to post where, and the confirm command). Replaces an earlier rendering of the same delivery
// as a whole (written aside, then renamed). Fails (io) when a file cannot be read or written.
Result<std::filesystem::path> render_manual(const Delivery& d, const calendar::WorkspaceConfig& ws);

// The command that confirms a delivery: "cmtool publish confirm <occurrence> [--channel C]
// --url <URL>", with --channel only when the post has several manual channels.
std::string confirm_command(const Delivery& d, const calendar::WorkspaceConfig& ws);

struct ConfirmOptions {
    std::string id;       // an occurrence id, or a post id with one matching manual delivery
    std::string channel;  // optional: narrows to one account
    std::string url;      // where the post lives now (http or https)
    std::chrono::sys_seconds now{};
};

struct ConfirmReport {
    std::string occurrence_id;
    std::string channel;
    std::string url;
    bool changed = false;  // false: it was already confirmed at this URL
};

// Records a manual delivery as sent at `url`. Fails (usage) for a URL that is not http(s), an
// ambiguous id (several deliveries: the hint lists them); (not_found) when no manual delivery
// matches; (conflict) when it was confirmed with another URL.
Result<ConfirmReport> confirm_manual(store::Ledger& ledger, const ConfirmOptions& options);

}  // namespace cmtool::publish
