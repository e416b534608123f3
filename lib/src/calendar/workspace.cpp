// cmtool.yaml: one key table drives loading and validation (docs/calendar.md lists the keys).
#include "cmtool/calendar/workspace.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "cmtool/util/files.hpp"
#include "cmtool/util/strings.hpp"
#include "workspace_watch.hpp"
#include "yaml_util.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;
using yaml::Reporter;

Result<fs::path> find_workspace(const fs::path& start) {
    std::error_code ec;
    fs::path dir = fs::absolute(start, ec);
    if (ec) {
        return fail(ErrorCode::config,
                    fmt::format("cannot resolve {}: {}", start.string(), ec.message()));
    }
    dir = dir.lexically_normal();
    for (fs::path d = dir;; d = d.parent_path()) {
        if (fs::is_regular_file(d / k_workspace_file, ec)) {
            return d;
        }
        if (d == d.root_path() || d.parent_path() == d) {
            break;
        }
    }
    return fail(
        ErrorCode::config,
        fmt::format("no {} found in {} or any parent folder", k_workspace_file, dir.string()),
        "run `cmtool init` to create a workspace, or pass one with `-C DIR`");
}

namespace {

// Keys each platform's account accepts beyond `platform`, `api` and `label`; the first
// `required` ones must be present.
struct AccountKeys {
    Platform platform;
    std::vector<std::string> keys;
    std::size_t required;
};

const std::vector<AccountKeys>& account_keys() {
    static const std::vector<AccountKeys> table = {
        {Platform::mastodon,
         {"instance", "max_characters", "visibility", "language", "timeout_ms"},
         1},
        {Platform::bluesky, {"handle", "service", "language", "timeout_ms"}, 1},
        {Platform::linkedin, {"author", "version", "timeout_ms"}, 1},
        {Platform::x, {"handle", "timeout_ms"}, 0},
        {Platform::instagram, {"user_id", "graph_version", "media_base_url"}, 1},
        {Platform::facebook, {"page_id", "graph_version"}, 1},
        {Platform::threads, {"user_id", "graph_version", "media_base_url"}, 1},
        {Platform::telegram, {"chat_id", "timeout_ms"}, 1},
        {Platform::discord, {"username", "thread_id", "guild_id", "timeout_ms"}, 0},
        {Platform::manual, {"folder", "network"}, 0},
    };
    return table;
}

const AccountKeys& keys_for(Platform p) {
    for (const auto& k : account_keys()) {
        if (k.platform == p) {
            return k;
        }
    }
    return account_keys().back();
}

std::vector<std::string> platform_names() {
    std::vector<std::string> out;
    for (const auto p : all_platforms()) {
        out.emplace_back(platform_name(p));
    }
    return out;
}

bool is_http_url(std::string_view s) {
    return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

void load_account(const YAML::Node& key, const YAML::Node& value, WorkspaceConfig& ws,
                  const Reporter& r) {
    Account acc;
    acc.name = key.Scalar();
    acc.pos = yaml::pos_of(key);
    if (!value.IsMap()) {
        r.type_error(value, fmt::format("accounts.{}", acc.name),
                     "a mapping such as {platform: mastodon, ...}");
        return;
    }
    const YAML::Node platform = value["platform"];
    if (!platform) {
        r.error("required", yaml::pos_of(value),
                fmt::format("account `{}` has no `platform`", acc.name),
                fmt::format("one of: {}", fmt::join(platform_names(), ", ")));
        return;
    }
    const auto pname = yaml::scalar(platform, "platform", r);
    if (!pname) {
        return;
    }
    const auto p = parse_platform(*pname);
    if (!p) {
        const auto guess = did_you_mean(*pname, platform_names());
        r.error("invalid-value", yaml::pos_of(platform),
                fmt::format("unknown platform `{}` for account `{}`", *pname, acc.name),
                guess.empty() ? fmt::format("one of: {}", fmt::join(platform_names(), ", "))
                              : fmt::format("did you mean `{}`?", guess));
        return;
    }
    acc.platform = *p;
    const AccountKeys& spec = keys_for(*p);
    std::vector<std::string> allowed = {"platform", "api", "label"};
    allowed.insert(allowed.end(), spec.keys.begin(), spec.keys.end());
    if (*p == Platform::x || *p == Platform::linkedin || *p == Platform::facebook ||
        *p == Platform::instagram || *p == Platform::threads) {
        // OAuth 2 networks (`auth login`, platforms/oauth.hpp): the app's client id, the
        // authorization host (tests) and the loopback redirect port.
        allowed.insert(allowed.end(), {"client_id", "oauth", "redirect_port"});
    }
    std::vector<std::string> suggested;  // a typo of a required key is reported once, as a typo
    for (const auto& kv : value) {
        const std::string& k = kv.first.Scalar();
        if (k == "platform") {
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
            r.unknown_key(kv.first, allowed, fmt::format("account `{}` ({})", acc.name, *pname));
            suggested.push_back(did_you_mean(k, allowed));
            continue;
        }
        if (auto v = yaml::scalar(kv.second, k, r)) {
            if ((k == "api" || k == "instance" || k == "service") && !is_http_url(*v)) {
                r.error("invalid-value", yaml::pos_of(kv.second),
                        fmt::format("`{}` of account `{}` must be an http(s) URL", k, acc.name));
            }
            acc.settings[k] = *v;
        }
    }
    for (std::size_t i = 0; i < spec.required; ++i) {
        if (acc.settings.count(spec.keys[i]) == 0 &&
            std::find(suggested.begin(), suggested.end(), spec.keys[i]) == suggested.end()) {
            r.error("required", acc.pos,
                    fmt::format("account `{}` ({}) needs `{}`", acc.name, *pname, spec.keys[i]));
        }
    }
    if (ws.find_account(acc.name) != nullptr) {
        r.error("duplicate-key", acc.pos, fmt::format("account `{}` is defined twice", acc.name));
        return;
    }
    ws.accounts.push_back(std::move(acc));
}

std::optional<double> parse_share(std::string_view s) {
    s = util::trim(s);
    bool percent = false;
    if (!s.empty() && s.back() == '%') {
        percent = true;
        s.remove_suffix(1);
    }
    try {
        std::size_t used = 0;
        const double v = std::stod(std::string(s), &used);
        if (used != s.size() || !std::isfinite(v)) {
            return std::nullopt;
        }
        const double share = percent || v > 1.0 ? v / 100.0 : v;
        if (share < 0.0 || share > 1.0) {
            return std::nullopt;
        }
        return share;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void load_category(const YAML::Node& key, const YAML::Node& value, WorkspaceConfig& ws,
                   const Reporter& r) {
    Category cat;
    cat.name = key.Scalar();
    cat.pos = yaml::pos_of(key);
    if (value.IsMap()) {
        for (const auto& kv : value) {
            const std::string& k = kv.first.Scalar();
            if (k == "target") {
                const auto v = yaml::scalar(kv.second, "target", r);
                if (v) {
                    cat.target = parse_share(*v);
                    if (!cat.target) {
                        r.error("invalid-value", yaml::pos_of(kv.second),
                                fmt::format("target `{}` of category `{}` is not a share", *v,
                                            cat.name),
                                "write a percentage such as 40%");
                    }
                }
            } else if (k != "description" && k != "label") {
                r.unknown_key(kv.first, {"target", "description", "label"},
                              fmt::format("category `{}`", cat.name));
            }
        }
    } else if (!value.IsNull()) {
        r.type_error(value, fmt::format("categories.{}", cat.name),
                     "a mapping such as {target: 40%}");
    }
    ws.categories.push_back(std::move(cat));
}

void check_targets(const WorkspaceConfig& ws, const Reporter& r) {
    double sum = 0;
    for (const auto& c : ws.categories) {
        sum += c.target.value_or(0.0);
    }
    if (sum > 1.0001 && !ws.categories.empty()) {
        r.error("invalid-value", ws.categories.front().pos,
                fmt::format("category targets add up to {:.0f}%, more than 100%", sum * 100));
    }
}

void load_utm(const YAML::Node& node, WorkspaceConfig& ws, const Reporter& r) {
    if (!node.IsMap()) {
        r.type_error(node, "utm", "a mapping such as {source: ..., medium: social}");
        return;
    }
    ws.utm.enabled = true;
    ws.utm.medium = "social";
    for (const auto& kv : node) {
        const std::string& k = kv.first.Scalar();
        std::string* target = k == "source"     ? &ws.utm.source
                              : k == "medium"   ? &ws.utm.medium
                              : k == "campaign" ? &ws.utm.campaign
                                                : nullptr;
        if (target == nullptr) {
            r.unknown_key(kv.first, {"source", "medium", "campaign"}, "utm");
        } else if (auto v = yaml::scalar(kv.second, "utm." + k, r)) {
            *target = *v;
        }
    }
}

// One entry per top-level key: the handler loads it into the config and reports problems.
using KeyHandler = std::function<void(const YAML::Node&, WorkspaceConfig&, const Reporter&)>;
struct TopKey {
    std::string name;
    KeyHandler load;
};

void load_duration(const YAML::Node& n, std::string_view key, std::chrono::minutes& out,
                   const Reporter& r) {
    if (auto v = yaml::scalar(n, key, r)) {
        if (auto d = parse_duration(*v)) {
            out = *d;
        } else {
            r.error("invalid-value", yaml::pos_of(n),
                    fmt::format("`{}: {}` is not a duration", key, *v),
                    "write it like 90m, 2h or 1d");
        }
    }
}

const std::vector<TopKey>& top_keys() {
    static const std::vector<TopKey> table = {
        {"version",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (auto v = yaml::scalar(n, "version", r)) {
                 if (*v != "1") {
                     r.error("invalid-value", yaml::pos_of(n),
                             fmt::format("unsupported workspace version `{}`", *v),
                             "this cmtool reads version 1");
                 }
                 ws.version = 1;
             }
         }},
        {"brand", [](const YAML::Node& n, WorkspaceConfig& ws,
                     const Reporter& r) { ws.brand = yaml::scalar(n, "brand", r).value_or(""); }},
        {"timezone",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             const auto v = yaml::scalar(n, "timezone", r);
             if (!v) {
                 return;
             }
             try {
                 ws.zone = date::locate_zone(*v);
                 ws.timezone = *v;
             } catch (const std::exception&) {
                 r.error("unknown-timezone", yaml::pos_of(n),
                         fmt::format("unknown time zone `{}`", *v),
                         "use an IANA name such as Europe/Paris or America/Montreal");
             }
         }},
        {"calendar",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (n.IsScalar()) {
                 ws.calendar = {n.Scalar()};
             } else if (auto v = yaml::scalar_list(n, "calendar", r)) {
                 ws.calendar = *v;
             }
         }},
        {"accounts",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (!n.IsMap()) {
                 r.type_error(n, "accounts", "a mapping of account names");
                 return;
             }
             for (const auto& kv : n) {
                 load_account(kv.first, kv.second, ws, r);
             }
         }},
        {"categories",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (!n.IsMap()) {
                 r.type_error(n, "categories", "a mapping of category names");
                 return;
             }
             for (const auto& kv : n) {
                 load_category(kv.first, kv.second, ws, r);
             }
             check_targets(ws, r);
         }},
        {"lang",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (auto v = yaml::scalar(n, "lang", r)) {
                 if (*v != "fr" && *v != "en") {
                     r.error("invalid-value", yaml::pos_of(n),
                             fmt::format("unsupported language `{}`", *v), "use fr or en");
                 } else {
                     ws.lang = *v;
                 }
             }
         }},
        {"min_spacing",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             load_duration(n, "min_spacing", ws.min_spacing, r);
         }},
        {"max_late", [](const YAML::Node& n, WorkspaceConfig& ws,
                        const Reporter& r) { load_duration(n, "max_late", ws.max_late, r); }},
        {"metrics",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (!n.IsMap()) {
                 r.type_error(n, "metrics", "a mapping such as {lookback: 30d}");
                 return;
             }
             for (const auto& kv : n) {
                 if (kv.first.Scalar() != "lookback") {
                     r.unknown_key(kv.first, {"lookback"}, "metrics");
                     continue;
                 }
                 std::chrono::minutes m{ws.metrics_lookback};
                 load_duration(kv.second, "metrics.lookback", m, r);
                 ws.metrics_lookback = std::chrono::duration_cast<std::chrono::days>(m);
             }
         }},
        {"state_dir",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             ws.state_dir = yaml::scalar(n, "state_dir", r).value_or(ws.state_dir);
         }},
        {"media_base_url",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) {
             if (auto v = yaml::scalar(n, "media_base_url", r)) {
                 if (!is_http_url(*v)) {
                     r.error("invalid-value", yaml::pos_of(n),
                             "`media_base_url` must be an http(s) URL");
                 }
                 ws.media_base_url = *v;
             }
         }},
        {"utm",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) { load_utm(n, ws, r); }},
        {"watch",
         [](const YAML::Node& n, WorkspaceConfig& ws, const Reporter& r) { load_watch(n, ws, r); }},
    };
    return table;
}

}  // namespace

