#include "bluesky_routes.hpp"

#include <cstdlib>

#include "bluesky_text.hpp"

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
using std::chrono::system_clock;

enum class Need { none, optional, access };
using Fn = std::function<void(const Request&, Response&, const std::string& did)>;

void write(Response& res, const Reply& reply) {
    send_json(res, reply.status, reply.body);
}

// rate-limiter-http.ts: RateLimit-Limit/Remaining, epoch-seconds Reset, Policy "<n>;w=<s>".
void rate_headers(Response& res, const RateInfo& rate) {
    res.set_header("RateLimit-Limit", std::to_string(rate.limit));
    res.set_header("RateLimit-Remaining", std::to_string(rate.remaining));
    res.set_header("RateLimit-Reset", std::to_string(system_clock::to_time_t(rate.reset)));
    res.set_header("RateLimit-Policy",
                   std::to_string(rate.limit) + ";w=" + std::to_string(rate.window_s));
}

void too_many(Response& res, const RateInfo& rate, bool with_retry_after) {
    send_json(res, 429, {{"error", "RateLimitExceeded"}, {"message", "Rate Limit Exceeded"}});
    if (with_retry_after) {
        const auto wait = std::chrono::ceil<std::chrono::seconds>(rate.reset - system_clock::now());
        res.set_header("Retry-After", std::to_string(std::max<long long>(0, wait.count())));
    }
}

std::optional<std::string> bearer(const Request& req) {
    if (!req.has_header("Authorization")) {
        return std::nullopt;
    }
    const std::string value = req.get_header_value("Authorization");
    return value.starts_with("Bearer ") ? value.substr(7) : std::string();
}

std::vector<std::string> values(const Request& req, const char* name) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < req.get_param_value_count(name); ++i) {
        out.push_back(req.get_param_value(name, i));
    }
    return out;
}

// Rate limiting, then auth, in front of every XRPC handler.
httplib::Server::Handler xrpc(FakeServer& server, BlueskyState& state, Need need, Fn fn) {
    return server.api([&state, need, fn = std::move(fn)](const Request& req, Response& res) {
        const RateInfo rate = state.consume(req.remote_addr, true);
        rate_headers(res, rate);
        if (rate.exceeded) {
            too_many(res, rate, true);
            return;
        }
        std::string did;
        const auto token = bearer(req);
        if (need == Need::access || (need == Need::optional && token)) {
            Auth auth = state.access(token);
            if (auth.refused) {
                write(res, *auth.refused);
                return;
            }
            did = auth.did;
        }
        fn(req, res, did);
    });
}

// Required string params: the lexicon's "Params must have the property" error when missing.
bool require(const Request& req, Response& res, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (!req.has_param(name) || req.get_param_value(name).empty()) {
            write(res,
                  xrpc_error(400, "InvalidRequest",
                             std::string("Error: Params must have the property \"") + name + "\""));
            return false;
        }
    }
    return true;
}

std::optional<Query> query_of(const Request& req, Response& res, std::size_t fallback) {
    Query q;
    q.limit = fallback;
    q.cursor = req.get_param_value("cursor");
    if (req.has_param("limit")) {
        const long limit = std::atol(req.get_param_value("limit").c_str());
        if (limit < 1 || limit > 100) {
            write(res, xrpc_error(400, "InvalidRequest",
                                  limit < 1 ? "Error: limit can not be less than 1"
                                            : "Error: limit can not be greater than 100"));
            return std::nullopt;
        }
        q.limit = static_cast<std::size_t>(limit);
    }
    return q;
}

void install_admin_routes(FakeServer& server, BlueskyState& s) {
    server.Get("/__admin/records", server.admin([&s](const Json&, Response& res) {
        send_json(res, 200, s.all_records());
    }));
    server.Get("/__admin/accounts", server.admin([&s](const Json&, Response& res) {
        send_json(res, 200, s.accounts_json());
    }));
    server.Post("/__admin/expire_tokens", server.admin([&s](const Json& body, Response& res) {
        write(res, s.expire_tokens(body));
    }));
    server.Post("/__admin/engagement", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_engagement(body));
    }));
    server.Post("/__admin/profile", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_profile(body));
    }));
    server.Post("/__admin/search_auth", server.admin([&s](const Json& body, Response& res) {
        s.set_search_auth_required(body.value("required", true));
        send_json(res, 200, {{"required", s.search_auth_required()}});
    }));
}

}  // namespace

