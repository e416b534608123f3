// The `watch:` section of cmtool.yaml (docs/watch.md): one key table per kind of entry drives
// loading and validation, like the rest of the workspace (workspace.cpp).
#include "workspace_watch.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/util/strings.hpp"
#include "workspace_watch_keys.hpp"

namespace cmtool::calendar {

namespace {

using yaml::Reporter;

using namespace watch_keys;

// Loads each `name: {...}` entry of a section with its key table.
template <class Entry>
void load_entries(const YAML::Node& node, const std::string& section,
                  const std::vector<Key<Entry>>& keys, std::vector<Entry>& out, const Reporter& r) {
    if (!node.IsMap()) {
        r.type_error(node, "watch." + section, "a mapping of names");
        return;
    }
    for (const auto& kv : node) {
        Entry e;
        e.name = kv.first.Scalar();
        e.pos = yaml::pos_of(kv.first);
        if (!kv.second.IsMap()) {
            r.type_error(kv.second, fmt::format("watch.{}.{}", section, e.name), "a mapping");
            continue;
        }
        load_keys(kv.second, e, keys, fmt::format("watch.{}.{}", section, e.name), r);
        out.push_back(std::move(e));
    }
}

void require(bool ok, const Reporter& r, Pos pos, std::string message, std::string hint = {}) {
    if (!ok) {
        r.error("required", pos, std::move(message), std::move(hint));
    }
}

void check_reference(const std::vector<std::string>& refs, const std::vector<std::string>& known,
                     std::string_view what, const std::string& owner, Pos pos, const Reporter& r) {
    for (const auto& ref : refs) {
        if (std::find(known.begin(), known.end(), ref) == known.end()) {
            const auto guess = did_you_mean(ref, known);
            r.error("unknown-reference", pos,
                    fmt::format("{} uses unknown {} `{}`", owner, what, ref),
                    guess.empty() ? fmt::format("define it under watch.{}s", what)
                                  : fmt::format("did you mean `{}`?", guess));
        }
    }
}

}  // namespace

const WatchSourceConfig* WatchConfig::find_source(std::string_view name) const {
    const auto it = std::find_if(sources.begin(), sources.end(),
                                 [&](const WatchSourceConfig& s) { return s.name == name; });
    return it == sources.end() ? nullptr : &*it;
}

std::string_view watch_source_type_name(WatchSourceType t) {
    for (const auto& e : k_source_types) {
        if (e.type == t) {
            return e.name;
        }
    }
    return "feed";
}

void load_watch(const YAML::Node& node, WorkspaceConfig& ws, const Reporter& r) {
    if (!node.IsMap()) {
        r.type_error(node, "watch", "a mapping with queries, sources, rules and channels");
        return;
    }
    WatchConfig& w = ws.watch;
    w.present = true;
    for (const auto& kv : node) {
        const std::string& k = kv.first.Scalar();
        if (k == "queries") {
            load_entries(kv.second, k, query_keys(), w.queries, r);
        } else if (k == "sources") {
            load_entries(kv.second, k, source_keys(), w.sources, r);
        } else if (k == "rules") {
            load_entries(kv.second, k, rule_keys(), w.rules, r);
        } else if (k == "channels") {
            load_entries(kv.second, k, channel_keys(), w.channels, r);
        } else if (k == "group_window") {
            duration(kv.second, "watch.group_window", w.group_window, r);
        } else {
            r.unknown_key(kv.first, {"queries", "sources", "rules", "channels", "group_window"},
                          "watch");
        }
    }
}

void check_watch_references(const WorkspaceConfig& ws, const Reporter& r) {
    const WatchConfig& w = ws.watch;
    const auto sources = names_of(w.sources);
    const auto queries = names_of(w.queries);
    const auto channels = names_of(w.channels);
    for (const auto& q : w.queries) {
        const std::string owner = fmt::format("query `{}`", q.name);
        require(!util::trim(q.terms).empty(), r, q.pos, owner + " has no `terms`");
        require(!q.sources.empty(), r, q.pos, owner + " has no `sources`");
        check_reference(q.sources, sources, "source", owner, q.pos, r);
    }
    for (const auto& s : w.sources) {
        const std::string owner = fmt::format("source `{}`", s.name);
        const auto& t = *std::find_if(std::begin(k_source_types), std::end(k_source_types),
                                      [&](const SourceTypeName& n) { return n.type == s.type; });
        if (t.platform != Platform::manual) {
            const Account* a = ws.find_account(s.account);
            require(!s.account.empty(), r, s.pos, owner + " needs `account`",
                    fmt::format("name a {} account of `accounts`", platform_name(t.platform)));
            if (a != nullptr && a->platform != t.platform) {
                r.error(
                    "invalid-value", s.pos,
                    fmt::format("{} ({}) needs a {} account, `{}` is {}", owner, t.name,
                                platform_name(t.platform), s.account, platform_name(a->platform)));
            } else if (a == nullptr && !s.account.empty()) {
                check_reference({s.account}, names_of(ws.accounts), "account", owner, s.pos, r);
            }
        }
        require(s.type != WatchSourceType::mastodon_tag || !s.tag.empty(), r, s.pos,
                owner + " (mastodon_tag) needs `tag`");
        require(s.type != WatchSourceType::feed || !s.url.empty(), r, s.pos,
                owner + " (feed) needs `url`");
        require(s.type != WatchSourceType::file || !s.path.empty(), r, s.pos,
                owner + " (file) needs `path`");
    }
    for (const auto& rule : w.rules) {
        const std::string owner = fmt::format("rule `{}`", rule.name);
        check_reference(rule.queries, queries, "query", owner, rule.pos, r);
        check_reference(rule.channels, channels, "channel", owner, rule.pos, r);
        require(rule.type != WatchRuleType::keyword || !rule.words.empty(), r, rule.pos,
                owner + " (keyword) needs `words`");
    }
    for (const auto& c : w.channels) {
        const std::string owner = fmt::format("channel `{}`", c.name);
        if (c.type == WatchChannelType::email) {
            require(!c.url.empty(), r, c.pos, owner + " (email) needs `smtp`",
                    "e.g. smtp: smtps://smtp.example.com:465");
            require(!c.from.empty() && !c.to.empty(), r, c.pos,
                    owner + " (email) needs `from` and `to`");
        }
    }
}

}  // namespace cmtool::calendar
