// LinkedIn pieces shared by the adapter and the metrics source (linkedin_api.hpp).
#include "platforms/linkedin_api.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/net/redact.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"

namespace cmtool::platforms::linkedin {

namespace {

using nlohmann::json;

constexpr std::string_view k_person = "urn:li:person:";
constexpr std::string_view k_organization = "urn:li:organization:";

bool is_reserved(char c) {
    return k_reserved.find(c) != std::string_view::npos;
}

// Letters and digits of a hashtag: ASCII alphanumerics and any non-ASCII byte (accents, CJK).
bool is_tag_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return s;
}

}  // namespace

Result<std::string> version_of(const calendar::Account& account) {
    const std::string v = account.get("version");
    if (v.empty()) {
        return std::string(k_default_version);
    }
    const bool digits = v.size() == 6 && std::all_of(v.begin(), v.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    const int month = digits ? std::stoi(v.substr(4)) : 0;
    if (!digits || month < 1 || month > 12) {
        return fail(
            ErrorCode::config,
            fmt::format("LinkedIn account {}: `version: {}` is not a LinkedIn-Version",
                        account.name, v),
            fmt::format("write the version as YYYYMM, e.g. `version: \"{}\"`", k_default_version));
    }
    return v;
}

Result<std::string> author_of(const calendar::Account& account) {
    const std::string a = account.get("author");
    const bool person = a.starts_with(k_person) && a.size() > k_person.size();
    const bool org = a.starts_with(k_organization) && a.size() > k_organization.size();
    if (!person && !org) {
        return fail(ErrorCode::config,
                    fmt::format("LinkedIn account {}: `author` must be urn:li:person:<id> or "
                                "urn:li:organization:<id>, not `{}`",
                                account.name, a),
                    "`cmtool auth status " + account.name +
                        "` shows the member URN of the token; an organization's id is in its "
                        "admin page URL");
    }
    return a;
}

bool is_organization(std::string_view urn) {
    return urn.starts_with(k_organization);
}

std::string urn_id(std::string_view urn) {
    const auto colon = urn.rfind(':');
    return std::string(colon == std::string_view::npos ? urn : urn.substr(colon + 1));
}

std::string escape_little(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '#' && k_hashtag_templates && (i == 0 || !is_tag_char(text[i - 1]))) {
            std::size_t end = i + 1;
            while (end < text.size() && is_tag_char(text[end])) {
                ++end;
            }
            if (end > i + 1) {
                out += "{hashtag|\\#|";
                out += text.substr(i + 1, end - i - 1);
                out += '}';
                i = end - 1;
                continue;
            }
        }
        if (is_reserved(c)) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string unescape_little(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    constexpr std::string_view k_tag = "{hashtag|\\#|";
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.substr(i).starts_with(k_tag)) {
            const auto close = text.find('}', i + k_tag.size());
            if (close != std::string_view::npos) {
                out += '#';
                out += text.substr(i + k_tag.size(), close - i - k_tag.size());
                i = close;
                continue;
            }
        }
        if (text[i] == '@' && i + 1 < text.size() && text[i + 1] == '[') {
            const auto name_end = text.find("](", i + 2);
            const auto close =
                name_end == std::string_view::npos ? name_end : text.find(')', name_end + 2);
            if (close != std::string_view::npos) {
                out += text.substr(i + 2, name_end - i - 2);
                i = close;
                continue;
            }
        }
        if (text[i] == '\\' && i + 1 < text.size() && is_reserved(text[i + 1])) {
            ++i;
        }
        out += text[i];
    }
    return out;
}

net::HttpRequest make_request(std::string method, std::string url, const std::string& token,
                              const std::string& version, std::chrono::milliseconds timeout) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.timeout = timeout;
    r.headers.emplace_back("Accept", "application/json");
    if (!token.empty()) {
        r.headers.emplace_back("Authorization", "Bearer " + token);
    }
    if (url.find("/rest/") != std::string::npos) {
        r.headers.emplace_back("LinkedIn-Version", version);
        r.headers.emplace_back("X-Restli-Protocol-Version", std::string(k_restli_protocol));
    }
    r.url = std::move(url);
    return r;
}

std::string describe(const std::string& what, const net::HttpResponse& response) {
    std::string text = fmt::format("{}: HTTP {}", what, response.status);
    const json j = json::parse(response.body, nullptr, false);
    if (const std::string message = util::json_string(j, "message"); !message.empty()) {
        text += ": " + message;
    }
    if (const auto service = util::json_int(j, "serviceErrorCode")) {
        text += fmt::format(" (serviceErrorCode {})", *service);
    } else if (const std::string code = util::json_string(j, "code"); !code.empty()) {
        text += " (" + code + ")";
    }
    return text;
}

bool version_refused(const net::HttpResponse& response) {
    if (response.status == 426) {
        return true;
    }
    if (response.status != 400) {
        return false;
    }
    const json j = json::parse(response.body, nullptr, false);
    const std::string said =
        lower(util::json_string(j, "message") + " " + util::json_string(j, "code"));
    return said.find("version") != std::string::npos;
}

std::string version_hint(const calendar::Account& account, const std::string& version) {
    return fmt::format(
        "LinkedIn no longer serves API version {} (versions are sunset about a year after "
        "release): set `version:` of account {} in cmtool.yaml to a recent YYYYMM, e.g. \"{}\"",
        version, account.name, k_default_version);
}

std::chrono::sys_seconds next_utc_midnight(std::chrono::system_clock::time_point now) {
    const auto day = std::chrono::floor<std::chrono::days>(now);
    return std::chrono::sys_seconds(day + std::chrono::days(1));
}

std::string reconsent_hint(const calendar::Account& account) {
    return fmt::format(
        "LinkedIn access tokens last 60 days and only approved partner apps get refresh tokens: "
        "run `cmtool auth login {}` to consent again (about every 60 days)",
        account.name);
}

Result<std::string> Tokens::get() {
    if (m_token) {
        return *m_token;
    }
    auto t = oauth::access_token(m_ctx);
    if (!t) {
        Error e = std::move(t).error();
        if (e.code == ErrorCode::auth) {
            e.hint = reconsent_hint(m_ctx.account);
        }
        return fail(std::move(e));
    }
    m_token = *t;
    return *m_token;
}

Result<std::string> Tokens::renew_after_401(const std::string& stale) {
    const auto refused = [&](const std::string& why) {
        return Error{
            ErrorCode::auth,
            net::redact_text(fmt::format("LinkedIn refused the access token of {} (HTTP 401){}",
                                         m_ctx.account.name, why),
                             m_ctx.credentials.known_secrets()),
            reconsent_hint(m_ctx.account)};
    };
    if (m_renew_error) {
        return fail(*m_renew_error);  // renewal already failed in this run: say the same
    }
    if (m_renewed) {
        return fail(refused(" again after renewing it"));
    }
    m_renewed = true;
    auto fresh = oauth::renew(m_ctx, stale);
    if (!fresh) {
        m_renew_error = refused(" and it cannot be renewed: " + fresh.error().message);
        return fail(*m_renew_error);
    }
    m_token = fresh->access_token;
    return *m_token;
}

}  // namespace cmtool::platforms::linkedin
