// Meta's login step (meta_login.hpp): long-lived tokens and the Page token.
#include "platforms/meta_login.hpp"

#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/meta_graph.hpp"

namespace cmtool::platforms::meta {

using nlohmann::json;
using oauth::TokenSet;

namespace {

std::chrono::sys_seconds now_of(const AdapterContext& ctx) {
    return std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
}

// GET with the token as a parameter; the answer's JSON, or the Graph error as (auth/network).
Result<json> graph_get(const AdapterContext& ctx, const std::string& url, const std::string& what) {
    net::HttpRequest req;
    req.url = url;
    req.headers.emplace_back("Accept", "application/json");
    const auto r = ctx.http.send(req);
    if (!r) {
        return fail(ErrorCode::network, what + ": " + r.error().message);
    }
    if (r->status != 200) {
        const auto e = graph_error(*r);
        return fail(r->status >= 500 ? ErrorCode::network : ErrorCode::auth,
                    fmt::format("{}: HTTP {}{}", what, r->status,
                                e ? fmt::format(": (#{}) {}", e->code, e->message) : ""));
    }
    json j = json::parse(r->body, nullptr, false);
    if (!j.is_object()) {
        return fail(ErrorCode::parse, what + ": malformed answer");
    }
    return j;
}

// fb_exchange_token (§5.0 [V]): the long-lived user token (about 60 days).
Result<TokenSet> long_lived_facebook(const AdapterContext& ctx, const TokenSet& short_lived) {
    const auto provider = oauth::provider_for(ctx.account);
    auto secret = ctx.credentials.get(ctx.account, oauth::k_kind_client_secret);
    if (!secret) {
        return fail(std::move(secret).error());
    }
    if (!provider || !*secret || (*secret)->empty()) {
        return fail(ErrorCode::config, "the app secret is needed to get a long-lived Meta token",
                    "set " + credential_env_name(ctx.account.name, oauth::k_kind_client_secret));
    }
    const auto req =
        oauth::renewal_request(*provider, ctx.account.get("client_id"), **secret, short_lived);
    if (!req) {
        return fail(ErrorCode::config, "no fb_exchange_token request for " + ctx.account.name);
    }
    return oauth::read_token_answer(ctx.http.send(*req), now_of(ctx));
}

// th_exchange_token (§5.3 [C: denim exchangeToken.ts]):
// GET <api>/access_token?grant_type=th_exchange_token&client_secret=&access_token=
Result<TokenSet> long_lived_threads(const AdapterContext& ctx, const TokenSet& short_lived) {
    auto secret = ctx.credentials.get(ctx.account, oauth::k_kind_client_secret);
    if (!secret) {
        return fail(std::move(secret).error());
    }
    if (!*secret || (*secret)->empty()) {
        return fail(ErrorCode::config, "the app secret is needed to get a long-lived Threads token",
                    "set " + credential_env_name(ctx.account.name, oauth::k_kind_client_secret));
    }
    std::string api = ctx.account.get("api", "https://graph.threads.net");
    while (!api.empty() && api.back() == '/') {
        api.pop_back();
    }
    net::HttpRequest req;
    req.url =
        net::append_query(api + "/access_token", {{"grant_type", "th_exchange_token"},
                                                  {"client_secret", **secret},
                                                  {"access_token", short_lived.access_token}});
    return oauth::read_token_answer(ctx.http.send(req), now_of(ctx));
}

// The Page's token out of GET /me/accounts (paged, at most 10 pages of 100).
Result<TokenSet> page_token(const AdapterContext& ctx, const TokenSet& user) {
    const std::string page_id = ctx.account.get("page_id");
    const std::string base = graph_base(ctx.account);
    std::vector<std::string> seen;
    std::optional<std::string> after;
    for (int page = 0; page < 10; ++page) {
        net::FieldList q = {{"fields", "id,name,access_token"},
                            {"limit", "100"},
                            {"access_token", user.access_token}};
        if (after) {
            q.emplace_back("after", *after);
        }
        auto j = graph_get(ctx, net::append_query(base + "/me/accounts", q), "GET /me/accounts");
        if (!j) {
            return fail(std::move(j).error());
        }
        const auto data = j->find("data");
        if (data != j->end() && data->is_array()) {
            for (const auto& p : *data) {
                const std::string id = util::json_string(p, "id");
                if (id == page_id && !util::json_string(p, "access_token").empty()) {
                    TokenSet t;
                    t.access_token = util::json_string(p, "access_token");
                    t.issued_at = now_of(ctx);  // no expiry: a Page token from a long-lived
                    t.scope = user.scope;       // user token does not expire (§5.0 [C])
                    return t;
                }
                seen.push_back(util::json_string(p, "name") + " (" + id + ")");
            }
        }
        after = next_cursor(*j);
        if (!after) {
            break;
        }
    }
    std::string list;
    for (const auto& s : seen) {
        list += (list.empty() ? "" : ", ") + s;
    }
    return fail(ErrorCode::config,
                fmt::format("the Facebook user who logged in manages no Page with id {}", page_id),
                seen.empty()
                    ? std::string("log in as a user with a role on the Page")
                    : "Pages this user manages: " + list + "; set `page_id` to one of them");
}

// The IG user must be readable with the token (a Page linked to it, managed by the user).
Result<void> reaches_ig_user(const AdapterContext& ctx, const TokenSet& user) {
    const std::string ig = ctx.account.get("user_id");
    auto j = graph_get(ctx,
                       net::append_query(graph_base(ctx.account) + "/" + ig,
                                         {{"fields", "id"}, {"access_token", user.access_token}}),
                       "GET /" + ig);
    if (!j) {
        Error e = std::move(j).error();
        e.code = e.code == ErrorCode::network ? e.code : ErrorCode::config;
        e.hint =
            "the Instagram account must be a professional account linked to a Facebook Page "
            "that the user who logged in manages (docs/networks/instagram.md)";
        return fail(std::move(e));
    }
    return {};
}

}  // namespace

Result<TokenSet> finish_meta_login(const AdapterContext& ctx, TokenSet exchanged) {
    const std::vector<std::string> secrets = {exchanged.access_token};
    if (ctx.account.platform == Platform::threads) {
        auto t = long_lived_threads(ctx, exchanged);
        return t ? std::move(t) : fail(net::redact_error(std::move(t).error(), secrets));
    }
    auto user = long_lived_facebook(ctx, exchanged);
    if (!user) {
        return fail(net::redact_error(std::move(user).error(), secrets));
    }
    std::vector<std::string> all = secrets;
    all.push_back(user->access_token);
    if (ctx.account.platform == Platform::facebook) {
        auto page = page_token(ctx, *user);
        return page ? std::move(page) : fail(net::redact_error(std::move(page).error(), all));
    }
    if (auto ok = reaches_ig_user(ctx, *user); !ok) {
        return fail(net::redact_error(std::move(ok).error(), all));
    }
    return user;
}

}  // namespace cmtool::platforms::meta
