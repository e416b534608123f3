// Post-by-post comparison of two calendars (`plan diff`).
#include "cmtool/calendar/diff.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <tuple>

#include "cmtool/calendar/load.hpp"
#include "git_source.hpp"

namespace cmtool::calendar {

namespace {

// Positions differ whenever a line is inserted above: compare what a post says, not where.
bool same_media(const std::vector<MediaItem>& a, const std::vector<MediaItem>& b) {
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(),
        [](const MediaItem& x, const MediaItem& y) { return x.file == y.file && x.alt == y.alt; });
}

bool same_variant(const Variant& a, const Variant& b) {
    if (a.media.has_value() != b.media.has_value() ||
        (a.media && !same_media(*a.media, *b.media))) {
        return false;
    }
    return a.text == b.text && a.thread == b.thread && a.link == b.link;
}

bool same_variants(const std::map<std::string, Variant>& a,
                   const std::map<std::string, Variant>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.first == y.first && same_variant(x.second, y.second);
    });
}

bool same_repeat(const std::optional<Repeat>& a, const std::optional<Repeat>& b) {
    if (!a || !b) {
        return a.has_value() == b.has_value();
    }
    return a->unit == b->unit && a->every == b->every && a->until == b->until &&
           a->count == b->count;
}

// Items of `a` missing from `b`, in `a`'s order.
std::vector<std::string> missing_from(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b) {
    std::vector<std::string> out;
    for (const auto& x : a) {
        if (std::find(b.begin(), b.end(), x) == b.end()) {
            out.push_back(x);
        }
    }
    return out;
}

std::vector<std::string> other_fields(const Post& a, const Post& b) {
    std::vector<std::string> out;
    const auto add_if = [&](bool differs, const char* name) {
        if (differs) {
            out.emplace_back(name);
        }
    };
    add_if(a.category != b.category, "category");
    add_if(a.campaign != b.campaign, "campaign");
    add_if(a.link != b.link, "link");
    add_if(!same_media(a.media, b.media), "media");
    add_if(a.thread != b.thread, "thread");
    add_if(!same_variants(a.variants, b.variants), "variants");
    add_if(!same_repeat(a.repeat, b.repeat), "repeat");
    add_if(a.notes != b.notes, "notes");
    return out;
}

std::optional<PostChange> compare(const Post& a, const Post& b) {
    PostChange c;
    c.id = b.id;
    c.moved = a.at.utc != b.at.utc;
    c.channels_added = missing_from(b.channels, a.channels);
    c.channels_removed = missing_from(a.channels, b.channels);
    c.status_changed = a.status != b.status;
    c.fields = other_fields(a, b);
    if (a.text != b.text) {
        auto edits = word_diff(a.text, b.text);
        const bool words_differ = std::any_of(
            edits.begin(), edits.end(), [](const WordEdit& e) { return e.op != WordOp::same; });
        if (words_differ) {
            c.text = std::move(edits);
        } else {
            c.fields.emplace_back("text (whitespace)");
        }
    }
    if (!c.moved && !c.retargeted() && !c.status_changed && c.fields.empty() && c.text.empty()) {
        return std::nullopt;
    }
    c.before = a;
    c.after = b;
    return c;
}

// First post per id, so an invalid calendar with a duplicate id still compares.
std::map<std::string, const Post*> by_id(const std::vector<Post>& posts) {
    std::map<std::string, const Post*> out;
    for (const auto& p : posts) {
        out.emplace(p.id, &p);
    }
    return out;
}

// The posts of every calendar file at `rev`, read from git objects.
Result<std::vector<Post>> posts_at(const git::Repository& repo, const git::Revision& rev,
                                   const WorkspaceConfig& ws, Diagnostics& diags) {
    auto sources = repo.calendar_sources(rev, ws.calendar);
    if (!sources) {
        return fail(std::move(sources).error());
    }
    std::vector<Post> posts;
    for (const auto& src : *sources) {
        auto file = parse_calendar(src.content, src.path, ws, diags);
        std::move(file.posts.begin(), file.posts.end(), std::back_inserter(posts));
    }
    return posts;
}

bool time_order(const Post& a, const Post& b) {
    return std::tie(a.at.utc, a.id) < std::tie(b.at.utc, b.id);
}

}  // namespace

CalendarDiff diff_posts(const std::vector<Post>& before, const std::vector<Post>& after) {
    const auto old_posts = by_id(before);
    const auto new_posts = by_id(after);
    CalendarDiff d;
    for (const auto& [id, post] : new_posts) {
        const auto it = old_posts.find(id);
        if (it == old_posts.end()) {
            d.added.push_back(*post);
        } else if (auto change = compare(*it->second, *post)) {
            d.changed.push_back(std::move(*change));
        }
    }
    for (const auto& [id, post] : old_posts) {
        if (new_posts.count(id) == 0) {
            d.removed.push_back(*post);
        }
    }
    std::sort(d.added.begin(), d.added.end(), time_order);
    std::sort(d.removed.begin(), d.removed.end(), time_order);
    std::sort(d.changed.begin(), d.changed.end(), [](const PostChange& a, const PostChange& b) {
        return time_order(a.after, b.after);
    });
    return d;
}

Result<RevisionDiff> diff_revisions(const WorkspaceConfig& ws, const std::string& base,
                                    const std::string& head) {
    auto repo = git::Repository::open(ws.root);
    if (!repo) {
        return fail(std::move(repo).error());
    }
    auto base_rev = base.empty() ? repo->default_base() : repo->resolve(base);
    if (!base_rev) {
        return fail(std::move(base_rev).error());
    }
    std::optional<git::Revision> head_rev;
    if (!head.empty()) {
        auto r = repo->resolve(head);
        if (!r) {
            return fail(std::move(r).error());
        }
        head_rev = std::move(*r);
    }
    Diagnostics base_diags;
    auto before = posts_at(*repo, *base_rev, ws, base_diags);
    if (!before) {
        return fail(std::move(before).error());
    }
    Diagnostics head_diags;
    auto after = head_rev ? posts_at(*repo, *head_rev, ws, head_diags) : load_posts(ws, head_diags);
    if (!after) {
        return fail(std::move(after).error());
    }
    RevisionDiff out;
    out.base = DiffSide{base_rev->label, base_rev->commit, base_diags.error_count()};
    out.head = head_rev ? DiffSide{head_rev->label, head_rev->commit, head_diags.error_count()}
                        : DiffSide{"working tree", {}, head_diags.error_count()};
    out.diff = diff_posts(*before, *after);
    return out;
}

}  // namespace cmtool::calendar
