// `plan validate`: files are independent, so workers load and check them in parallel and keep
// only a small summary per post; cross-post rules (duplicate ids, spacing, duplicate text) run
// on the summaries. No worker holds more than one file's node tree at a time.
#include "cmtool/calendar/validate.hpp"

#include <date/date.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <unordered_map>

#include "cmtool/calendar/recurrence.hpp"
#include "cmtool/calendar/render.hpp"
#include "cmtool/util/files.hpp"

namespace cmtool::calendar {

namespace {

struct PostSummary {
    std::string id;
    std::uint32_t file = 0;
    Pos id_pos;
    Pos at_pos;
    Pos text_pos;
};

struct ChannelEntry {
    std::uint32_t post = 0;     // index into summaries
    std::uint16_t channel = 0;  // index into ws.accounts
    std::int64_t utc = 0;       // seconds
    std::uint64_t text_hash = 0;
    std::string occurrence;  // empty unless recurring
};

struct FileResult {
    Diagnostics diags;
    std::vector<PostSummary> posts;
    std::vector<ChannelEntry> entries;  // post indexes local to this file
};

FileResult check_file(const std::filesystem::path& path, std::uint32_t file_index,
                      const WorkspaceConfig& ws, MediaProbe& probe) {
    FileResult out;
    CalendarFile cf = load_calendar_file(path, ws, out.diags);
    out.posts.reserve(cf.posts.size());
    std::vector<std::pair<std::string, std::string>> texts;
    for (const Post& post : cf.posts) {
        texts.clear();
        check_post(post, ws, probe, out.diags, &texts);
        const auto index = static_cast<std::uint32_t>(out.posts.size());
        out.posts.push_back(PostSummary{post.id, file_index, post.where("id"), post.where("at"),
                                        post.where("text")});
        if (post.status == PostStatus::cancelled || post.at.utc.time_since_epoch().count() == 0) {
            continue;
        }
        const auto occs = occurrences(post, ws);
        for (std::size_t ch = 0; ch < ws.accounts.size(); ++ch) {
            const std::string& name = ws.accounts[ch].name;
            if (std::find(post.channels.begin(), post.channels.end(), name) ==
                post.channels.end()) {
                continue;
            }
            const auto text = std::find_if(texts.begin(), texts.end(),
                                           [&name](const auto& t) { return t.first == name; });
            const std::uint64_t hash = std::hash<std::string>{}(
                text != texts.end() ? text->second : render(post, name, ws).text);
            for (const auto& occ : occs) {
                out.entries.push_back(ChannelEntry{index, static_cast<std::uint16_t>(ch),
                                                   occ.at.utc.time_since_epoch().count(), hash,
                                                   post.repeat ? occ.id : std::string()});
            }
        }
    }
    return out;
}

std::string where(const std::vector<std::string>& files, const PostSummary& p, Pos pos) {
    return fmt::format("{}:{}:{}", files[p.file], pos.line, pos.column);
}

std::string human_minutes(std::int64_t seconds) {
    const auto m = seconds / 60;
    if (m >= 60 && m % 60 == 0) {
        return fmt::format("{} h", m / 60);
    }
    if (m >= 60) {
        return fmt::format("{} h {:02} min", m / 60, m % 60);
    }
    return fmt::format("{} min", m);
}

void check_duplicate_ids(const std::vector<PostSummary>& posts,
                         const std::vector<std::string>& files, Diagnostics& diags) {
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(posts.size());
    for (std::size_t i = 0; i < posts.size(); ++i) {
        auto [it, inserted] = first.emplace(posts[i].id, i);
        if (!inserted) {
            const auto& a = posts[it->second];
            diags.error("duplicate-id", files[posts[i].file], posts[i].id_pos,
                        fmt::format("post id `{}` is already used at {}", posts[i].id,
                                    where(files, a, a.id_pos)),
                        posts[i].id, {}, "every post needs its own id across the workspace");
        }
    }
}

void check_spacing_and_text(std::vector<ChannelEntry>& entries,
                            const std::vector<PostSummary>& posts,
                            const std::vector<std::string>& files, const WorkspaceConfig& ws,
                            Diagnostics& diags) {
    std::sort(entries.begin(), entries.end(), [](const ChannelEntry& a, const ChannelEntry& b) {
        return std::tie(a.channel, a.utc, a.post) < std::tie(b.channel, b.utc, b.post);
    });
    const auto min_s = std::chrono::duration_cast<std::chrono::seconds>(ws.min_spacing).count();
    std::unordered_map<std::uint64_t, std::size_t> seen_text;  // (channel, hash) → entry
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        const auto& p = posts[e.post];
        const std::string& channel = ws.accounts[e.channel].name;
        if (i > 0 && entries[i - 1].channel == e.channel && min_s > 0) {
            const auto& prev = entries[i - 1];
            const auto gap = e.utc - prev.utc;
            if (gap < min_s) {
                const auto& pp = posts[prev.post];
                const std::string prev_name = prev.occurrence.empty() ? pp.id : prev.occurrence;
                diags.warning(
                    "spacing", files[p.file], p.at_pos,
                    gap == 0
                        ? fmt::format("same time as `{}` on {}", prev_name, channel)
                        : fmt::format("{} after `{}` on {}, closer than min_spacing ({})",
                                      human_minutes(gap), prev_name, channel, human_minutes(min_s)),
                    p.id, channel, "move one of them, or lower `min_spacing` in cmtool.yaml");
            }
        }
        const std::uint64_t key = e.text_hash * 1000003ULL + e.channel;
        auto [it, inserted] = seen_text.emplace(key, i);
        if (!inserted && entries[it->second].post != e.post) {
            const auto& first = posts[entries[it->second].post];
            diags.warning("duplicate-text", files[p.file], p.text_pos,
                          fmt::format("same text as `{}` ({}) on {}", first.id,
                                      where(files, first, first.text_pos), channel),
                          p.id, channel,
                          "platforms may reject or hide repeated posts: vary the text");
        }
    }
}

}  // namespace

