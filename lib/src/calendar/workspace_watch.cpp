// The `watch:` section of cmtool.yaml (docs/watch.md): one key table per kind of entry drives
// loading and validation, like the rest of the workspace (workspace.cpp).
#include "workspace_watch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace {

using yaml::Reporter;

struct SourceTypeName {
    WatchSourceType type;
    std::string_view name;
    Platform platform;  // manual: no account
};

constexpr SourceTypeName k_source_types[] = {
    {WatchSourceType::mastodon_mentions, "mastodon_mentions", Platform::mastodon},
    {WatchSourceType::mastodon_tag, "mastodon_tag", Platform::mastodon},
    {WatchSourceType::mastodon_search, "mastodon_search", Platform::mastodon},
    {WatchSourceType::bluesky_mentions, "bluesky_mentions", Platform::bluesky},
    {WatchSourceType::bluesky_search, "bluesky_search", Platform::bluesky},
    {WatchSourceType::feed, "feed", Platform::manual},
    {WatchSourceType::file, "file", Platform::manual},
};

std::vector<std::string> names_of(const auto& table) {
    std::vector<std::string> out;
    for (const auto& e : table) {
        out.emplace_back(e.name);
    }
    return out;
}

// A key's loader: reads the value into the entry, reporting problems.
template <class Entry>
using Loader = std::function<void(const YAML::Node&, Entry&, const Reporter&)>;

template <class Entry>
struct Key {
    std::string name;
    Loader<Entry> load;
};

template <class Entry>
void load_keys(const YAML::Node& map, Entry& e, const std::vector<Key<Entry>>& keys,
               const std::string& where, const Reporter& r) {
    std::vector<std::string> names;
    for (const auto& k : keys) {
        names.push_back(k.name);
    }
    for (const auto& kv : map) {
        const std::string& k = kv.first.Scalar();
        const auto it = std::find_if(keys.begin(), keys.end(),
                                     [&](const Key<Entry>& key) { return key.name == k; });
        if (it == keys.end()) {
            r.unknown_key(kv.first, names, where);
        } else {
            it->load(kv.second, e, r);
        }
    }
}

void duration(const YAML::Node& n, std::string_view key, std::chrono::minutes& out,
              const Reporter& r) {
    if (auto v = yaml::scalar(n, key, r)) {
        if (auto d = parse_duration(*v); d && d->count() > 0) {
            out = *d;
        } else {
            r.error("invalid-value", yaml::pos_of(n),
                    fmt::format("`{}: {}` is not a duration", key, *v),
                    "write it like 90m, 2h or 1d");
        }
    }
}

void number(const YAML::Node& n, std::string_view key, double& out, const Reporter& r,
            bool share = false) {
    auto v = yaml::scalar(n, key, r);
    if (!v) {
        return;
    }
    std::string s(util::trim(*v));
    const bool percent = share && !s.empty() && s.back() == '%';
    if (percent) {
        s.pop_back();
    }
    try {
        std::size_t used = 0;
        double d = std::stod(s, &used);
        d = percent ? d / 100.0 : d;
        if (used == s.size() && std::isfinite(d) && d >= 0 && (!share || d <= 1.0)) {
            out = d;
            return;
        }
    } catch (const std::exception&) {
    }
    r.error("invalid-value", yaml::pos_of(n),
            fmt::format("`{}: {}` is not a {}", key, *v, share ? "share" : "positive number"),
            share ? "write a percentage such as 40%" : "write a number such as 3 or 2.5");
}

void count(const YAML::Node& n, std::string_view key, std::size_t& out, const Reporter& r) {
    double d = static_cast<double>(out);
    number(n, key, d, r);
    out = static_cast<std::size_t>(d);
}

void list(const YAML::Node& n, std::string_view key, std::vector<std::string>& out,
          const Reporter& r) {
    if (n.IsScalar()) {
        out = {n.Scalar()};
    } else if (auto v = yaml::scalar_list(n, key, r)) {
        out = *v;
    }
}

