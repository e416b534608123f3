#include "cmtool/publish/sent_changes.hpp"

#include <fmt/format.h>

#include <map>

#include "cmtool/publish/deliveries.hpp"
#include "cmtool/store/ledger.hpp"

namespace cmtool::publish {

Result<std::vector<calendar::Finding>> sent_changes(const std::vector<calendar::Post>& posts,
                                                    const calendar::WorkspaceConfig& ws,
                                                    store::Ledger& ledger) {
    store::DeliveryFilter filter;
    filter.state = store::DeliveryState::sent;
    auto sent = ledger.list(filter);
    if (!sent) {
        return fail(std::move(sent).error());
    }
    std::map<std::string, const calendar::Post*> by_id;
    for (const auto& p : posts) {
        by_id.emplace(p.id, &p);
    }
    std::vector<calendar::Finding> out;
    for (const auto& d : *sent) {
        const auto it = by_id.find(d.post_id);
        const calendar::Account* acc = ws.find_account(d.channel);
        if (it == by_id.end()) {
            out.push_back(calendar::Finding{
                "changed-after-send",
                calendar::Severity::warning,
                calendar::k_workspace_file,
                {},
                d.post_id,
                d.channel,
                fmt::format("post `{}` was sent to {} ({}) but is no longer in the calendar",
                            d.post_id, d.channel, d.url.empty() ? "no URL" : d.url),
                "deleting it here does not delete it on the platform"});
            continue;
        }
        const calendar::Post& post = *it->second;
        if (acc == nullptr) {
            continue;  // an unknown channel is an error already
        }
        if (parts_hash(render_parts(post, *acc, ws)) == d.content_hash) {
            continue;
        }
        out.push_back(calendar::Finding{
            "changed-after-send", calendar::Severity::warning, post.file, post.where("text"),
            post.id, d.channel,
            fmt::format("`{}` was edited after it was sent to {}: the calendar and {} now differ",
                        d.occurrence_id, d.channel, d.url.empty() ? "what was published" : d.url),
            "it is not sent again; edit the published post on the platform if it matters"});
    }
    return out;
}

}  // namespace cmtool::publish
