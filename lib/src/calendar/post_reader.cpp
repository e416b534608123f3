#include "post_reader.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/load.hpp"
#include "cmtool/util/strings.hpp"
#include "yaml_util.hpp"

namespace cmtool::calendar {

namespace {

using yaml::Reporter;

const std::vector<std::string> k_post_keys = {"id",       "at",    "channels", "status", "category",
                                              "campaign", "text",  "link",     "media",  "thread",
                                              "variants", "notes", "repeat"};
const std::vector<std::string> k_variant_keys = {"text", "thread", "media", "link"};
const std::vector<std::string> k_media_keys = {"file", "alt"};
const std::vector<std::string> k_repeat_keys = {"every", "until", "count"};

std::optional<std::vector<MediaItem>> read_media(const YAML::Node& node, const Reporter& r) {
    if (!node.IsSequence()) {
        r.type_error(node, "media", "a list of {file: ..., alt: ...}");
        return std::nullopt;
    }
    std::vector<MediaItem> out;
    for (const auto& item : node) {
        MediaItem m;
        m.pos = yaml::pos_of(item);
        if (item.IsScalar()) {
            m.file = item.Scalar();
        } else if (item.IsMap()) {
            for (const auto& kv : item) {
                const std::string& k = kv.first.Scalar();
                if (k == "file") {
                    m.file = yaml::scalar(kv.second, "file", r).value_or("");
                    m.pos = yaml::pos_of(kv.second);
                } else if (k == "alt") {
                    m.alt = yaml::scalar(kv.second, "alt", r).value_or("");
                } else {
                    r.unknown_key(kv.first, k_media_keys, "a media item");
                }
            }
            if (m.file.empty()) {
                r.error("required", yaml::pos_of(item), "a media item needs `file`");
                continue;
            }
        } else {
            r.type_error(item, "media item", "a mapping such as {file: media/a.jpg, alt: ...}");
            continue;
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<Variant> read_variant(const YAML::Node& node, const Reporter& r) {
    if (!node.IsMap()) {
        r.type_error(node, "variant", "a mapping such as {text: ...}");
        return std::nullopt;
    }
    Variant v;
    v.pos = yaml::pos_of(node);
    for (const auto& kv : node) {
        const std::string& k = kv.first.Scalar();
        if (k == "text") {
            v.text = yaml::scalar(kv.second, "text", r);
            v.text_pos = yaml::pos_of(kv.second);
        } else if (k == "link") {
            v.link = yaml::scalar(kv.second, "link", r);
        } else if (k == "thread") {
            v.thread = yaml::scalar_list(kv.second, "thread", r);
            v.thread_pos = yaml::pos_of(kv.second);
        } else if (k == "media") {
            v.media = read_media(kv.second, r);
            v.media_pos = yaml::pos_of(kv.second);
        } else {
            r.unknown_key(kv.first, k_variant_keys, "a variant");
        }
    }
    return v;
}

std::optional<date::year_month_day> parse_day(std::string_view s) {
    int y = 0;
    unsigned mo = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return std::nullopt;
    }
    try {
        y = std::stoi(std::string(s.substr(0, 4)));
        mo = static_cast<unsigned>(std::stoul(std::string(s.substr(5, 2))));
        d = static_cast<unsigned>(std::stoul(std::string(s.substr(8, 2))));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{y}, date::month{mo}, date::day{d}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return ymd;
}

std::optional<Repeat> read_repeat(const YAML::Node& node, const Reporter& r) {
    if (!node.IsMap()) {
        r.type_error(node, "repeat", "a mapping such as {every: week, count: 4}");
        return std::nullopt;
    }
    Repeat rep;
    rep.pos = yaml::pos_of(node);
    bool ok = true;
    bool has_every = false;
    for (const auto& kv : node) {
        const std::string& k = kv.first.Scalar();
        const auto v = yaml::scalar(kv.second, "repeat." + k, r);
        if (!v) {
            ok = false;
            continue;
        }
        const auto at = yaml::pos_of(kv.second);
        if (k == "every") {
            has_every = true;
            auto parts = util::split(util::to_lower(util::trim(*v)), ' ');
            parts.erase(std::remove(parts.begin(), parts.end(), ""), parts.end());
            int n = 1;
            if (parts.size() == 2) {
                try {
                    n = std::stoi(parts[0]);
                } catch (const std::exception&) {
                    n = 0;
                }
                parts.erase(parts.begin());
            }
            std::string unit = parts.empty() ? "" : parts[0];
            if (!unit.empty() && unit.back() == 's') {
                unit.pop_back();
            }
            if (n < 1 || n > 366 || parts.size() != 1 ||
                (unit != "day" && unit != "week" && unit != "month")) {
                r.error("invalid-repeat", at, fmt::format("`every: {}` is not a repetition", *v),
                        "write week, month, day, or e.g. \"2 weeks\"");
                ok = false;
                continue;
            }
            rep.every = n;
            rep.unit = unit == "day"    ? RepeatUnit::day
                       : unit == "week" ? RepeatUnit::week
                                        : RepeatUnit::month;
        } else if (k == "until") {
            const auto day = parse_day(*v);
            if (!day) {
                r.error("invalid-date", at, fmt::format("`until: {}` is not a date", *v),
                        "write it like 2026-12-31");
                ok = false;
                continue;
            }
            rep.until = date::local_days{*day};
        } else if (k == "count") {
            try {
                std::size_t used = 0;
                const int c = std::stoi(*v, &used);
                if (used != v->size() || c < 1 || c > 1000) {
                    throw std::out_of_range("count");
                }
                rep.count = c;
            } catch (const std::exception&) {
                r.error("invalid-repeat", at,
                        fmt::format("`count: {}` must be a number from 1 to 1000", *v));
                ok = false;
            }
        } else {
            r.unknown_key(kv.first, k_repeat_keys, "repeat");
        }
    }
    if (!has_every) {
        r.error("required", rep.pos, "`repeat` needs `every` (day, week, month or \"N days\")");
        return std::nullopt;
    }
    if (!rep.until && !rep.count) {
        r.error("invalid-repeat", rep.pos, "`repeat` needs `until` or `count`, so that it ends",
                "add e.g. `count: 4` or `until: 2026-12-31`");
        return std::nullopt;
    }
    return ok ? std::optional<Repeat>(rep) : std::nullopt;
}

std::optional<PostStatus> parse_status(std::string_view s) {
    if (s == "ready")
        return PostStatus::ready;
    if (s == "draft")
        return PostStatus::draft;
    if (s == "cancelled" || s == "canceled")
        return PostStatus::cancelled;
    return std::nullopt;
}

}  // namespace

bool valid_post_id(std::string_view id) {
    if (id.empty() || id.size() > 100) {
        return false;
    }
    auto ok = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (!first && (c == '-' || c == '_' || c == '.'));
    };
    if (!ok(id[0], true)) {
        return false;
    }
    return std::all_of(id.begin() + 1, id.end(), [&](char c) { return ok(c, false); });
}

std::optional<Post> read_post(const YAML::Node& item, const std::string& file,
                              const WorkspaceConfig& ws, Diagnostics& diags) {
    Reporter r{diags, file, {}};
    if (!item.IsMap()) {
        r.type_error(item, "a post", "a mapping with id, at, channels, ...");
        return std::nullopt;
    }
    Post post;
    post.file = file;
    post.pos = yaml::pos_of(item);
    if (const YAML::Node id = item["id"]; id && id.IsScalar()) {
        r.post_id = id.Scalar();  // findings of this post name it, whatever comes first
    }
    std::vector<std::string> seen;
    std::vector<std::string> suggested;  // what unknown keys were probably meant to be
    std::optional<YAML::Node> at_node;
    for (const auto& kv : item) {
        const std::string& k = kv.first.Scalar();
        const YAML::Node& v = kv.second;
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
            r.error("duplicate-key", yaml::pos_of(kv.first),
                    fmt::format("`{}` is set twice in this post", k));
            continue;
        }
        seen.push_back(k);
        post.key_pos.emplace_back(k, yaml::pos_of(v));
        if (k == "id") {
            if (auto s = yaml::scalar(v, "id", r)) {
                post.id = *s;
                if (!valid_post_id(post.id)) {
                    r.error("invalid-id", yaml::pos_of(v),
                            fmt::format("`{}` is not a valid post id", post.id),
                            "use letters, digits, '-', '_' or '.', e.g. bf-teaser");
                }
            }
        } else if (k == "at") {
            at_node = v;
        } else if (k == "channels") {
            post.channels = yaml::scalar_list(v, "channels", r, &post.channel_pos)
                                .value_or(std::vector<std::string>{});
            if (v.IsSequence() && v.size() == 0) {
                r.error("required", yaml::pos_of(v), "`channels` is empty",
                        "name at least one account from cmtool.yaml");
            }
        } else if (k == "status") {
            if (auto s = yaml::scalar(v, "status", r)) {
                if (auto st = parse_status(*s)) {
                    post.status = *st;
                } else {
                    r.error("invalid-value", yaml::pos_of(v),
                            fmt::format("unknown status `{}`", *s),
                            "use draft, ready or cancelled");
                }
            }
        } else if (k == "category") {
            post.category = yaml::scalar(v, "category", r).value_or("");
        } else if (k == "campaign") {
            post.campaign = yaml::scalar(v, "campaign", r).value_or("");
        } else if (k == "text") {
            post.text = yaml::scalar(v, "text", r).value_or("");
        } else if (k == "link") {
            post.link = yaml::scalar(v, "link", r).value_or("");
            if (!post.link.empty() && post.link.rfind("https://", 0) != 0 &&
                post.link.rfind("http://", 0) != 0) {
                r.error("invalid-value", yaml::pos_of(v),
                        fmt::format("link `{}` is not an http(s) URL", post.link));
            }
        } else if (k == "media") {
            post.media = read_media(v, r).value_or(std::vector<MediaItem>{});
        } else if (k == "thread") {
            post.thread = yaml::scalar_list(v, "thread", r, &post.thread_pos)
                              .value_or(std::vector<std::string>{});
        } else if (k == "variants") {
            if (!v.IsMap()) {
                r.type_error(v, "variants", "a mapping of channel names");
                continue;
            }
            for (const auto& var : v) {
                if (auto parsed = read_variant(var.second, r)) {
                    parsed->pos = yaml::pos_of(var.first);
                    post.variants.emplace(var.first.Scalar(), std::move(*parsed));
                }
            }
        } else if (k == "notes") {
            post.notes = v.IsScalar() ? v.Scalar() : std::string();
        } else if (k == "repeat") {
            post.repeat = read_repeat(v, r);
        } else {
            r.unknown_key(kv.first, k_post_keys, "a post");
            suggested.push_back(did_you_mean(k, k_post_keys));
        }
    }
    for (const char* required : {"id", "at", "channels"}) {
        if (std::find(seen.begin(), seen.end(), required) == seen.end() &&
            std::find(suggested.begin(), suggested.end(), required) == suggested.end()) {
            r.error("required", post.pos, fmt::format("this post has no `{}`", required),
                    required == std::string("at") ? "add e.g. `at: 2026-11-27 09:00`" : "");
        }
    }
    if (at_node) {
        if (auto s = yaml::scalar(*at_node, "at", r)) {
            if (auto t = resolve_time(*s, ws, diags, file, yaml::pos_of(*at_node), post.id)) {
                post.at = *t;
            }
        }
    }
    if (post.id.empty()) {
        return std::nullopt;
    }
    return post;
}

}  // namespace cmtool::calendar
