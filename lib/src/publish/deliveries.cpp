#include "cmtool/publish/deliveries.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/render.hpp"
#include "cmtool/calendar/validate.hpp"
#include "cmtool/store/ledger.hpp"

namespace cmtool::publish {

namespace {

std::string mime_of(calendar::MediaKind k) {
    switch (k) {
        case calendar::MediaKind::jpeg:
            return "image/jpeg";
        case calendar::MediaKind::png:
            return "image/png";
        case calendar::MediaKind::gif:
            return "image/gif";
        case calendar::MediaKind::webp:
            return "image/webp";
        case calendar::MediaKind::heic:
            return "image/heic";
        case calendar::MediaKind::avif:
            return "image/avif";
        case calendar::MediaKind::mp4:
            return "video/mp4";
        case calendar::MediaKind::mov:
            return "video/quicktime";
        case calendar::MediaKind::unknown:
            break;
    }
    return "application/octet-stream";
}

bool listed(const std::vector<std::string>& list, const std::string& a, const std::string& b = {}) {
    return list.empty() || std::find(list.begin(), list.end(), a) != list.end() ||
           (!b.empty() && std::find(list.begin(), list.end(), b) != list.end());
}

}  // namespace

std::string parts_hash(const std::vector<platforms::Part>& parts) {
    std::string material;
    for (const auto& p : parts) {
        material += p.text + '\x1f';
        for (const auto& m : p.media) {
            material += m.file + '\x1e' + m.alt + '\x1e' + std::to_string(m.size) + '\x1f';
        }
    }
    return store::content_hash(material);
}

std::string Delivery::part_key(std::size_t index) const {
    // Platform, account name and its identity setting: a renamed instance gets new keys.
    const std::string identity =
        fmt::format("{}\n{}\n{}{}\n{}\n{}", platform_name(account->platform), account->name,
                    account->get("instance"), account->get("handle"), occurrence.id, index);
    return fmt::format("cmtool-{}-{}", store::content_hash(identity), index);
}

std::vector<platforms::Part> render_parts(const calendar::Post& post,
                                          const calendar::Account& account,
                                          const calendar::WorkspaceConfig& ws) {
    const calendar::Rendered r = calendar::render(post, account.name, ws);
    calendar::MediaProbe probe(ws.root);
    std::vector<platforms::Part> parts;
    platforms::Part first;
    first.index = 0;
    first.text = r.text;
    first.link = r.link;
    for (const auto& m : r.media) {
        const auto info = probe.probe(m.file);
        platforms::MediaFile f;
        f.path = (ws.root / m.file).lexically_normal();
        f.file = m.file;
        f.alt = m.alt;
        f.mime = mime_of(info.kind != calendar::MediaKind::unknown ? info.kind : info.by_extension);
        f.size = info.size;
        first.media.push_back(std::move(f));
    }
    parts.push_back(std::move(first));
    if (limits_for(account.platform).supports_threads) {
        for (std::size_t i = 0; i < r.thread.size(); ++i) {
            platforms::Part p;
            p.index = i + 1;
            p.text = r.thread[i];
            parts.push_back(std::move(p));
        }
    }
    return parts;
}

std::vector<Delivery> due_deliveries(const std::vector<calendar::Post>& posts,
                                     const calendar::WorkspaceConfig& ws,
                                     std::chrono::sys_seconds now, const DeliveryFilter& filter) {
    std::vector<Delivery> out;
    calendar::MediaProbe probe(ws.root);
    for (const auto& post : posts) {
        if (post.status != calendar::PostStatus::ready ||
            post.at.utc.time_since_epoch().count() == 0) {
            continue;
        }
        if (!post.repeat && post.at.utc > now) {
            continue;
        }
        std::vector<calendar::Occurrence> occs;
        for (auto& occ : calendar::occurrences(post, ws)) {
            if (occ.at.utc <= now && listed(filter.posts, occ.id, post.id)) {
                occs.push_back(std::move(occ));
            }
        }
        if (occs.empty()) {
            continue;
        }
        calendar::Diagnostics diags;
        calendar::check_post(post, ws, probe, diags);
        for (const auto& channel : post.channels) {
            const calendar::Account* acc = ws.find_account(channel);
            if (!listed(filter.channels, channel)) {
                continue;
            }
            std::vector<calendar::Finding> blocking;
            for (const auto& f : diags.findings()) {
                if (f.severity == calendar::Severity::error &&
                    (f.channel.empty() || f.channel == channel)) {
                    blocking.push_back(f);
                }
            }
            if (acc == nullptr) {
                continue;  // unknown channel: reported by validation, nothing to deliver to
            }
            auto parts = render_parts(post, *acc, ws);
            const std::string hash = parts_hash(parts);
            for (const auto& occ : occs) {
                out.push_back(Delivery{&post, occ, acc, parts, hash, blocking});
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Delivery& a, const Delivery& b) {
        return a.occurrence.at.utc < b.occurrence.at.utc;
    });
    return out;
}

}  // namespace cmtool::publish
