// HTTP routes of the fake Meta Graph (platforms.md §5.4): graph.facebook.com and
// graph.threads.net paths on one server, with or without the /vNN.N version prefix.
#include "meta_routes.hpp"

#include <regex>

namespace cmtool::fakes {
namespace {

using httplib::Request;
using httplib::Response;

void write(Response& res, const MetaReply& reply) {
    send_json(res, reply.status, reply.body);
}

// Usage headers on every answer (§5.0): percentages of the budget; estimated_time_to_regain
// _access in minutes when throttled.
void usage_headers(Response& res, const MetaState& s, const std::string& page_id, int usage,
                   std::int64_t regain) {
    const Json app = {
        {"call_count", usage}, {"total_cputime", usage / 2}, {"total_time", usage / 2}};
    res.set_header("X-App-Usage", app.dump());
    const Json buc = {{page_id, Json::array({{{"type", "pages"},
                                              {"call_count", usage},
                                              {"total_cputime", usage / 2},
                                              {"total_time", usage / 2},
                                              {"estimated_time_to_regain_access", regain}}})}};
    res.set_header("X-Business-Use-Case-Usage", buc.dump());
    (void)s;
}

// Query, form and multipart text fields in one map.
std::map<std::string, std::string> params_of(const Request& req) {
    std::map<std::string, std::string> p;
    for (const auto& [k, v] : req.params) {
        p.emplace(k, v);
    }
    for (const auto& [k, f] : req.files) {
        if (f.filename.empty()) {
            p.emplace(k, f.content);
        }
    }
    return p;
}

std::string get(const std::map<std::string, std::string>& p, const char* key) {
    const auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        std::string seg = path.substr(start, slash - start);
        if (!seg.empty()) {
            out.push_back(std::move(seg));
        }
        if (slash == std::string::npos) {
            break;
        }
        start = slash + 1;
    }
    static const std::regex version(R"(v\d+\.\d+)");
    if (!out.empty() && std::regex_match(out.front(), version)) {
        out.erase(out.begin());
    }
    return out;
}

MetaReply dispatch(MetaState& s, const MetaConfig& c, const Request& req,
                   const std::map<std::string, std::string>& p,
                   const std::vector<std::string>& seg) {
    const bool is_get = req.method == "GET";
    if (is_get && seg.empty()) {  // GET /?ids=a,b&fields=
        Json out = Json::object();
        for (std::size_t start = 0; start <= get(p, "ids").size();) {
            const std::string ids = get(p, "ids");
            const auto comma = ids.find(',', start);
            const std::string id = ids.substr(start, comma - start);
            auto o = s.object(id, get(p, "fields"));
            if (!o) {
                return graph_error(400, 100,
                                   "(#100) Some of the aliases you requested do not exist: " + id);
            }
            out[id] = *o;
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
        return MetaReply{200, out};
    }
    if (seg.size() == 1 && seg[0] == "keyword_search" && is_get) {  // Threads (§5.3)
        const std::string since = get(p, "since");
        return s.keyword_search(get(p, "q"), get(p, "fields"),
                                since.empty() ? 0 : std::stoll(since));
    }
    if (seg.size() == 2 && seg[0] == "me" && seg[1] == "accounts" && is_get) {
        return s.me_accounts();
    }
    if (seg.size() == 1 && is_get) {
        if (s.owner_network(seg[0]) == "container") {
            const std::string fields = get(p, "fields");
            return s.container_status(
                seg[0], fields.find("status_code") != std::string::npos ? "status_code" : "status");
        }
        auto o = s.object(seg[0], get(p, "fields"));
        return o ? MetaReply{200, *o}
                 : graph_error(
                       400, 100,
                       "Unsupported get request. Object with ID '" + seg[0] + "' does not exist",
                       33);
    }
    if (seg.size() != 2) {
        return graph_error(400, 2500, "Unknown path components: " + req.path);
    }
    const std::string& id = seg[0];
    const std::string& edge = seg[1];
    if (is_get && edge == "insights") {
        return s.insights(id, get(p, "metric"));
    }
    if (is_get && edge == "threads_insights" && id == c.threads_user) {
        return s.threads_insights(get(p, "metric"));
    }
    if (is_get) {
        const std::string since = get(p, "since");
        const std::string limit = get(p, "limit");
        return s.list(id, edge, get(p, "fields"), since.empty() ? 0 : std::stoll(since),
                      limit.empty() ? 25 : std::stoul(limit), get(p, "after"));
    }
    if (id == c.page_id && edge == "feed") {
        return s.facebook_post(get(p, "message"), get(p, "link"), {});
    }
    if (id == c.page_id && edge == "photos") {
        if (!req.has_file("source") && get(p, "url").empty()) {
            return graph_error(400, 324, "(#324) Requires upload file");
        }
        const std::string name =
            req.has_file("source") ? req.get_file_value("source").filename : get(p, "url");
        return s.facebook_post(get(p, "message"), {}, name.empty() ? "upload" : name);
    }
    const std::string network = id == c.ig_user        ? "instagram"
                                : id == c.threads_user ? "threads"
                                                       : "";
    if (network == "instagram" && edge == "media") {
        return s.create_container(network, p);
    }
    if (network == "threads" && edge == "threads") {
        return s.create_container(network, p);
    }
    if ((network == "instagram" && edge == "media_publish") ||
        (network == "threads" && edge == "threads_publish")) {
        return s.publish_container(network, get(p, "creation_id"));
    }
    return graph_error(400, 100, "(#100) Unsupported post request: " + req.path);
}

}  // namespace

void install_meta_routes(FakeServer& server, MetaState& s, const MetaConfig& c) {
    server.Post("/__admin/expire_token", server.admin([&s](const Json& body, Response& res) {
        s.arm_expiry(body.value("count", 1));
        send_json(res, 200, {{"ok", true}});
    }));
    server.Post("/__admin/throttle", server.admin([&s](const Json& body, Response& res) {
        s.arm_throttle(body.value("code", 4L), body.value("count", 1), body.value("status", 400),
                       body.value("regain_minutes", std::int64_t{0}));
        send_json(res, 200, {{"ok", true}});
    }));
    server.Post("/__admin/containers", server.admin([&s](const Json& body, Response& res) {
        s.arm_containers(body.value("mode", std::string("slow")), body.value("polls", 2),
                         body.value("count", 1));
        send_json(res, 200, {{"ok", true}});
    }));
    server.Post("/__admin/engagement", server.admin([&s](const Json& body, Response& res) {
        s.set_counts(body.value("id", std::string()), body.value("counts", Json::object()));
        send_json(res, 200, {{"ok", true}});
    }));
    server.Post("/__admin/followers", server.admin([&s](const Json& body, Response& res) {
        s.set_followers(body.value("count", std::int64_t{0}));
        send_json(res, 200, {{"ok", true}});
    }));
    // Threads keyword search: another user's post to find, and the permission-error switch.
    server.Post("/__admin/threads/search_post", server.admin([&s](const Json& body, Response& res) {
        send_json(res, 200,
                  s.add_search_post(body.value("text", std::string()),
                                    body.value("username", std::string("someone")),
                                    body.value("timestamp", std::int64_t{0})));
    }));
    server.Post("/__admin/threads/search_forbidden",
                server.admin([&s](const Json& body, Response& res) {
                    s.set_search_forbidden(body.value("on", true));
                    send_json(res, 200, {{"ok", true}});
                }));
    server.Get("/__admin/posts",
               server.admin([&s](const Json&, Response& res) { send_json(res, 200, s.dump()); }));

    auto handler = [&s, &c](const Request& req, Response& res) {
        const auto p = params_of(req);
        const auto seg = segments(req.path);
        std::int64_t regain = 0;
        // Token endpoints (§5.0, §5.3): no access_token check of their own.
        if (seg.size() == 2 && seg[0] == "oauth" && seg[1] == "access_token" &&
            get(p, "grant_type") == "fb_exchange_token") {
            write(res, s.exchange_fb(get(p, "client_secret"), get(p, "fb_exchange_token")));
            return;
        }
        if (seg.size() == 1 && (seg[0] == "access_token" || seg[0] == "refresh_access_token")) {
            write(res, s.exchange_threads(get(p, "grant_type"), get(p, "client_secret"),
                                          get(p, "access_token")));
            return;
        }
        std::string token = get(p, "access_token");
        if (token.empty() && req.has_header("Authorization")) {
            const std::string auth = req.get_header_value("Authorization");
            token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
        }
        const auto check = s.check_token(token);
        if (check != MetaState::TokenCheck::ok) {
            usage_headers(res, s, c.page_id, s.usage(), 0);
            write(res, check == MetaState::TokenCheck::expired
                           ? graph_error(400, 190,
                                         "Error validating access token: Session has expired.", 463)
                           : graph_error(400, 190,
                                         "Invalid OAuth access token - Cannot parse "
                                         "access token"));
            return;
        }
        if (auto throttled = s.take_throttle(regain)) {
            usage_headers(res, s, c.page_id, 100, regain);
            write(res, *throttled);
            return;
        }
        usage_headers(res, s, c.page_id, s.usage(), 0);
        try {
            write(res, dispatch(s, c, req, p, seg));
        } catch (const std::exception& e) {
            write(res, graph_error(400, 100, std::string("(#100) ") + e.what()));
        }
    };
    server.Get(R"(/(?!__admin/).*)", server.api(handler));
    server.Post(R"(/(?!__admin/).*)", server.api(handler));
    // A "429" fault answers like Meta throttling: code 4 with the usage headers at 100.
    server.set_rate_limited_reply([&s, &c](const Request&, Response& res) {
        usage_headers(res, s, c.page_id, 100, 1);
        write(res, graph_error(429, 4, "(#4) Application request limit reached"));
    });
}

}  // namespace cmtool::fakes