Result<WorkspaceConfig> load_workspace(const fs::path& root, Diagnostics& diags) {
    WorkspaceConfig ws;
    ws.root = fs::absolute(root).lexically_normal();
    ws.zone = date::locate_zone("UTC");
    const fs::path file = ws.root / k_workspace_file;
    auto content = util::read_file(file);
    if (!content) {
        return fail(ErrorCode::config, content.error().message,
                    "run `cmtool init` to create a workspace, or pass one with `-C DIR`");
    }
    const std::string display = k_workspace_file;
    auto doc = yaml::parse(*content, display, diags);
    if (!doc) {
        return fail(ErrorCode::config, fmt::format("{} is not valid YAML", file.string()));
    }
    Reporter r{diags, display, {}};
    if (doc->IsNull()) {
        r.error("required", Pos{1, 1}, "cmtool.yaml is empty",
                "see docs/calendar.md or run `cmtool init`");
        return ws;
    }
    if (!doc->IsMap()) {
        r.type_error(*doc, "cmtool.yaml", "a mapping of settings");
        return ws;
    }
    std::vector<std::string> names;
    for (const auto& k : top_keys()) {
        names.push_back(k.name);
    }
    std::vector<std::string> seen;
    for (const auto& kv : *doc) {
        const std::string& key = kv.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            r.error("duplicate-key", yaml::pos_of(kv.first), fmt::format("`{}` is set twice", key));
            continue;
        }
        seen.push_back(key);
        const auto it = std::find_if(top_keys().begin(), top_keys().end(),
                                     [&](const TopKey& k) { return k.name == key; });
        if (it != top_keys().end()) {
            it->load(kv.second, ws, r);
        } else {
            r.unknown_key(kv.first, names, "cmtool.yaml");
        }
    }
    check_watch_references(ws, r);
    for (const char* required : {"version", "timezone"}) {
        if (std::find(seen.begin(), seen.end(), required) == seen.end()) {
            r.error("required", Pos{1, 1}, fmt::format("cmtool.yaml has no `{}`", required),
                    required == std::string("timezone") ? "add e.g. `timezone: Europe/Paris`"
                                                        : "add `version: 1`");
        }
    }
    return ws;
}

}  // namespace cmtool::calendar
