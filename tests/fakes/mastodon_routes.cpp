#include "mastodon_routes.hpp"

#include <algorithm>

#include "mastodon_text.hpp"

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
enum class Need { token, optional };
using Viewer = const std::string*;  // the authenticated account id, or nullptr
using ApiFn = std::function<void(const Request&, Response&, Viewer)>;

void write(Response& res, const Reply& reply) {
    send_json(res, reply.status, reply.body);
    for (const auto& [name, value] : reply.headers) {
        res.set_header(name.c_str(), value);
    }
}

void rate_headers(Response& res, const RateInfo& rate) {
    res.set_header("X-RateLimit-Limit", std::to_string(rate.limit));
    res.set_header("X-RateLimit-Remaining", std::to_string(rate.remaining));
    res.set_header("X-RateLimit-Reset", iso_time(rate.reset, 6));  // Time#iso8601(6), §1.8
}

std::optional<std::string> bearer(const Request& req) {
    if (!req.has_header("Authorization")) {
        return std::nullopt;
    }
    const std::string value = req.get_header_value("Authorization");
    return value.starts_with("Bearer ") ? value.substr(7) : std::string();
}

// Auth and rate limiting in front of every API handler (§1.1, §1.8).
httplib::Server::Handler api(FakeServer& server, MastodonState& state, Need need, ApiFn fn) {
    return server.api([&state, need, fn = std::move(fn)](const Request& req, Response& res) {
        const auto token = bearer(req);
        std::optional<std::string> account;
        if (token) {
            account = state.account_for_token(*token);
        }
        if ((token && !account) || (!token && need == Need::token)) {
            send_json(res, 401, {{"error", "The access token is invalid"}});
            return;
        }
        if (account) {
            const RateInfo rate = state.consume(*account);
            rate_headers(res, rate);
            if (rate.exceeded) {
                send_json(res, 429, {{"error", "Too many requests"}});  // no Retry-After
                return;
            }
        }
        fn(req, res, account ? &*account : nullptr);
    });
}

std::vector<std::string> values(const Request& req, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& key : {name + "[]", name}) {
        for (std::size_t i = 0; i < req.get_param_value_count(key.c_str()); ++i) {
            out.push_back(req.get_param_value(key.c_str(), i));
        }
    }
    return out;
}

std::optional<std::uint64_t> id_param(const Request& req, const char* name) {
    if (!req.has_param(name)) {
        return std::nullopt;
    }
    return std::strtoull(req.get_param_value(name).c_str(), nullptr, 10);
}

Page page_of(const Request& req, std::size_t default_limit, std::size_t max_limit) {
    Page page;
    const long limit = req.has_param("limit") ? std::atol(req.get_param_value("limit").c_str()) : 0;
    page.limit = limit > 0 ? std::min(static_cast<std::size_t>(limit), max_limit) : default_limit;
    page.max_id = id_param(req, "max_id");
    page.since_id = id_param(req, "since_id");
    page.min_id = id_param(req, "min_id");
    return page;
}

// Link: <...max_id=oldest>; rel="next", <...min_id=newest>; rel="prev" (§1.9), keeping filters.
void write_paged(Response& res, const Paged& paged, const std::string& base, const Request& req,
                 const std::vector<std::string>& keep) {
    send_json(res, 200, paged.items);
    if (!paged.newest) {
        return;
    }
    std::string filters;
    for (const auto& name : keep) {
        for (const auto& v : values(req, name)) {
            filters += "&" + name + "%5B%5D=" + v;
        }
    }
    const std::string url = base + req.path + "?limit=" + std::to_string(paged.items.size());
    std::string link;
    if (paged.full) {
        link =
            "<" + url + "&max_id=" + std::to_string(*paged.oldest) + filters + ">; rel=\"next\", ";
    }
    link += "<" + url + "&min_id=" + std::to_string(*paged.newest) + filters + ">; rel=\"prev\"";
    res.set_header("Link", link);
}

std::string json_text(const Json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) {
        return {};
    }
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

bool truthy(const std::string& v) {
    return v == "true" || v == "1" || v == "on";
}

// POST /api/v1/statuses takes form-encoded, multipart or JSON bodies (§1.2).
std::optional<StatusInput> status_input(const Request& req) {
    StatusInput in;
    if (req.get_header_value("Content-Type").starts_with("application/json")) {
        const Json j = Json::parse(req.body, nullptr, false);
        if (!j.is_object()) {
            return std::nullopt;
        }
        in.status = json_text(j, "status");
        in.spoiler_text = json_text(j, "spoiler_text");
        in.language = json_text(j, "language");
        in.visibility = j.contains("visibility") ? json_text(j, "visibility") : "public";
        in.sensitive = j.contains("sensitive") && truthy(json_text(j, "sensitive"));
        if (const auto reply = json_text(j, "in_reply_to_id"); !reply.empty()) {
            in.in_reply_to_id = reply;
        }
        for (const auto& id : j.value("media_ids", Json::array())) {
            in.media_ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
        }
    } else {
        auto field = [&](const char* name) {
            if (req.has_file(name)) {
                return req.get_file_value(name).content;
            }
            return req.has_param(name) ? req.get_param_value(name) : std::string();
        };
        in.status = field("status");
        in.spoiler_text = field("spoiler_text");
        in.language = field("language");
        in.visibility = req.has_param("visibility") || req.has_file("visibility")
                            ? field("visibility")
                            : "public";
        in.sensitive = truthy(field("sensitive"));
        if (auto reply = field("in_reply_to_id"); !reply.empty()) {
            in.in_reply_to_id = reply;
        }
        in.media_ids = values(req, "media_ids");
        for (const auto& [name, part] : req.files) {
            if (name == "media_ids[]") {
                in.media_ids.push_back(part.content);
            }
        }
    }
    if (req.has_header("Idempotency-Key")) {
        in.idempotency_key = req.get_header_value("Idempotency-Key");
    }
    return in;
}

