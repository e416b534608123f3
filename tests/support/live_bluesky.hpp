#pragma once
// Plain XRPC calls to a Bluesky PDS (the fake or the REAL local network of
// ../shared/servers/bluesky/start.sh) as one of its accounts, and that network's env file.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/net/curl_transport.hpp"

namespace cmtool::test {

using LiveEnv = std::map<std::string, std::string>;

// The KEY=VALUE lines of the file CMTOOL_BSKY_ENV names; nullopt when the variable is unset.
inline std::optional<LiveEnv> load_live_env() {
    const char* path = std::getenv("CMTOOL_BSKY_ENV");
    if (path == nullptr || *path == '\0') {
        return std::nullopt;
    }
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read CMTOOL_BSKY_ENV=" << std::string(path));
    LiveEnv env;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (!line.starts_with('#') && eq != std::string::npos) {
            env[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    REQUIRE_MESSAGE(!env["BSKY_PDS_URL"].empty(), "no BSKY_PDS_URL in " << std::string(path));
    return env;
}

// One account's session on the PDS, for XRPC calls of its own.
class XrpcClient {
  public:
    XrpcClient(std::string pds, const std::string& handle, const std::string& password)
        : m_pds(std::move(pds)) {
        const auto s = call("POST", "com.atproto.server.createSession",
                            {{"identifier", handle}, {"password", password}});
        m_token = s.value("accessJwt", "");
        m_did = s.value("did", "");
        REQUIRE_MESSAGE(!m_token.empty(), "no session for " << handle << ": " << s.dump());
    }

    const std::string& did() const { return m_did; }

    // A procedure (POST, JSON body) or a query (GET, `body` as parameters); requires a 200.
    nlohmann::json call(const std::string& method, const std::string& nsid,
                        const nlohmann::json& body = nlohmann::json::object()) {
        net::HttpRequest r;
        r.method = method;
        r.url = m_pds + "/xrpc/" + nsid;
        if (method == "GET") {
            net::FieldList q;
            for (const auto& [k, v] : body.items()) {
                q.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
            }
            r.url = net::append_query(r.url, q);
        } else {
            net::set_json_body(r, body.dump());
        }
        if (!m_token.empty()) {
            r.headers.emplace_back("Authorization", "Bearer " + m_token);
        }
        const auto res = m_http.send(r);
        REQUIRE_MESSAGE(res.has_value(), (res ? std::string() : res.error().message));
        REQUIRE_MESSAGE(res->status == 200, nsid << ": HTTP " << res->status << " " << res->body);
        return nlohmann::json::parse(res->body, nullptr, false);
    }

    // Creates a record of `collection` in this account's repo; returns {uri, cid}.
    nlohmann::json create(const std::string& collection, nlohmann::json record) {
        record["$type"] = collection;
        return call("POST", "com.atproto.repo.createRecord",
                    {{"repo", m_did}, {"collection", collection}, {"record", std::move(record)}});
    }

  private:
    std::string m_pds;
    std::string m_token;
    std::string m_did;
    net::CurlTransport m_http;
};

}  // namespace cmtool::test
