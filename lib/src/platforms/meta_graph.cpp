// The Graph client Facebook, Instagram and Threads share (meta_graph.hpp, platforms.md §5.0).
#include "platforms/meta_graph.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"

namespace cmtool::platforms::meta {

using net::HttpResponse;
using nlohmann::json;

bool is_throttle_code(long code) {
    return code == 4 || code == 17 || code == 32 || code == 613 || code == 80001;
}

bool is_transient_code(long code) {
    return code == 1 || code == 2;
}

std::optional<GraphError> graph_error(const HttpResponse& response) {
    const json j = json::parse(response.body, nullptr, false);
    if (!j.is_object()) {
        return std::nullopt;
    }
    const auto e = j.find("error");
    if (e == j.end() || !e->is_object()) {
        return std::nullopt;
    }
    GraphError g;
    g.code = static_cast<long>(util::json_int(*e, "code").value_or(0));
    g.subcode = static_cast<long>(util::json_int(*e, "error_subcode").value_or(0));
    g.message = util::json_string(*e, "message");
    g.type = util::json_string(*e, "type");
    return g;
}

std::optional<std::chrono::sys_seconds> parse_meta_time(std::string_view text) {
    if (text.size() < 19) {
        return std::nullopt;
    }
    std::string whole(text.substr(0, 19));
    std::string_view zone = text.substr(19);
    if (!zone.empty() && zone.front() == '.') {
        const auto end = zone.find_first_of("Z+-");
        zone = end == std::string_view::npos ? std::string_view() : zone.substr(end);
    }
    if (zone.empty() || zone == "Z") {
        whole += "Z";
    } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
        whole += std::string(zone.substr(0, 3)) + ":" + std::string(zone.substr(3));  // +0000
    } else {
        whole += std::string(zone);
    }
    return net::parse_iso8601(whole);
}

std::string text_for_match(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                continue;
            }
            out += '\n';
            continue;
        }
        out += text[i];
    }
    const auto first = out.find_first_not_of(" \t\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = out.find_last_not_of(" \t\n");
    return out.substr(first, last - first + 1);
}

std::string graph_base(const calendar::Account& account) {
    const bool threads = account.platform == Platform::threads;
    // §5.0 names v25.0 as the latest Graph version; Threads is at v1.0 (§5.3).
    std::string base =
        account.get("api", threads ? "https://graph.threads.net" : "https://graph.facebook.com");
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/" + account.get("graph_version", threads ? "v1.0" : "v25.0");
}

std::string media_base_url(const AdapterContext& ctx) {
    std::string base = ctx.account.get("media_base_url", ctx.ws.media_base_url);
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base;
}

Result<std::string> public_media_url(const AdapterContext& ctx, const MediaFile& media) {
    const std::string base = media_base_url(ctx);
    const std::string network(platform_name(ctx.account.platform));
    if (base.empty()) {
        return fail(ErrorCode::config,
                    fmt::format("{} ({}) fetches media from a public URL, and neither the account "
                                "nor the workspace sets `media_base_url`",
                                ctx.account.name, network),
                    "serve the workspace's media/ folder over https and set `media_base_url: "
                    "https://<where it is served>` in cmtool.yaml (docs/networks/" +
                        network + ".md)");
    }
    std::string rel = media.file;
    for (char& c : rel) {
        c = c == '\\' ? '/' : c;
    }
    if (rel.rfind("./", 0) == 0) {
        rel = rel.substr(2);
    }
    if (rel.rfind("media/", 0) != 0) {
        return fail(
            ErrorCode::config,
            fmt::format("{}: only files under media/ are served at media_base_url", media.file),
            "move the file into the workspace's media/ folder");
    }
    rel = rel.substr(6);
    std::string encoded;
    std::size_t start = 0;
    while (start <= rel.size()) {
        const auto slash = rel.find('/', start);
        encoded += net::url_encode(rel.substr(start, slash - start));
        if (slash == std::string::npos) {
            break;
        }
        encoded += '/';
        start = slash + 1;
    }
    return base + "/" + encoded;
}

std::optional<std::string> next_cursor(const json& page) {
    const auto paging = page.find("paging");
    if (paging == page.end() || !paging->is_object() || !paging->contains("next")) {
        return std::nullopt;
    }
    const auto cursors = paging->find("cursors");
    if (cursors == paging->end() || !cursors->is_object()) {
        return std::nullopt;
    }
    const std::string after = util::json_string(*cursors, "after");
    return after.empty() ? std::nullopt : std::optional<std::string>(after);
}

// ---------------------------------------------------------------- client

GraphClient::GraphClient(const AdapterContext& ctx, std::string base)
    : m_ctx(ctx), m_base(std::move(base)) {}

Result<std::string> GraphClient::token() {
    if (m_token) {
        return *m_token;
    }
    auto t = oauth::access_token(m_ctx);
    if (!t) {
        return fail(std::move(t).error());
    }
    m_token = *t;
    return *m_token;
}

