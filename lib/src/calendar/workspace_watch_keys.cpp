// The key tables of the `watch:` section (workspace_watch_keys.hpp): what each key of a query,
// source, rule or channel accepts, and the finding when it is something else.
#include "workspace_watch_keys.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cmtool/util/strings.hpp"

namespace cmtool::calendar::watch_keys {

namespace {

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

}  // namespace

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
             if (v->rfind("linkedin", 0) == 0) {
                 // No search or mentions API for ordinary LinkedIn apps (platforms.md §3.6).
                 r.error("invalid-value", yaml::pos_of(n),
                         fmt::format("watch source type `{}`: LinkedIn cannot be watched (it "
                                     "offers no search or mentions API to ordinary apps)",
                                     *v),
                         "remove this source; docs/networks/linkedin.md#watch says why");
                 return;
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

}  // namespace cmtool::calendar::watch_keys
