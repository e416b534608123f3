#include "x_routes.hpp"

#include <chrono>

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;
using ApiFn = std::function<void(const Request&, Response&, const std::string& user)>;

void write(Response& res, const XReply& reply) {
    send_json(res, reply.status, reply.body);
    for (const auto& [name, value] : reply.headers) {
        res.set_header(name.c_str(), value);
    }
}

// X sends its headers lowercase (platforms.md, general rules).
void rate_headers(Response& res, const XRate& rate) {
    res.set_header("x-rate-limit-limit", std::to_string(rate.limit));
    res.set_header("x-rate-limit-remaining", std::to_string(rate.remaining));
    res.set_header("x-rate-limit-reset", std::to_string(rate.reset));
}

std::optional<std::string> bearer(const Request& req) {
    if (!req.has_header("Authorization")) {
        return std::nullopt;
    }
    const std::string value = req.get_header_value("Authorization");
    return value.starts_with("Bearer ") ? value.substr(7) : std::string();
}

// Auth and the per-endpoint rate limit in front of every API handler (§4.1, §4.8).
httplib::Server::Handler api(FakeServer& server, XState& state, std::string endpoint, ApiFn fn) {
    return server.api([&state, endpoint = std::move(endpoint), fn = std::move(fn)](
                          const Request& req, Response& res) {
        const auto token = bearer(req);
        const auto user = token ? state.user_for_token(*token) : std::nullopt;
        if (!user) {
            write(res, x_problem(401, "Unauthorized", "Unauthorized"));
            return;
        }
        const XRate rate = state.consume(*token, endpoint);
        rate_headers(res, rate);
        if (rate.exceeded) {
            write(res, x_problem(429, "Too Many Requests", "Too Many Requests"));  // [U] body
            return;
        }
        fn(req, res, *user);
    });
}

bool has_field(const Request& req, const char* param, const char* field) {
    const std::string v = req.get_param_value(param);
    return ("," + v + ",").find(std::string(",") + field + ",") != std::string::npos;
}

// tweet.fields, or post.fields of the v2.167 spec (§4.0).
bool wants_metrics(const Request& req) {
    return has_field(req, "tweet.fields", "public_metrics") ||
           has_field(req, "post.fields", "public_metrics");
}

std::vector<std::string> split_ids(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : s + ",") {
        if (c == ',') {
            if (!cur.empty()) {
                out.push_back(cur);
            }
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

std::size_t number(const Request& req, const char* name) {
    return static_cast<std::size_t>(std::atol(req.get_param_value(name).c_str()));
}

// Basic client credentials "id:secret" (percent-decoding is not needed for the fake's ids).
std::pair<std::string, std::string> basic_client(const Request& req) {
    const std::string h = req.get_header_value("Authorization");
    if (!h.starts_with("Basic ")) {
        return {};
    }
    static const std::string k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buf = 0;
    int bits = 0;
    for (const char c : h.substr(6)) {
        const auto pos = k.find(c);
        if (pos == std::string::npos) {
            continue;
        }
        buf = (buf << 6U) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buf >> static_cast<unsigned>(bits)) & 0xFFU);
        }
    }
    const auto colon = out.find(':');
    return colon == std::string::npos ? std::pair<std::string, std::string>{}
                                      : std::pair{out.substr(0, colon), out.substr(colon + 1)};
}

}  // namespace