void text(const YAML::Node& n, std::string_view key, std::string& out, const Reporter& r) {
    out = yaml::scalar(n, key, r).value_or(out);
}

const std::vector<Key<WatchQueryConfig>>& query_keys() {
    using Q = WatchQueryConfig;
    static const std::vector<Key<Q>> keys = {
        {"terms",
         [](const YAML::Node& n, Q& q, const Reporter& r) { text(n, "terms", q.terms, r); }},
        {"languages",
         [](const YAML::Node& n, Q& q, const Reporter& r) {
             list(n, "languages", q.languages, r);
             for (const auto& l : q.languages) {
                 if (l.size() < 2 || l.size() > 3 || util::to_lower(l) != l) {
                     r.error("invalid-value", yaml::pos_of(n),
                             fmt::format("`{}` is not a language code", l),
                             "use ISO 639-1 codes such as fr, en");
                 }
             }
         }},
        {"sources",
         [](const YAML::Node& n, Q& q, const Reporter& r) { list(n, "sources", q.sources, r); }},
    };
    return keys;
}

const std::vector<Key<WatchSourceConfig>>& source_keys() {
    using S = WatchSourceConfig;
    static const std::vector<Key<S>> keys = {
        {"type",
         [](const YAML::Node& n, S& s, const Reporter& r) {
             const auto v = yaml::scalar(n, "type", r);
             if (!v) {
                 return;
             }
             for (const auto& t : k_source_types) {
                 if (t.name == *v) {
                     s.type = t.type;
                     return;
                 }
             }
             const auto guess = did_you_mean(*v, names_of(k_source_types));
             r.error("invalid-value", yaml::pos_of(n), fmt::format("unknown source type `{}`", *v),
                     guess.empty()
                         ? fmt::format("one of: {}", fmt::join(names_of(k_source_types), ", "))
                         : fmt::format("did you mean `{}`?", guess));
         }},
        {"account",
         [](const YAML::Node& n, S& s, const Reporter& r) { text(n, "account", s.account, r); }},
        {"tag",
         [](const YAML::Node& n, S& s, const Reporter& r) {
             text(n, "tag", s.tag, r);
             if (!s.tag.empty() && s.tag.front() == '#') {
                 s.tag.erase(0, 1);
             }
         }},
        {"url",
         [](const YAML::Node& n, S& s, const Reporter& r) {
             text(n, "url", s.url, r);
             if (s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) {
                 r.error("invalid-value", yaml::pos_of(n), "a feed `url` must be an http(s) URL");
             }
         }},
        {"path", [](const YAML::Node& n, S& s, const Reporter& r) { text(n, "path", s.path, r); }},
        {"max_pages", [](const YAML::Node& n, S& s,
                         const Reporter& r) { count(n, "max_pages", s.max_pages, r); }},
    };
    return keys;
}

