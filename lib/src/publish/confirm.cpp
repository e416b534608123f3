// `cmtool publish confirm`: a post rendered for a manual channel was posted by hand; record it
// as sent with its URL (docs/networks/manual.md).
#include <fmt/format.h>

#include "cmtool/publish/manual.hpp"
#include "cmtool/store/ledger.hpp"

namespace cmtool::publish {

namespace {

// http(s)://host[...] with no spaces or control characters.
bool is_web_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else {
        return false;
    }
    const auto host_end = rest.find_first_of("/?#");
    if (rest.substr(0, host_end).empty()) {
        return false;
    }
    for (const char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

std::string describe(const store::DeliveryRecord& d) {
    return fmt::format("{} → {} ({})", d.occurrence_id, d.channel,
                       store::delivery_state_name(d.state));
}

}  // namespace

Result<ConfirmReport> confirm_manual(store::Ledger& ledger, const ConfirmOptions& o) {
    if (!is_web_url(o.url)) {
        return fail(ErrorCode::usage, fmt::format("--url `{}` is not an http(s) URL", o.url),
                    "give the address of the published post, e.g. https://www.tiktok.com/@brand/"
                    "video/123");
    }
    auto all = ledger.list({});
    if (!all) {
        return fail(std::move(all).error());
    }
    // Manual deliveries matching the id: by occurrence id first, else by post id.
    std::vector<store::DeliveryRecord> by_occurrence, by_post;
    for (const auto& d : *all) {
        if (d.platform != "manual" || (!o.channel.empty() && d.channel != o.channel)) {
            continue;
        }
        if (d.occurrence_id == o.id) {
            by_occurrence.push_back(d);
        } else if (d.post_id == o.id) {
            by_post.push_back(d);
        }
    }
    auto& found = by_occurrence.empty() ? by_post : by_occurrence;
    if (found.size() > 1) {
        // Prefer the only one still waiting, when the others are settled.
        std::vector<store::DeliveryRecord> waiting;
        for (const auto& d : found) {
            if (d.state == store::DeliveryState::awaiting_confirmation) {
                waiting.push_back(d);
            }
        }
        if (waiting.size() == 1) {
            found = waiting;
        }
    }
    if (found.empty()) {
        return fail(ErrorCode::not_found,
                    fmt::format("no manual delivery `{}`{}", o.id,
                                o.channel.empty() ? "" : " on channel " + o.channel),
                    "`cmtool publish status --state awaiting_confirmation` lists the posts "
                    "waiting to be confirmed, with their ids");
    }
    if (found.size() > 1) {
        std::vector<std::string> names;
        for (const auto& d : found) {
            names.push_back(describe(d));
        }
        return fail(ErrorCode::usage,
                    fmt::format("`{}` matches {} manual deliveries: {}", o.id, found.size(),
                                fmt::join(names, ", ")),
                    "name one: an occurrence id, and --channel when it has several");
    }
    const store::DeliveryRecord& d = found.front();
    auto changed = ledger.confirm_by_hand(d.id, o.url, o.now);
    if (!changed) {
        return fail(std::move(changed).error());
    }
    return ConfirmReport{d.occurrence_id, d.channel, o.url, *changed};
}

}  // namespace cmtool::publish
