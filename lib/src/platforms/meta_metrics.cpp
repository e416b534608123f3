// The table-driven Meta metrics source (meta_metrics.hpp): posts through GET /?ids= batches with
// insights.metric(...) field expansion (Facebook, Instagram) or one GET /{id}/insights per post
// (Threads); the account's counters; the usage headers as the rate-limit budget.
#include "platforms/meta_metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/meta_graph.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms::meta {

using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds k_timeout{30000};
constexpr int k_page = 25;

const char* counter_name(Counter c) {
    switch (c) {
        case Counter::likes:
            return "likes";
        case Counter::reposts:
            return "reposts";
        case Counter::replies:
            return "replies";
        case Counter::quotes:
            return "quotes";
        case Counter::bookmarks:
            return "bookmarks";
        case Counter::views:
            return "views";
        case Counter::followers:
            return "followers";
        case Counter::following:
            return "following";
        case Counter::posts:
            return "posts";
    }
    return "";
}

bool is_insight(const MetricField& f) {
    return std::string_view(f.field).rfind("insights:", 0) == 0;
}

std::string insight_name(const MetricField& f) {
    return std::string(f.field).substr(9);
}

// The insights metric names of `fields`, comma-separated.
std::string insight_list(const std::vector<MetricField>& fields) {
    std::string out;
    for (const auto& f : fields) {
        if (is_insight(f)) {
            out += (out.empty() ? "" : ",") + insight_name(f);
        }
    }
    return out;
}

std::optional<std::int64_t> number(const json& v) {
    if (v.is_number_integer()) {
        return v.get<std::int64_t>();
    }
    if (v.is_number_float()) {
        return static_cast<std::int64_t>(v.get<double>());
    }
    return std::nullopt;
}

std::optional<std::int64_t> path_int(const json& j, std::string_view dotted) {
    const json* at = &j;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        const auto dot = dotted.find('.', start);
        const std::string key(dotted.substr(start, dot - start));
        if (!at->is_object() || !at->contains(key)) {
            return std::nullopt;
        }
        at = &(*at)[key];
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return number(*at);
}