Result<ValidationReport> validate(const WorkspaceConfig& ws, Diagnostics config_diags,
                                  const ValidateOptions& opts) {
    auto files = calendar_files(ws, opts.paths);
    if (!files) {
        return fail(std::move(files).error());
    }
    const std::size_t n = files->size();
    unsigned jobs = opts.jobs != 0 ? opts.jobs : std::max(1U, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
    std::vector<FileResult> results(n);
    MediaProbe probe(ws.root);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            results[i] = check_file((*files)[i], static_cast<std::uint32_t>(i), ws, probe);
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) {
        threads.emplace_back(worker);
    }
    worker();
    for (auto& t : threads) {
        t.join();
    }
    ValidationReport report;
    report.files = n;
    Diagnostics diags = std::move(config_diags);
    std::vector<std::string> names;
    std::vector<PostSummary> posts;
    std::vector<ChannelEntry> entries;
    for (std::size_t i = 0; i < n; ++i) {
        names.push_back(util::display_path((*files)[i], ws.root));
        const auto base = static_cast<std::uint32_t>(posts.size());
        for (auto& e : results[i].entries) {
            e.post += base;
            entries.push_back(std::move(e));
        }
        posts.insert(posts.end(), std::make_move_iterator(results[i].posts.begin()),
                     std::make_move_iterator(results[i].posts.end()));
        diags.append(std::move(results[i].diags));
        results[i] = FileResult{};
    }
    report.posts = posts.size();
    check_duplicate_ids(posts, names, diags);
    check_spacing_and_text(entries, posts, names, ws, diags);
    report.findings = std::move(diags.findings());
    std::stable_sort(report.findings.begin(), report.findings.end(), finding_less);
    for (const auto& f : report.findings) {
        (f.severity == Severity::error ? report.errors : report.warnings) += 1;
    }
    return report;
}

}  // namespace cmtool::calendar