Result<HttpResponse> GraphClient::send(
    const std::function<net::HttpRequest(const std::string&)>& make, net::Retryable retryable) {
    auto tok = token();
    if (!tok) {
        return fail(std::move(tok).error());
    }
    const auto now = m_ctx.clock.now();
    if (m_rate.remaining && *m_rate.remaining <= 0 && m_rate.reset && *m_rate.reset > now) {
        return fail(ErrorCode::rate_limited,
                    fmt::format("Meta's usage headers say the budget is spent until {:%FT%TZ}",
                                *m_rate.reset),
                    "cmtool retries after that time");
    }
    auto r = net::send_with_retry(m_ctx.http, make(*tok), m_policy, m_ctx.sleeper, m_ctx.clock,
                                  retryable);
    if (r) {
        if (const auto limit = net::parse_meta_rate_limit(*r, m_ctx.clock.now()); !limit.empty()) {
            m_rate = limit;
        }
        const auto e = graph_error(*r);
        if (e && e->code == k_code_expired && !m_renewed) {
            // Expired or invalidated (§5.0, §8): renew once, retry once. A refused token was
            // not acted on, so repeating even a write is safe.
            m_renewed = true;
            auto fresh = oauth::renew(m_ctx, *tok);
            if (fresh) {
                m_token = fresh->access_token;
                r = net::send_with_retry(m_ctx.http, make(*m_token), m_policy, m_ctx.sleeper,
                                         m_ctx.clock, retryable);
                if (r) {
                    if (const auto limit = net::parse_meta_rate_limit(*r, m_ctx.clock.now());
                        !limit.empty()) {
                        m_rate = limit;
                    }
                }
            }
        }
    }
    return r;
}

Result<HttpResponse> GraphClient::get(const std::string& path, net::FieldList query) {
    return send(
        [&](const std::string& tok) {
            net::HttpRequest req;
            net::FieldList q = query;
            q.emplace_back("access_token", tok);
            req.url = net::append_query(m_base + path, q);
            req.headers.emplace_back("Accept", "application/json");
            return req;
        },
        net::Retryable::yes);
}

Result<HttpResponse> GraphClient::post(const std::string& path, net::FieldList fields,
                                       net::Retryable retryable) {
    return send(
        [&](const std::string& tok) {
            net::HttpRequest req;
            req.method = "POST";
            req.url = m_base + path;
            req.headers.emplace_back("Accept", "application/json");
            net::FieldList f = fields;
            f.emplace_back("access_token", tok);
            net::set_form_body(req, f);
            return req;
        },
        retryable);
}

Result<HttpResponse> GraphClient::post_multipart(const std::string& path, net::MultipartForm form,
                                                 net::Retryable retryable) {
    return send(
        [&](const std::string& tok) {
            net::HttpRequest req;
            req.method = "POST";
            req.url = m_base + path;
            req.timeout = std::chrono::seconds(120);
            req.headers.emplace_back("Accept", "application/json");
            net::MultipartForm f = form;
            f.add_text("access_token", tok);
            net::set_multipart_body(req, f);
            return req;
        },
        retryable);
}

// ---------------------------------------------------------------- outcomes

std::string GraphClient::redact(std::string text) const {
    return redact_secrets(m_ctx.credentials, std::move(text), {m_token.value_or("")});
}

std::string GraphClient::token_hint() const {
    return fmt::format("the token was refused: run `cmtool auth login {}` (or set {})",
                       m_ctx.account.name,
                       credential_env_name(m_ctx.account.name, oauth::k_kind_token));
}

std::string GraphClient::describe(const std::string& what, const HttpResponse& response) const {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    if (const auto e = graph_error(response)) {
        text += fmt::format(": (#{}", e->code);
        if (e->subcode != 0) {
            text += fmt::format("/{}", e->subcode);
        }
        text += ") " + e->message;
    }
    return redact(text);
}

PublishResult GraphClient::result(Outcome outcome, const std::string& message,
                                  std::string hint) const {
    PublishResult r;
    r.outcome = outcome;
    r.message = redact(message);
    r.hint = redact(std::move(hint));
    return r;
}