// {"data": [{"name", "values": [{"value"}]} | {"name", "total_value": {"value"}}]}: an
// unavailable metric is absent or an empty values list, never 0 (§5.2).
std::optional<std::int64_t> insight(const json& data, const std::string& name) {
    if (!data.is_array()) {
        return std::nullopt;
    }
    for (const auto& m : data) {
        if (util::json_string(m, "name") != name) {
            continue;
        }
        if (const auto total = m.find("total_value"); total != m.end() && total->is_object()) {
            if (const auto v = total->find("value"); v != total->end()) {
                return number(*v);
            }
        }
        const auto values = m.find("values");
        if (values != m.end() && values->is_array() && !values->empty()) {
            const auto& last = values->back();
            if (const auto v = last.find("value"); v != last.end()) {
                return number(*v);
            }
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> read_field(const json& object, const json& insights_data,
                                       const MetricField& f) {
    if (is_insight(f)) {
        return insight(insights_data, insight_name(f));
    }
    std::string_view alternatives(f.field);
    while (!alternatives.empty()) {
        const auto bar = alternatives.find('|');
        if (const auto v = path_int(object, alternatives.substr(0, bar))) {
            return v;
        }
        if (bar == std::string_view::npos) {
            break;
        }
        alternatives.remove_prefix(bar + 1);
    }
    return std::nullopt;
}

void set(store::PostCounters& c, Counter which, std::optional<std::int64_t> v) {
    switch (which) {
        case Counter::likes:
            c.likes = v;
            break;
        case Counter::reposts:
            c.reposts = v;
            break;
        case Counter::replies:
            c.replies = v;
            break;
        case Counter::quotes:
            c.quotes = v;
            break;
        case Counter::bookmarks:
            c.bookmarks = v;
            break;
        case Counter::views:
            c.views = v;
            break;
        default:
            break;
    }
}

void set(store::AccountCounters& c, Counter which, std::optional<std::int64_t> v) {
    switch (which) {
        case Counter::followers:
            c.followers = v;
            break;
        case Counter::following:
            c.following = v;
            break;
        case Counter::posts:
            c.posts = v;
            break;
        default:
            break;
    }
}

// The Graph error of an answer as an Answer: throttling codes whatever the status (§5.0), 190
// auth, 1/2 transient; the rest as every source reads it.
Answer classify_meta(const Result<net::HttpResponse>& response, std::string& message,
                     const std::string& what) {
    if (response && response->status != 200) {
        if (const auto e = graph_error(*response)) {
            message =
                fmt::format("{}: HTTP {}: (#{}) {}", what, response->status, e->code, e->message);
            if (is_throttle_code(e->code)) {
                return Answer::rate_limited;
            }
            if (e->code == k_code_expired) {
                return Answer::auth;
            }
            if (is_transient_code(e->code)) {
                return Answer::transient;
            }
        }
    }
    const Answer a = classify_answer(response, message, what);
    return a;
}

bool unknown_object(const net::HttpResponse& r) {
    const auto e = graph_error(r);
    return r.status == 404 || (e && e->code == 100);
}

class MetaMetrics final : public MetricsSource {
  public:
    MetaMetrics(const AdapterContext& ctx, MetricsSpec spec)
        : m_ctx(ctx),
          m_spec(std::move(spec)),
          m_base(graph_base(ctx.account)),
          m_object(ctx.account.get(m_spec.object_setting)) {}

    Platform platform() const override { return m_spec.platform; }
    std::string base_url() const override { return m_base; }

    Result<void> prepare() override {
        if (m_object.empty()) {
            return fail(ErrorCode::config, fmt::format("{} has no `{}` setting", m_ctx.account.name,
                                                       m_spec.object_setting));
        }
        auto t = oauth::access_token(m_ctx);
        if (!t) {
            return fail(std::move(t).error());
        }
        m_token = *t;
        return {};
    }

    Result<void> renew() override {
        auto fresh = oauth::renew(m_ctx, m_token);
        if (!fresh) {
            return fail(std::move(fresh).error());
        }
        m_token = fresh->access_token;
        return {};
    }

    net::HttpRequest account_request() const override {
        if (!m_spec.account_edge.empty()) {
            return request("/" + m_object + m_spec.account_edge,
                           {{"metric", insight_list(m_spec.account)}});
        }
        std::string fields = "id";
        for (const auto& f : m_spec.account) {
            std::string_view alts(f.field);
            while (!alts.empty()) {
                const auto bar = alts.find('|');
                const auto one = alts.substr(0, bar);
                fields += "," + std::string(one.substr(0, one.find('.')));
                if (bar == std::string_view::npos) {
                    break;
                }
                alts.remove_prefix(bar + 1);
            }
        }
        return request("/" + m_object, {{"fields", fields}});
    }

    AccountAnswer read_account(const Result<net::HttpResponse>& response) const override {
        AccountAnswer a;
        a.answer = classify_meta(response, a.message, "GET /" + m_object + m_spec.account_edge);
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object()) {
            a.answer = Answer::failed;
            a.message = "GET /" + m_object + ": malformed answer";
            return a;
        }
        const json data = j.contains("data") ? j["data"] : json::array();
        for (const auto& f : m_spec.account) {
            set(a.counters, f.counter, read_field(j, data, f));
        }
        return a;
    }

    std::size_t batch_size() const override { return m_spec.batch; }

    net::HttpRequest batch_request(const std::vector<std::string>& ids) const override {
        if (m_spec.insights_edge || ids.size() == 1) {
            return single_request(ids.front());
        }
        std::string joined;
        for (const auto& id : ids) {
            joined += (joined.empty() ? "" : ",") + id;
        }
        // Graph's multiple-id lookup: {"<id>": {...}, ...} [C].
        return request("/", {{"ids", joined}, {"fields", post_field_list()}});
    }

    PostsAnswer read_batch(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (m_spec.insights_edge) {
            return read_insights(response, std::nullopt);
        }
        if (response && response->status != 200 && unknown_object(*response)) {
            // One id of the batch no longer exists and Graph refuses the whole batch: one by
            // one from now on, so that the deleted post is told apart.
            a.answer = Answer::unsupported;
            a.message = "GET /?ids=: an id does not exist (a deleted post)";
            return a;
        }
        a.answer = classify_meta(response, a.message, "GET /?ids=");
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object()) {
            a.answer = Answer::failed;
            a.message = "GET /?ids=: malformed answer";
            return a;
        }
        if (j.size() == 1 && j.contains("id")) {  // one id asked: the object itself
            if (auto p = read_post(j)) {
                a.posts.push_back(std::move(*p));
            }
            return a;
        }
        for (const auto& [id, object] : j.items()) {
            if (auto p = read_post(object)) {
                p->remote_id = id;
                a.posts.push_back(std::move(*p));
            }
        }
        return a;
    }

    net::HttpRequest single_request(const std::string& id) const override {
        if (m_spec.insights_edge) {
            return request("/" + net::url_encode(id) + "/insights",
                           {{"metric", insight_list(m_spec.post)}});
        }
        return request("/" + net::url_encode(id), {{"fields", post_field_list()}});
    }

    PostsAnswer read_single(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        if (response && response->status != 200 && unknown_object(*response)) {
            a.answer = Answer::gone;
            return a;
        }
        if (m_spec.insights_edge) {
            return read_insights(response, std::string());
        }
        a.answer = classify_meta(response, a.message, "GET /{post-id}");
        if (a.answer == Answer::ok) {
            if (auto p = read_post(json::parse(response->body, nullptr, false))) {
                a.posts.push_back(std::move(*p));
            } else {
                a.answer = Answer::failed;
                a.message = "GET /{post-id}: malformed answer";
            }
        }
        return a;
    }

    net::HttpRequest timeline_request(const std::optional<std::string>& cursor) const override {
        // Threads lists carry no counters: its unplanned posts are not tracked (the list is
        // read with one item, to check the token, and gives nothing).
        net::FieldList q = {{"fields", m_spec.timeline.empty() ? "id" : post_field_list()},
                            {"limit", m_spec.timeline.empty() ? "1" : std::to_string(k_page)}};
        if (cursor) {
            q.emplace_back("after", *cursor);
        }
        const std::string edge = m_spec.timeline.empty() ? "/threads" : m_spec.timeline;
        return request("/" + m_object + edge, q);
    }

    PostsAnswer read_timeline(const Result<net::HttpResponse>& response) const override {
        PostsAnswer a;
        const std::string what = "GET /" + m_object + m_spec.timeline;
        a.answer = classify_meta(response, a.message, what);
        if (a.answer != Answer::ok || m_spec.timeline.empty()) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            a.answer = Answer::failed;
            a.message = what + ": malformed answer";
            return a;
        }
        for (const auto& item : j["data"]) {
            if (auto p = read_post(item)) {
                a.posts.push_back(std::move(*p));
            }
        }
        a.cursor = next_cursor(j);
        return a;
    }

    net::RateLimit rate_limit(const net::HttpResponse& response, net::SysTime now) const override {
        auto limit = net::parse_meta_rate_limit(response, now);
        if (const auto e = graph_error(response); e && is_throttle_code(e->code)) {
            limit.remaining = 0;
            if (!limit.reset) {
                limit.reset =
                    std::chrono::ceil<std::chrono::seconds>(now) +
                    std::chrono::duration_cast<std::chrono::seconds>(k_default_throttle_wait);
            }
        }
        return limit;
    }

    store::FieldMap post_fields() const override {
        return {std::string(platform_name(m_spec.platform)), field_map(m_spec.post)};
    }
    store::FieldMap account_fields() const override {
        return {std::string(platform_name(m_spec.platform)), field_map(m_spec.account)};
    }

    std::string redact(std::string text) const override {
        return net::redact_text(std::move(text), {m_token});
    }

  private:
    net::HttpRequest request(const std::string& path, net::FieldList query) const {
        query.emplace_back("access_token", m_token);
        net::HttpRequest r;
        r.url = net::append_query(m_base + path, query);
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept", "application/json");
        return r;
    }

    // The fields= of a post: its plain fields, every counter field's top member, and the
    // insights metrics as field expansion.
    std::string post_field_list() const {
        std::string fields = m_spec.post_fields;
        for (const auto& f : m_spec.post) {
            // Plain members only; nested ones (reactions.summary...) are in post_fields with
            // their expansion syntax.
            if (!is_insight(f) &&
                std::string_view(f.field).find_first_of(".|") == std::string_view::npos) {
                fields += "," + std::string(f.field);
            }
        }
        if (const auto metrics = insight_list(m_spec.post); !metrics.empty()) {
            fields += ",insights.metric(" + metrics + ")";
        }
        return fields;
    }

    std::optional<RemotePost> read_post(const json& item) const {
        if (!item.is_object() || util::json_string(item, "id").empty()) {
            return std::nullopt;
        }
        RemotePost p;
        p.remote_id = util::json_string(item, "id");
        p.url = util::json_string(item, m_spec.url_field);
        p.excerpt = excerpt_of(util::json_string(item, m_spec.text_field));
        p.published_at = parse_meta_time(util::json_string(item, m_spec.time_field))
                             .value_or(std::chrono::sys_seconds{});
        json data = json::array();
        if (const auto ins = item.find("insights"); ins != item.end() && ins->is_object()) {
            data = ins->value("data", json::array());
        }
        for (const auto& f : m_spec.post) {
            set(p.counters, f.counter, read_field(item, data, f));
        }
        return p;
    }

    // GET /{id}/insights: data[].id is "<media-id>/insights/<metric>/<period>".
    PostsAnswer read_insights(const Result<net::HttpResponse>& response,
                              std::optional<std::string> /*single*/) const {
        PostsAnswer a;
        a.answer = classify_meta(response, a.message, "GET /{media-id}/insights");
        if (a.answer != Answer::ok) {
            return a;
        }
        const json j = json::parse(response->body, nullptr, false);
        if (!j.is_object() || !j.contains("data") || !j["data"].is_array()) {
            a.answer = Answer::failed;
            a.message = "GET /{media-id}/insights: malformed answer";
            return a;
        }
        RemotePost p;
        for (const auto& m : j["data"]) {
            const std::string id = util::json_string(m, "id");
            if (const auto slash = id.find('/');
                slash != std::string::npos && p.remote_id.empty()) {
                p.remote_id = id.substr(0, slash);
            }
        }
        for (const auto& f : m_spec.post) {
            set(p.counters, f.counter, read_field(json::object(), j["data"], f));
        }
        a.posts.push_back(std::move(p));
        return a;
    }

    AdapterContext m_ctx;
    MetricsSpec m_spec;
    std::string m_base;
    std::string m_object;
    std::string m_token;
};

}  // namespace

std::string field_map(const std::vector<MetricField>& fields) {
    std::vector<MetricField> sorted = fields;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return static_cast<int>(a.counter) < static_cast<int>(b.counter);
    });
    std::string out;
    for (const auto& f : sorted) {
        out += fmt::format("{}{}={}", out.empty() ? "" : ";", counter_name(f.counter), f.field);
    }
    return out;
}

Result<std::unique_ptr<MetricsSource>> make_meta_metrics(const AdapterContext& ctx,
                                                         MetricsSpec spec) {
    if (ctx.account.get(spec.object_setting).empty()) {
        return fail(ErrorCode::config,
                    fmt::format("{} ({}) has no `{}` setting", ctx.account.name,
                                platform_name(ctx.account.platform), spec.object_setting),
                    fmt::format("add `{}: \"...\"` (quoted) to the account in cmtool.yaml",
                                spec.object_setting));
    }
    return std::unique_ptr<MetricsSource>(std::make_unique<MetaMetrics>(ctx, std::move(spec)));
}

}  // namespace cmtool::platforms::meta
