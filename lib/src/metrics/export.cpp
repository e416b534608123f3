#include "cmtool/metrics/export.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/util/csv.hpp"

using cmtool::util::csv_row;

namespace cmtool::metrics {

namespace {

using nlohmann::json;

std::string cell(const store::Count& c) {
    return c ? std::to_string(*c) : std::string();
}

json value(const store::Count& c) {
    return c ? json(*c) : json();
}

const std::vector<std::string> k_post_header{
    "taken_at", "account", "platform", "remote_id", "url",       "post_id", "planned", "published",
    "likes",    "reposts", "replies",  "quotes",    "bookmarks", "views",   "fields"};
const std::vector<std::string> k_account_header{"taken_at",  "account", "platform", "followers",
                                                "following", "posts",   "fields"};

}  // namespace

Result<std::string> export_metrics(store::Store& store, const calendar::WorkspaceConfig& ws,
                                   const ExportOptions& options) {
    store::MetricsStore metrics(store);
    auto posts = metrics.posts({std::nullopt, std::nullopt, options.filter.account});
    auto snaps = metrics.post_snapshots(options.filter);
    auto accounts = metrics.account_snapshots(options.filter);
    if (!posts || !snaps || !accounts) {
        return fail(!posts   ? std::move(posts).error()
                    : !snaps ? std::move(snaps).error()
                             : std::move(accounts).error());
    }
    std::map<std::int64_t, const store::TrackedPost*> by_id;
    for (const auto& p : *posts) {
        by_id.emplace(p.id, &p);
    }
    const auto time = [&ws](std::chrono::sys_seconds t) { return calendar::iso_local(t, ws); };
    if (options.format == ExportFormat::csv) {
        std::string out;
        if (options.kind == ExportKind::accounts) {
            out = csv_row(k_account_header);
            for (const auto& a : *accounts) {
                const auto& k = a.counters;
                out += csv_row({time(a.taken_at), a.account, a.platform, cell(k.followers),
                                cell(k.following), cell(k.posts), a.fields});
            }
            return out;
        }
        out = csv_row(k_post_header);
        for (const auto& s : *snaps) {
            const auto it = by_id.find(s.post);
            if (it == by_id.end()) {
                continue;
            }
            const auto& p = *it->second;
            const auto& c = s.counters;
            out += csv_row({time(s.taken_at), p.account, p.platform, p.remote_id, p.url, p.post_id,
                            p.planned() ? "yes" : "no", time(p.published_at), cell(c.likes),
                            cell(c.reposts), cell(c.replies), cell(c.quotes), cell(c.bookmarks),
                            cell(c.views), s.fields});
        }
        return out;
    }
    json jposts = json::array();
    std::map<std::int64_t, json> snapshots;
    for (const auto& s : *snaps) {
        const auto& c = s.counters;
        snapshots[s.post].push_back({{"taken_at", time(s.taken_at)},
                                     {"likes", value(c.likes)},
                                     {"reposts", value(c.reposts)},
                                     {"replies", value(c.replies)},
                                     {"quotes", value(c.quotes)},
                                     {"bookmarks", value(c.bookmarks)},
                                     {"views", value(c.views)},
                                     {"fields", s.fields}});
    }
    for (const auto& p : *posts) {
        auto it = snapshots.find(p.id);
        if (it == snapshots.end()) {
            continue;
        }
        jposts.push_back({{"account", p.account},
                          {"platform", p.platform},
                          {"remote_id", p.remote_id},
                          {"url", p.url},
                          {"post_id", p.post_id.empty() ? json() : json(p.post_id)},
                          {"planned", p.planned()},
                          {"published_at", time(p.published_at)},
                          {"deleted_at", p.deleted_at ? json(time(*p.deleted_at)) : json()},
                          {"excerpt", p.excerpt},
                          {"snapshots", std::move(it->second)}});
    }
    json jaccounts = json::array();
    for (const auto& a : *accounts) {
        const auto& k = a.counters;
        jaccounts.push_back({{"taken_at", time(a.taken_at)},
                             {"account", a.account},
                             {"platform", a.platform},
                             {"followers", value(k.followers)},
                             {"following", value(k.following)},
                             {"posts", value(k.posts)},
                             {"fields", a.fields}});
    }
    return json{{"posts", std::move(jposts)}, {"accounts", std::move(jaccounts)}}.dump(2) + "\n";
}

}  // namespace cmtool::metrics