const std::vector<Key<WatchRuleConfig>>& rule_keys() {
    using R = WatchRuleConfig;
    static const std::vector<Key<R>> keys = {
        {"type",
         [](const YAML::Node& n, R& rule, const Reporter& r) {
             const auto v = yaml::scalar(n, "type", r).value_or("");
             if (v == "spike") {
                 rule.type = WatchRuleType::spike;
             } else if (v == "negative_share") {
                 rule.type = WatchRuleType::negative_share;
             } else if (v == "keyword") {
                 rule.type = WatchRuleType::keyword;
             } else {
                 const auto guess = did_you_mean(v, {"spike", "negative_share", "keyword"});
                 r.error("invalid-value", yaml::pos_of(n), fmt::format("unknown rule type `{}`", v),
                         guess.empty() ? "one of: spike, negative_share, keyword"
                                       : fmt::format("did you mean `{}`?", guess));
             }
         }},
        {"queries", [](const YAML::Node& n, R& rule,
                       const Reporter& r) { list(n, "queries", rule.queries, r); }},
        {"channels", [](const YAML::Node& n, R& rule,
                        const Reporter& r) { list(n, "channels", rule.channels, r); }},
        {"window", [](const YAML::Node& n, R& rule,
                      const Reporter& r) { duration(n, "window", rule.window, r); }},
        {"cooldown", [](const YAML::Node& n, R& rule,
                        const Reporter& r) { duration(n, "cooldown", rule.cooldown, r); }},
        {"baseline", [](const YAML::Node& n, R& rule,
                        const Reporter& r) { count(n, "baseline", rule.baseline, r); }},
        {"min_count", [](const YAML::Node& n, R& rule,
                         const Reporter& r) { count(n, "min_count", rule.min_count, r); }},
        {"z", [](const YAML::Node& n, R& rule, const Reporter& r) { number(n, "z", rule.z, r); }},
        {"ratio", [](const YAML::Node& n, R& rule,
                     const Reporter& r) { number(n, "ratio", rule.ratio, r); }},
        {"threshold", [](const YAML::Node& n, R& rule,
                         const Reporter& r) { number(n, "threshold", rule.threshold, r, true); }},
        {"words",
         [](const YAML::Node& n, R& rule, const Reporter& r) { list(n, "words", rule.words, r); }},
    };
    return keys;
}

const std::vector<Key<WatchChannelConfig>>& channel_keys() {
    using C = WatchChannelConfig;
    static const std::vector<Key<C>> keys = {
        {"type",
         [](const YAML::Node& n, C& c, const Reporter& r) {
             const auto v = yaml::scalar(n, "type", r).value_or("");
             if (v == "stdout") {
                 c.type = WatchChannelType::stdout_lines;
             } else if (v == "webhook") {
                 c.type = WatchChannelType::webhook;
             } else if (v == "email") {
                 c.type = WatchChannelType::email;
             } else {
                 r.error("invalid-value", yaml::pos_of(n),
                         fmt::format("unknown channel type `{}`", v),
                         "one of: stdout, webhook, email");
             }
         }},
        {"url", [](const YAML::Node& n, C& c, const Reporter& r) { text(n, "url", c.url, r); }},
        {"smtp", [](const YAML::Node& n, C& c, const Reporter& r) { text(n, "smtp", c.url, r); }},
        {"format",
         [](const YAML::Node& n, C& c, const Reporter& r) {
             const auto v = yaml::scalar(n, "format", r).value_or("");
             if (v == "json" || v == "slack" || v == "discord") {
                 c.format = v == "slack"     ? WebhookFormat::slack
                            : v == "discord" ? WebhookFormat::discord
                                             : WebhookFormat::json;
             } else {
                 r.error("invalid-value", yaml::pos_of(n),
                         fmt::format("unknown webhook format `{}`", v),
                         "one of: json, slack, discord");
             }
         }},
        {"from", [](const YAML::Node& n, C& c, const Reporter& r) { text(n, "from", c.from, r); }},
        {"to", [](const YAML::Node& n, C& c, const Reporter& r) { list(n, "to", c.to, r); }},
        {"starttls",
         [](const YAML::Node& n, C& c, const Reporter& r) {
             const auto v = yaml::scalar(n, "starttls", r).value_or("false");
             c.starttls = v == "true" || v == "yes";
         }},
        {"username",
         [](const YAML::Node& n, C& c, const Reporter& r) { text(n, "username", c.username, r); }},
    };
    return keys;
}

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
        require(c.type != WatchChannelType::webhook || !c.url.empty(), r, c.pos,
                owner + " (webhook) needs `url`");
        if (c.type == WatchChannelType::email) {
            require(!c.url.empty(), r, c.pos, owner + " (email) needs `smtp`",
                    "e.g. smtp: smtps://smtp.example.com:465");
            require(!c.from.empty() && !c.to.empty(), r, c.pos,
                    owner + " (email) needs `from` and `to`");
        }
    }
}

}  // namespace cmtool::calendar
