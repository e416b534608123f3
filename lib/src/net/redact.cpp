#include "cmtool/net/redact.hpp"

#include <algorithm>
#include <array>

#include "net/ascii.hpp"

namespace cmtool::net {
namespace {

constexpr std::array<std::string_view, 14> k_secret_params{
    "access_token", "token",         "password", "passwd",  "key",    "secret", "client_secret",
    "code",         "refresh_token", "id_token", "api_key", "apikey", "sig",    "signature",
};
constexpr std::array<std::string_view, 6> k_secret_fragments{
    "token", "secret", "password", "passwd", "api_key", "apikey",
};

bool is_secret_param(std::string_view name) {
    const std::string lower = detail::lower(name);
    if (std::find(k_secret_params.begin(), k_secret_params.end(), lower) != k_secret_params.end()) {
        return true;
    }
    return std::any_of(k_secret_fragments.begin(), k_secret_fragments.end(),
                       [&](std::string_view f) { return lower.find(f) != std::string::npos; });
}

// Masks the values of secret parameters in "a=1&b=2" (a query or a fragment).
std::string redact_params(std::string_view params) {
    std::string out;
    std::size_t start = 0;
    while (start <= params.size()) {
        auto end = params.find('&', start);
        if (end == std::string_view::npos) {
            end = params.size();
        }
        const std::string_view pair = params.substr(start, end - start);
        const auto eq = pair.find('=');
        const std::string_view name = pair.substr(0, eq);
        if (eq != std::string_view::npos && is_secret_param(name)) {
            out += name;
            out += '=';
            out += k_redacted;
        } else {
            out += pair;
        }
        if (end < params.size()) {
            out += '&';
        }
        start = end + 1;
    }
    return out;
}

// Webhook URLs carry their secret in the path: Discord /api/webhooks/<id>/<token>, Slack
// /services/T../B../<secret>, Telegram /bot<id>:<secret>/<method> (platforms.md §6).
std::string redact_path(std::string_view path) {
    std::string p(path);
    if (const auto pos = p.find("/webhooks/"); pos != std::string::npos) {
        const auto id_end = p.find('/', pos + 10);
        if (id_end != std::string::npos && id_end + 1 < p.size()) {
            const auto token_end = p.find('/', id_end + 1);
            p.replace(id_end + 1,
                      (token_end == std::string::npos ? p.size() : token_end) - id_end - 1,
                      k_redacted);
        }
    }
    if (p.starts_with("/services/")) {
        p = "/services/" + std::string(k_redacted);
    }
    // Any segment "bot<id>:<secret>", not only the first: an `api` setting may add a prefix
    // (a proxy at https://relay.example/telegram/bot<token>/...).
    for (auto seg = p.find("/bot"); seg != std::string::npos; seg = p.find("/bot", seg + 1)) {
        const auto start = seg + 4;
        const auto end = std::min(p.find('/', start), p.size());
        if (p.substr(start, end - start).find(':') != std::string::npos) {
            p.replace(start, end - start, k_redacted);
        }
    }
    return p;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string_view rest = url;
    std::string out;
    const auto scheme_end = rest.find("://");
    if (scheme_end != std::string_view::npos) {
        out += rest.substr(0, scheme_end + 3);
        rest.remove_prefix(scheme_end + 3);
        const auto authority_end = rest.find_first_of("/?#");
        const std::string_view authority = rest.substr(0, authority_end);
        const auto at = authority.rfind('@');
        if (at != std::string_view::npos) {
            out += k_redacted;
            out += '@';
            out += authority.substr(at + 1);
        } else {
            out += authority;
        }
        rest.remove_prefix(authority.size());
    }
    const auto query_pos = rest.find('?');
    const auto fragment_pos = rest.find('#');
    const auto path_end = std::min(query_pos, fragment_pos);
    out += redact_path(rest.substr(0, path_end));
    if (query_pos != std::string_view::npos && query_pos < fragment_pos) {
        const auto query_end = fragment_pos == std::string_view::npos ? rest.size() : fragment_pos;
        out += '?';
        out += redact_params(rest.substr(query_pos + 1, query_end - query_pos - 1));
    }
    if (fragment_pos != std::string_view::npos) {
        out += '#';
        out += redact_params(rest.substr(fragment_pos + 1));
    }
    return out;
}

bool is_secret_header(std::string_view name) {
    static constexpr std::array<std::string_view, 4> k_exact{"authorization", "proxy-authorization",
                                                             "cookie", "set-cookie"};
    static constexpr std::array<std::string_view, 7> k_fragments{
        "token", "secret", "api-key", "apikey", "password", "signature", "session",
    };
    const std::string lower = detail::lower(name);
    if (std::find(k_exact.begin(), k_exact.end(), lower) != k_exact.end()) {
        return true;
    }
    return std::any_of(k_fragments.begin(), k_fragments.end(),
                       [&](std::string_view f) { return lower.find(f) != std::string::npos; });
}

HeaderList redact_headers(const HeaderList& headers) {
    HeaderList out = headers;
    for (auto& [name, value] : out) {
        if (is_secret_header(name)) {
            value = std::string(k_redacted);
        }
    }
    return out;
}

std::string redact_text(std::string text, const std::vector<std::string>& secrets) {
    std::vector<std::string> needles;
    for (const auto& secret : secrets) {
        if (secret.empty()) {
            continue;
        }
        needles.push_back(secret);
        if (std::string encoded = url_encode(secret); encoded != secret) {
            needles.push_back(std::move(encoded));
        }
    }
    std::sort(needles.begin(), needles.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& needle : needles) {
        std::size_t pos = 0;
        while ((pos = text.find(needle, pos)) != std::string::npos) {
            text.replace(pos, needle.size(), k_redacted);
            pos += k_redacted.size();
        }
    }
    return text;
}

Error redact_error(Error e, const std::vector<std::string>& secrets) {
    e.message = redact_text(std::move(e.message), secrets);
    e.hint = redact_text(std::move(e.hint), secrets);
    return e;
}

}  // namespace cmtool::net
