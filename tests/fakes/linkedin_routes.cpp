#include "linkedin_routes.hpp"

#include <algorithm>

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
using ApiFn = std::function<void(const Request&, Response&, const std::string& member)>;

void write(Response& res, const LiReply& reply) {
    if (reply.body.is_null()) {
        res.status = reply.status;  // 201 of POST /rest/posts: empty body (§3.2)
    } else {
        send_json(res, reply.status, reply.body);
    }
    for (const auto& [name, value] : reply.headers) {
        res.set_header(name.c_str(), value);
    }
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool six_digits(const std::string& v) {
    return v.size() == 6 &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Version and protocol headers on /rest/* (§3.10 1), the bearer token, the daily budget.
httplib::Server::Handler api(FakeServer& server, LinkedInState& state, bool versioned, ApiFn fn) {
    return server.api([&state, versioned, fn = std::move(fn)](const Request& req, Response& res) {
        if (versioned) {
            const std::string version = req.get_header_value("LinkedIn-Version");
            if (!six_digits(version)) {
                write(res, li_error(400, 0, "VERSION_MISSING",
                                    "A version must be present. Please specify a version by "
                                    "adding the LinkedIn-Version header."));
                return;
            }
            if (state.sunset(version)) {
                write(res, li_error(426, 0, "NONEXISTENT_VERSION",
                                    "Requested version " + version + " is not active"));
                return;
            }
            if (req.get_header_value("X-Restli-Protocol-Version") != "2.0.0") {
                write(res, li_error(400, 0, "ILLEGAL_ARGUMENT",
                                    "X-Restli-Protocol-Version 2.0.0 is required"));
                return;
            }
        }
        const std::string auth = req.get_header_value("Authorization");
        std::string why;
        const auto member =
            auth.starts_with("Bearer ") ? state.member_for(auth.substr(7), why) : std::nullopt;
        if (!member) {
            write(res, li_error(401, 65601, why.empty() ? "INVALID_ACCESS_TOKEN" : why,
                                why == "EXPIRED_ACCESS_TOKEN"
                                    ? "The token used in the request has expired"
                                    : "Invalid access token"));
            return;
        }
        if (!state.consume(auth.substr(7))) {
            write(res, li_error(429, 101, "TOO_MANY_REQUESTS",
                                "Resource level throttle limit for calls to this resource is "
                                "reached."));  // no rate-limit headers (§3.8)
            return;
        }
        fn(req, res, *member);
    });
}

std::string param(const Request& req, const char* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// "List(a,b)" (URNs possibly still encoded) → {a, b}.
std::vector<std::string> restli_list(const std::string& value) {
    std::vector<std::string> out;
    std::string v = percent_decode(value);
    if (!v.starts_with("List(") || !v.ends_with(")")) {
        return out;
    }
    v = v.substr(5, v.size() - 6);
    std::size_t start = 0;
    while (start <= v.size()) {
        const auto comma = v.find(',', start);
        const std::string item =
            v.substr(start, comma == std::string::npos ? comma : comma - start);
        if (!item.empty()) {
            out.push_back(item);
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

}  // namespace

void install_linkedin_routes(FakeServer& server, LinkedInState& state) {
    auto& s = state;
    server.set_rate_limited_reply([](const Request&, Response& res) {
        write(res,
              li_error(429, 101, "TOO_MANY_REQUESTS",
                       "Resource level throttle limit for calls to this resource is reached."));
    });
    server.Post(
        "/rest/posts",
        api(server, s, true, [&s](const Request& req, Response& res, const std::string& member) {
            const Json body = Json::parse(req.body, nullptr, false);
            write(res, s.create_post(member, body));
        }));
    server.Get(
        "/rest/posts",
        api(server, s, true, [&s](const Request& req, Response& res, const std::string& member) {
            if (param(req, "q") != "author") {
                write(res, li_error(400, 0, "ILLEGAL_ARGUMENT", "q=author is required"));
                return;
            }
            const long start = std::atol(param(req, "start").c_str());
            const long count = req.has_param("count") ? std::atol(param(req, "count").c_str()) : 10;
            write(res, s.list_posts(member, percent_decode(param(req, "author")),
                                    static_cast<std::size_t>(std::max(0L, start)),
                                    static_cast<std::size_t>(std::clamp(count, 1L, 100L))));
        }));
    server.Post(
        "/rest/images",
        api(server, s, true, [&s](const Request& req, Response& res, const std::string& member) {
            if (param(req, "action") != "initializeUpload") {
                write(res, li_error(400, 0, "ILLEGAL_ARGUMENT", "unknown action"));
                return;
            }
            write(res, s.init_upload(member, Json::parse(req.body, nullptr, false)));
        }));
    server.Put(R"(/dms-uploads/images/(\d+))",
               api(server, s, false, [&s](const Request& req, Response& res, const std::string&) {
                   write(res, s.upload(req.matches[1], req.body.size()));
               }));
    server.Get("/v2/userinfo",
               api(server, s, false, [&s](const Request&, Response& res, const std::string& m) {
                   write(res, s.userinfo(m));
               }));
    server.Get(R"(/rest/organizations/(\d+))",
               api(server, s, true, [&s](const Request& req, Response& res, const std::string& m) {
                   write(res, s.organization(m, req.matches[1]));
               }));
    server.Get("/rest/organizationalEntityShareStatistics",
               api(server, s, true, [&s](const Request& req, Response& res, const std::string& m) {
                   if (param(req, "q") != "organizationalEntity") {
                       write(res, li_error(400, 0, "ILLEGAL_ARGUMENT",
                                           "q=organizationalEntity is required"));
                       return;
                   }
                   auto urns = restli_list(param(req, "shares"));
                   const auto ugc = restli_list(param(req, "ugcPosts"));
                   urns.insert(urns.end(), ugc.begin(), ugc.end());
                   write(res, s.share_statistics(
                                  m, percent_decode(param(req, "organizationalEntity")), urns));
               }));
    server.Get(R"(/rest/networkSizes/(.+))",
               api(server, s, true, [&s](const Request& req, Response& res, const std::string& m) {
                   write(res,
                         s.network_size(m, percent_decode(req.matches[1]), param(req, "edgeType")));
               }));
    server.Get(R"(/rest/socialActions/(.+))",
               api(server, s, true, [&s](const Request& req, Response& res, const std::string&) {
                   write(res, s.social_actions(percent_decode(req.matches[1])));
               }));
    server.Post("/oauth/v2/accessToken", server.api([&s](const Request& req, Response& res) {
        std::map<std::string, std::string> form;
        for (const auto& [k, v] : req.params) {
            form[k] = v;
        }
        write(res, s.token(form));
    }));

    auto admin = [&server, &s](LiReply (LinkedInState::*fn)(const Json&)) {
        return server.admin(
            [&s, fn](const Json& body, Response& res) { write(res, (s.*fn)(body)); });
    };
    server.Post("/__admin/stats", admin(&LinkedInState::set_stats));
    server.Post("/__admin/followers", admin(&LinkedInState::set_followers));
    server.Post("/__admin/expire_token", admin(&LinkedInState::expire_token));
    server.Post("/__admin/daily_limit", admin(&LinkedInState::set_daily_limit));
    server.Post("/__admin/delete_post", admin(&LinkedInState::delete_post));
    server.Get("/__admin/posts", server.admin([&s](const Json&, Response& res) {
        send_json(res, 200, s.dump()["posts"]);
    }));
}

}  // namespace cmtool::fakes