void install_bluesky_routes(FakeServer& server, BlueskyState& state) {
    auto& s = state;
    server.set_rate_limited_reply([&s](const Request& req, Response& res) {
        RateInfo rate = s.consume(req.remote_addr, false);
        rate.remaining = 0;
        rate_headers(res, rate);
        too_many(res, rate, false);  // Retry-After comes from the fault's retry_after
    });
    server.Post(
        "/xrpc/com.atproto.server.createSession",
        xrpc(server, s, Need::none, [&s](const Request& req, Response& res, const std::string&) {
            const Json body = Json::parse(req.body, nullptr, false);
            const RateInfo rate = s.consume_session(json_str(body, "identifier"));
            rate_headers(res, rate);  // the stricter per-identifier budget (§2.1)
            if (rate.exceeded) {
                too_many(res, rate, true);
                return;
            }
            write(res, s.create_session(body));
        }));
    server.Post(
        "/xrpc/com.atproto.server.refreshSession",
        xrpc(server, s, Need::none, [&s](const Request& req, Response& res, const std::string&) {
            write(res, s.refresh_session(bearer(req)));
        }));
    server.Get(
        "/xrpc/com.atproto.server.getSession",
        xrpc(server, s, Need::access, [&s](const Request&, Response& res, const std::string& did) {
            write(res, s.get_session(did));
        }));
    server.Post("/xrpc/com.atproto.repo.createRecord",
                xrpc(server, s, Need::access,
                     [&s](const Request& req, Response& res, const std::string& did) {
                         const Json body = Json::parse(req.body, nullptr, false);
                         if (!body.is_object()) {
                             write(res, xrpc_error(400, "InvalidRequest",
                                                   "Request body must be a JSON object"));
                             return;
                         }
                         write(res, s.create_record(did, body));
                     }));
    server.Post("/xrpc/com.atproto.repo.uploadBlob",
                xrpc(server, s, Need::access,
                     [&s](const Request& req, Response& res, const std::string& did) {
                         write(res,
                               s.upload_blob(did, req.get_header_value("Content-Type"), req.body));
                     }));
    server.Get(
        "/xrpc/com.atproto.repo.getRecord",
        xrpc(server, s, Need::none, [&s](const Request& req, Response& res, const std::string&) {
            if (require(req, res, {"repo", "collection", "rkey"})) {
                write(res,
                      s.get_record(req.get_param_value("repo"), req.get_param_value("collection"),
                                   req.get_param_value("rkey")));
            }
        }));
    server.Get(
        "/xrpc/com.atproto.identity.resolveHandle",
        xrpc(server, s, Need::none, [&s](const Request& req, Response& res, const std::string&) {
            if (require(req, res, {"handle"})) {
                write(res, s.resolve_handle(req.get_param_value("handle")));
            }
        }));
    server.Get("/xrpc/app.bsky.feed.getPosts",
               xrpc(server, s, Need::optional,
                    [&s](const Request& req, Response& res, const std::string&) {
                        if (require(req, res, {"uris"})) {
                            write(res, s.get_posts(values(req, "uris")));
                        }
                    }));
    server.Get("/xrpc/app.bsky.actor.getProfile",
               xrpc(server, s, Need::optional,
                    [&s](const Request& req, Response& res, const std::string&) {
                        if (require(req, res, {"actor"})) {
                            write(res, s.get_profile(req.get_param_value("actor")));
                        }
                    }));
    server.Get("/xrpc/app.bsky.feed.getAuthorFeed",
               xrpc(server, s, Need::optional,
                    [&s](const Request& req, Response& res, const std::string&) {
                        const auto q = query_of(req, res, 50);
                        if (q && require(req, res, {"actor"})) {
                            write(res, s.author_feed(req.get_param_value("actor"),
                                                     req.get_param_value("filter"), *q));
                        }
                    }));
    server.Get("/xrpc/app.bsky.notification.listNotifications",
               xrpc(server, s, Need::access,
                    [&s](const Request& req, Response& res, const std::string& did) {
                        if (const auto q = query_of(req, res, 50)) {
                            write(res, s.notifications(did, values(req, "reasons"), *q));
                        }
                    }));
    server.Get("/xrpc/app.bsky.feed.searchPosts",
               xrpc(server, s, Need::optional,
                    [&s](const Request& req, Response& res, const std::string& did) {
                        if (did.empty() && s.search_auth_required()) {
                            // What public.api.bsky.app answered when search was closed: not XRPC
                            // JSON.
                            res.status = 403;
                            res.set_content(
                                "<html><head><title>403 Forbidden</title></head><body>"
                                "<center><h1>403 Forbidden</h1></center></body></html>",
                                "text/html");
                            return;
                        }
                        const auto q = query_of(req, res, 25);
                        if (q && require(req, res, {"q"})) {
                            write(res, s.search_posts(req.get_param_value("q"),
                                                      req.get_param_value("author"),
                                                      values(req, "tag"), *q));
                        }
                    }));
    const auto not_implemented =
        xrpc(server, s, Need::none, [](const Request&, Response& res, const std::string&) {
            write(res, xrpc_error(501, "MethodNotImplemented", "Method Not Implemented"));
        });
    server.Get(R"(/xrpc/.*)", not_implemented);
    server.Post(R"(/xrpc/.*)", not_implemented);
    install_admin_routes(server, s);
}

}  // namespace cmtool::fakes