void install_x_routes(FakeServer& server, XState& state) {
    auto& s = state;
    server.set_rate_limited_reply([](const Request&, Response& res) {
        const auto reset =
            std::chrono::duration_cast<std::chrono::seconds>(
                (std::chrono::system_clock::now() + std::chrono::minutes(15)).time_since_epoch())
                .count();
        rate_headers(res, XRate{300, 0, reset, true});
        write(res, x_problem(429, "Too Many Requests", "Too Many Requests"));
    });

    // The consent page a browser would show; the fake consents at once for its first user.
    server.Get("/i/oauth2/authorize", server.api([&s](const Request& req, Response& res) {
        std::map<std::string, std::string> query;
        for (const auto& [k, v] : req.params) {
            query[k] = v;
        }
        res.status = 302;
        res.set_header("Location", s.authorize(query));
    }));
    server.Post("/2/oauth2/token", server.api([&s](const Request& req, Response& res) {
        std::map<std::string, std::string> fields;
        for (const auto& [k, v] : req.params) {
            fields[k] = v;
        }
        const auto [id, secret] = basic_client(req);
        write(res, s.token(fields, id, secret));
    }));

    server.Get(
        "/2/users/me",
        api(server, s, "users/me", [&s](const Request& req, Response& res, const std::string& u) {
            write(res, s.me(u, has_field(req, "user.fields", "public_metrics")));
        }));
    server.Post(
        "/2/tweets",
        api(server, s, "tweets:post",
            [&s](const Request& req, Response& res, const std::string& u) {
                const Json j = Json::parse(req.body, nullptr, false);
                if (!j.is_object()) {
                    write(res, x_problem(400, "Invalid Request", "The request body is not JSON.",
                                         "https://api.x.com/2/problems/invalid-request"));
                    return;
                }
                // The 24-hour user cap on posting ([C] §4.8): its headers on every answer.
                const XRate day = s.consume_daily(u);
                if (day.limit > 0) {
                    res.set_header("x-user-limit-24hour-limit", std::to_string(day.limit));
                    res.set_header("x-user-limit-24hour-remaining", std::to_string(day.remaining));
                    res.set_header("x-user-limit-24hour-reset", std::to_string(day.reset));
                    if (day.exceeded) {
                        write(res, x_problem(429, "Too Many Requests", "Too Many Requests"));
                        return;
                    }
                }
                TweetInput in;
                in.text = j.value("text", std::string());
                if (j.contains("reply") && j["reply"].is_object()) {
                    in.reply_to = j["reply"].value("in_reply_to_tweet_id", std::string());
                }
                if (j.contains("media") && j["media"].is_object()) {
                    for (const auto& id : j["media"].value("media_ids", Json::array())) {
                        in.media_ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
                    }
                }
                write(res, s.create_tweet(u, in));
            }));
    server.Get("/2/tweets", api(server, s, "tweets:lookup",
                                [&s](const Request& req, Response& res, const std::string&) {
                                    write(res,
                                          s.lookup_tweets(split_ids(req.get_param_value("ids")),
                                                          wants_metrics(req)));
                                }));
    server.Get(
        "/2/tweets/search/recent",
        api(server, s, "search/recent",
            [&s](const Request& req, Response& res, const std::string&) {
                const std::string next = req.has_param("next_token")
                                             ? req.get_param_value("next_token")
                                             : req.get_param_value("pagination_token");
                write(res, s.search_recent(req.get_param_value("query"), number(req, "max_results"),
                                           req.get_param_value("since_id"), next));
            }));
    server.Get(
        R"(/2/tweets/(\d+))",
        api(server, s, "tweets:id", [&s](const Request& req, Response& res, const std::string&) {
            write(res, s.lookup_tweet(req.matches[1].str(), wants_metrics(req)));
        }));
    server.Get(
        R"(/2/users/(\d+)/tweets)",
        api(server, s, "users/tweets", [&s](const Request& req, Response& res, const std::string&) {
            write(res, s.user_tweets(req.matches[1].str(), number(req, "max_results"),
                                     req.get_param_value("pagination_token"),
                                     req.get_param_value("start_time"),
                                     req.get_param_value("since_id"), wants_metrics(req)));
        }));
    server.Post("/2/media/upload",
                api(server, s, "media/upload",
                    [&s](const Request& req, Response& res, const std::string& u) {
                        const std::size_t size =
                            req.has_file("media") ? req.get_file_value("media").content.size() : 0;
                        const std::string category =
                            req.has_file("media_category")
                                ? req.get_file_value("media_category").content
                                : std::string();
                        write(res, s.upload_media(u, size, category));
                    }));
    server.Post("/2/media/metadata",
                api(server, s, "media/metadata",
                    [&s](const Request& req, Response& res, const std::string& u) {
                        write(res, s.media_metadata(u, Json::parse(req.body, nullptr, false)));
                    }));

    server.Post("/__admin/engagement", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_engagement(body));
    }));
    server.Post("/__admin/account", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_account(body));
    }));
    server.Post("/__admin/post", server.admin([&s](const Json& body, Response& res) {
        write(res, s.add_other_post(body));
    }));
    server.Post("/__admin/expire_token", server.admin([&s](const Json& body, Response& res) {
        write(res, s.expire_token(body.value("token", std::string())));
    }));
    server.Post("/__admin/flags", server.admin([&s](const Json& body, Response& res) {
        write(res, s.set_flags(body));
    }));
    server.Post("/__admin/token", server.admin([&s](const Json& body, Response& res) {
        write(res, s.add_token(body));
    }));
    server.Get("/__admin/tweets", server.admin([&s](const Json&, Response& res) {
        send_json(res, 200, s.all_tweets());
    }));
}

}  // namespace cmtool::fakes