std::uint64_t match_id(const Request& req) {
    return std::strtoull(req.matches[1].str().c_str(), nullptr, 10);
}

}  // namespace

void install_mastodon_routes(FakeServer& server, MastodonState& state) {
    auto& s = state;
    server.set_rate_limited_reply([&s](const Request& req, Response& res) {
        const auto token = bearer(req);
        const auto account = token ? s.account_for_token(*token) : std::nullopt;
        RateInfo rate{300, 0, std::chrono::system_clock::now() + std::chrono::minutes(5), true};
        if (account) {
            rate = s.peek(*account);
        }
        rate.remaining = 0;
        rate_headers(res, rate);
        send_json(res, 429, {{"error", "Too many requests"}});
    });
    server.Get("/api/v2/instance",
               api(server, s, Need::optional,
                   [&s](const Request&, Response& res, Viewer) { write(res, s.instance()); }));
    server.Get("/api/v1/accounts/verify_credentials",
               api(server, s, Need::token, [&s](const Request&, Response& res, Viewer v) {
                   write(res, s.verify_credentials(*v));
               }));
    server.Get(R"(/api/v1/accounts/(\d+))",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer) {
                   write(res, s.account(req.matches[1].str()));
               }));
    server.Get(R"(/api/v1/accounts/(\d+)/statuses)",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
                   const auto paged = s.account_statuses(
                       req.matches[1].str(), v, truthy(req.get_param_value("exclude_replies")),
                       truthy(req.get_param_value("only_media")), page_of(req, 20, 40));
                   if (!paged) {
                       send_json(res, 404, {{"error", "Record not found"}});
                       return;
                   }
                   write_paged(res, *paged, s.base(), req, {});
               }));
    server.Post(
        "/api/v1/statuses",
        api(server, s, Need::token, [&s](const Request& req, Response& res, Viewer v) {
            const auto in = status_input(req);
            if (!in) {
                send_json(res, 400, {{"error", "Error occurred while parsing request parameters"}});
                return;
            }
            write(res, s.create_status(*v, *in));
        }));
    server.Get("/api/v1/statuses",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
                   std::vector<std::uint64_t> ids;
                   for (const auto& id : values(req, "id")) {
                       ids.push_back(std::strtoull(id.c_str(), nullptr, 10));
                   }
                   write(res, s.get_statuses(ids, v));
               }));
    server.Get(R"(/api/v1/statuses/(\d+))",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
                   write(res, s.get_status(match_id(req), v));
               }));
    server.Get(R"(/api/v1/statuses/(\d+)/context)",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
                   write(res, s.context(match_id(req), v));
               }));
    server.Delete(R"(/api/v1/statuses/(\d+))",
                  api(server, s, Need::token, [&s](const Request& req, Response& res, Viewer v) {
                      write(res, s.delete_status(match_id(req), *v));
                  }));
    server.Post("/api/v2/media",
                api(server, s, Need::token, [&s](const Request& req, Response& res, Viewer v) {
                    const bool has_file = req.has_file("file");
                    const auto file =
                        has_file ? req.get_file_value("file") : httplib::MultipartFormData{};
                    const std::string description = req.has_file("description")
                                                        ? req.get_file_value("description").content
                                                        : req.get_param_value("description");
                    write(res, s.upload_media(*v, file.filename, file.content_type, description));
                }));
    server.Get(R"(/api/v1/media/(\d+))",
               api(server, s, Need::token, [&s](const Request& req, Response& res, Viewer v) {
                   write(res, s.get_media(req.matches[1].str(), *v));
               }));
    server.Get("/api/v1/notifications",
               api(server, s, Need::token, [&s](const Request& req, Response& res, Viewer v) {
                   const auto paged =
                       s.notifications(*v, values(req, "types"), values(req, "exclude_types"),
                                       page_of(req, 40, 80));
                   write_paged(res, paged, s.base(), req, {"types", "exclude_types"});
               }));
    server.Get(
        "/api/v2/search",
        api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
            const long limit = std::atol(req.get_param_value("limit").c_str());
            const long offset = std::atol(req.get_param_value("offset").c_str());
            write(res,
                  s.search(
                      req.get_param_value("q"), req.get_param_value("type"), v,
                      limit > 0 ? std::min<std::size_t>(static_cast<std::size_t>(limit), 40) : 20,
                      offset > 0 && v != nullptr ? static_cast<std::size_t>(offset) : 0));
        }));
    server.Get(R"(/api/v1/timelines/tag/([^/]+))",
               api(server, s, Need::optional, [&s](const Request& req, Response& res, Viewer v) {
                   write_paged(res, s.tag_timeline(req.matches[1].str(), v, page_of(req, 20, 40)),
                               s.base(), req, {});
               }));

    server.Post("/__admin/engagement", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_engagement(body));
    }));
    server.Post("/__admin/account", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_account_counts(body));
    }));
    server.Post("/__admin/mention", server.admin([&s](const Json& body, Response& res) {
        write(res, s.inject_mention(body));
    }));
    server.Post("/__admin/rate_limit", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_rate_limit(body));
    }));
    server.Post("/__admin/expire_token", server.admin([&s](const Json& body, Response& res) {
        write(res, s.expire_token(body.value("token", std::string())));
    }));
    server.Get("/__admin/statuses", server.admin([&s](const Json&, Response& res) {
        send_json(res, 200, s.all_statuses());
    }));
}

}  // namespace cmtool::fakes