PublishResult GraphClient::failure(const Result<HttpResponse>& response, const std::string& what,
                                   Step step) const {
    constexpr const char* k_maybe = "the post may exist; cmtool looks it up before any retry";
    if (!response) {
        const Error& e = response.error();
        const auto v = transport_verdict(
            e, step == Step::create ? MayHavePublished::yes : MayHavePublished::no, k_maybe);
        PublishResult r = result(v.outcome, what + ": " + e.message, v.hint);
        if (v.outcome == Outcome::rate_limited) {
            r.retry_at = m_rate.reset;
        }
        return r;
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    const auto e = graph_error(res);
    if (res.status == 429 || (e && is_throttle_code(e->code))) {
        // Throttled by code whatever the status (§5.0): refused, not processed.
        PublishResult r = result(Outcome::rate_limited, message);
        const auto now = std::chrono::ceil<std::chrono::seconds>(m_ctx.clock.now());
        const auto limit = net::parse_meta_rate_limit(res, m_ctx.clock.now());
        r.retry_at = limit.reset ? *limit.reset : now + k_default_throttle_wait;
        if (const auto after = net::retry_after(res, m_ctx.clock.now())) {
            r.retry_at = std::chrono::ceil<std::chrono::seconds>(m_ctx.clock.now() + *after);
        }
        r.hint = "Meta throttles this app or account; cmtool retries after that time";
        return r;
    }
    if (e && e->code == k_code_expired) {
        return result(Outcome::permanent_failure, message, token_hint());
    }
    if (e && (e->code == 10 || (e->code >= 200 && e->code <= 299))) {
        return result(Outcome::permanent_failure, message,
                      "a permission is missing: docs/networks/" +
                          std::string(platform_name(m_ctx.account.platform)) +
                          ".md lists the ones cmtool asks for");
    }
    if (res.status >= 500 || (e && is_transient_code(e->code))) {
        return step == Step::create ? result(Outcome::unknown, message, k_maybe)
                                    : result(Outcome::transient_failure, message);
    }
    if (res.status == 408) {
        return result(Outcome::transient_failure, message);
    }
    return result(Outcome::permanent_failure, message);
}

Error GraphClient::as_error(const Result<HttpResponse>& response, const std::string& what) const {
    if (!response) {
        const Error& e = response.error();
        return Error{e.code, redact(what + ": " + e.message), redact(e.hint)};
    }
    const HttpResponse& res = *response;
    const std::string message = describe(what, res);
    const auto e = graph_error(res);
    if (res.status == 429 || (e && is_throttle_code(e->code))) {
        return Error{ErrorCode::rate_limited, message, "Meta throttles this app; try later"};
    }
    if (res.status == 401 || (e && e->code == k_code_expired)) {
        return Error{ErrorCode::auth, message, token_hint()};
    }
    if (res.status >= 500 || res.status == 408 || (e && is_transient_code(e->code))) {
        return Error{ErrorCode::network, message, {}};
    }
    return Error{ErrorCode::unavailable, message, {}};
}

// ---------------------------------------------------------------- lookup

Result<TextMatch> find_by_text(GraphClient& graph, const std::string& path, net::FieldList query,
                               const char* text_field, const char* time_field,
                               const std::string& expected, std::chrono::sys_seconds since) {
    constexpr int k_max_pages = 5;  // 5 x 50 items: far more than one run posts
    TextMatch out;
    const std::string want = text_for_match(expected);
    query.emplace_back("limit", "50");
    std::optional<std::string> after;
    std::optional<json> oldest;
    bool complete = false;
    int pages = 0;
    std::size_t seen = 0;
    std::string trouble;
    while (!complete && pages < k_max_pages) {
        net::FieldList q = query;
        if (after) {
            q.emplace_back("after", *after);
        }
        const auto r = graph.get(path, q);
        ++pages;
        const json page = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
        const auto data = page.is_object() ? page.find("data") : page.end();
        if (!page.is_object() || data == page.end() || !data->is_array()) {
            const Error e = r && r->status == 200
                                ? Error{ErrorCode::parse, "GET " + path + ": malformed answer", {}}
                                : graph.as_error(r, "GET " + path);
            if (e.code == ErrorCode::auth || e.code == ErrorCode::config) {
                return fail(e);
            }
            trouble = e.message;
            break;
        }
        for (const json& item : *data) {
            ++seen;
            const auto created = parse_meta_time(util::json_string(item, time_field));
            if (created && *created < since) {
                complete = true;  // newest first: the rest is older still
                continue;
            }
            if (text_for_match(util::json_string(item, text_field)) == want) {
                oldest = item;
            }
        }
        after = next_cursor(page);
        if (!after || data->empty()) {
            complete = true;
        }
    }
    out.how = fmt::format("{} match in GET {} ({} items on {} page(s), since {:%FT%TZ})",
                          text_field, path, seen, pages, since);
    if (!trouble.empty()) {
        out.how += "; " + trouble;
    }
    if (oldest) {
        out.found = Found::yes;
        out.item = *oldest;
    } else if (complete) {
        out.found = Found::no;
    }
    return out;
}

Result<void> require_token(const AdapterContext& ctx, std::string_view what) {
    auto tokens = oauth::load_tokens(ctx.credentials, ctx.account);
    if (!tokens) {
        return fail(std::move(tokens).error());
    }
    if (!*tokens) {
        return fail(ErrorCode::config, fmt::format("no {} for {}", what, ctx.account.name),
                    fmt::format("run `cmtool auth login {}`, or set {}", ctx.account.name,
                                credential_env_name(ctx.account.name, "token")));
    }
    return {};
}

Result<AccountInfo> GraphClient::verify_user(const std::string& user,
                                             const std::string& profile_prefix) {
    const std::string what = "GET /" + user;
    const auto r = get("/" + user, {{"fields", "id,username,name"}});
    if (!r || r->status != 200) {
        return fail(as_error(r, what));
    }
    const nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
    AccountInfo info;
    info.id = util::json_string(j, "id");
    if (info.id.empty()) {
        return fail(ErrorCode::parse, what + ": malformed answer (no id)");
    }
    const std::string username = util::json_string(j, "username");
    info.handle = "@" + username;
    info.display_name = util::json_string(j, "name");
    info.url = profile_prefix + username;
    return info;
}

}  // namespace cmtool::platforms::meta
