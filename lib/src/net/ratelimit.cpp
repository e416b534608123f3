#include "cmtool/net/ratelimit.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

#include "net/ascii.hpp"

namespace cmtool::net {
namespace {

using std::chrono::ceil;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::sys_seconds;

std::optional<long> parse_long(std::string_view s) {
    s = detail::trim(s);
    long v = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return v;
}

// Exactly `n` digits at s[pos...], as an int.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) {
        return std::nullopt;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return std::nullopt;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::optional<sys_seconds> make_time(int y, int mo, int d, int h, int mi, int sec) {
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    return sys_seconds{std::chrono::sys_days{ymd}} + std::chrono::hours{h} +
           std::chrono::minutes{mi} + seconds{sec};
}

// "12.345" seconds as milliseconds, rounded up; digits only, no sign.
std::optional<milliseconds> parse_decimal_seconds(std::string_view s) {
    s = detail::trim(s);
    const auto dot = s.find('.');
    const auto whole = parse_long(s.substr(0, dot));
    if (!whole || *whole < 0) {
        return std::nullopt;
    }
    long ms = *whole * 1000;
    if (dot != std::string_view::npos) {
        const std::string_view frac = s.substr(dot + 1);
        long scale = 100;
        for (std::size_t i = 0; i < frac.size(); ++i) {
            if (frac[i] < '0' || frac[i] > '9') {
                return std::nullopt;
            }
            if (i < 3) {
                ms += (frac[i] - '0') * scale;
                scale /= 10;
            } else if (frac[i] != '0') {
                ms += 1;  // round up: never retry before the server said
                break;
            }
        }
    }
    return milliseconds{ms};
}

// An epoch-seconds reset, possibly with decimals (Discord), rounded up.
std::optional<sys_seconds> parse_epoch(std::string_view s) {
    const auto ms = parse_decimal_seconds(s);
    if (!ms) {
        return std::nullopt;
    }
    return sys_seconds{ceil<seconds>(*ms)};
}

// X-RateLimit-Reset is ISO 8601 on Mastodon and epoch seconds on Discord.
std::optional<sys_seconds> parse_reset(std::string_view s) {
    if (auto iso = parse_iso8601(s)) {
        return iso;
    }
    return parse_epoch(s);
}

std::optional<long> header_long(const HttpResponse& r, std::string_view name) {
    const auto v = r.header(name);
    return v ? parse_long(*v) : std::nullopt;
}

RateLimit parse_family(const HttpResponse& r, std::string_view prefix) {
    const std::string p(prefix);
    RateLimit out;
    out.limit = header_long(r, p + "limit");
    out.remaining = header_long(r, p + "remaining");
    if (const auto reset = r.header(p + "reset")) {
        out.reset = parse_reset(*reset);
    }
    return out;
}

}  // namespace

std::optional<sys_seconds> parse_iso8601(std::string_view t) {
    t = detail::trim(t);
    const auto y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
    const auto h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
    if (!y || !mo || !d || !h || !mi || !s || t[4] != '-' || t[7] != '-' || t[13] != ':' ||
        t[16] != ':' || (t[10] != 'T' && t[10] != 't' && t[10] != ' ')) {
        return std::nullopt;
    }
    auto time = make_time(*y, *mo, *d, *h, *mi, *s);
    std::size_t pos = 19;
    bool fraction = false;
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
        ++pos;
        const auto start = pos;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
            fraction = fraction || t[pos] != '0';
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    const std::string_view zone = t.substr(pos);
    if (!time || zone.empty()) {
        return std::nullopt;  // a time without a zone is not an instant
    }
    if (zone != "Z" && zone != "z") {
        const bool colon = zone.size() == 6 && zone[3] == ':';
        const auto zh = digits(zone, 1, 2);
        const auto zm = digits(zone, colon ? 4 : 3, 2);
        if ((zone[0] != '+' && zone[0] != '-') || (zone.size() != 5 && !colon) || !zh || !zm) {
            return std::nullopt;
        }
        const auto offset = std::chrono::hours{*zh} + std::chrono::minutes{*zm};
        *time += zone[0] == '+' ? -offset : offset;
    }
    return fraction ? *time + seconds{1} : *time;
}

std::optional<sys_seconds> parse_http_date(std::string_view t) {
    static constexpr std::array<std::string_view, 12> k_months{
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    t = detail::trim(t);
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions after the day name and comma.
    if (t.size() != 29 || t[3] != ',' || t[4] != ' ' || t.substr(26) != "GMT") {
        return std::nullopt;
    }
    int month = 0;
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (t.substr(8, 3) == k_months[i]) {
            month = static_cast<int>(i) + 1;
        }
    }
    const auto d = digits(t, 5, 2), y = digits(t, 12, 4);
    const auto h = digits(t, 17, 2), mi = digits(t, 20, 2), s = digits(t, 23, 2);
    if (month == 0 || !d || !y || !h || !mi || !s || t[19] != ':' || t[22] != ':') {
        return std::nullopt;
    }
    return make_time(*y, month, *d, *h, *mi, *s);
}

std::optional<milliseconds> parse_retry_after(std::string_view value, SysTime now) {
    if (const auto secs = parse_long(value)) {
        return *secs < 0 ? std::nullopt : std::optional<milliseconds>(seconds{*secs});
    }
    if (const auto date = parse_http_date(value)) {
        return std::max(milliseconds{0}, ceil<milliseconds>(*date - now));
    }
    return std::nullopt;
}

std::optional<milliseconds> retry_after(const HttpResponse& response, SysTime now) {
    const auto value = response.header("Retry-After");
    return value ? parse_retry_after(*value, now) : std::nullopt;
}

RateLimit parse_mastodon_rate_limit(const HttpResponse& response) {
    return parse_family(response, "X-RateLimit-");
}

RateLimit parse_bluesky_rate_limit(const HttpResponse& response, SysTime now) {
    RateLimit out = parse_family(response, "RateLimit-");
    if (!out.reset) {
        if (const auto delay = retry_after(response, now)) {
            out.reset = ceil<seconds>(now + *delay);
        }
    }
    return out;
}

RateLimit parse_x_rate_limit(const HttpResponse& response) {
    return parse_family(response, "x-rate-limit-");
}

RateLimit parse_discord_rate_limit(const HttpResponse& response, SysTime now) {
    RateLimit out = parse_family(response, "X-RateLimit-");
    if (const auto after = response.header("X-RateLimit-Reset-After")) {
        if (const auto delay = parse_decimal_seconds(*after)) {
            out.reset = ceil<seconds>(now + *delay);
        }
    }
    return out;
}

// A JSON number of seconds (integer or decimal) as milliseconds; nullopt when not a
// non-negative number.
static std::optional<milliseconds> json_seconds(const nlohmann::json& j) {
    if (!j.is_number() || j.get<double>() < 0 || j.get<double>() > 1e9) {
        return std::nullopt;
    }
    return milliseconds(static_cast<long>(j.get<double>() * 1000.0 + 0.5));
}

RateLimit parse_telegram_rate_limit(const HttpResponse& response, SysTime now) {
    RateLimit out;
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    std::optional<milliseconds> delay;
    if (body.is_object() && body.contains("parameters") && body["parameters"].is_object() &&
        body["parameters"].contains("retry_after")) {
        delay = json_seconds(body["parameters"]["retry_after"]);
    }
    if (!delay) {
        delay = retry_after(response, now);
    }
    if (delay) {
        out.remaining = 0;
        out.reset = ceil<seconds>(now + *delay);
    }
    return out;
}

RateLimit parse_linkedin_rate_limit(const HttpResponse& response, SysTime now) {
    RateLimit out;
    if (response.status != 429) {
        return out;
    }
    out.remaining = 0;
    if (const auto delay = retry_after(response, now)) {
        out.reset = ceil<seconds>(now + *delay);
    } else {
        out.reset = sys_seconds(std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1));
    }
    return out;
}

std::optional<milliseconds> parse_discord_retry_after(const HttpResponse& response, SysTime now) {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("retry_after")) {
        if (const auto delay = json_seconds(body["retry_after"])) {
            return delay;
        }
    }
    return retry_after(response, now);
}

RateLimit parse_any_rate_limit(const HttpResponse& response, SysTime now) {
    RateLimit out;
    if (response.header("X-RateLimit-Reset-After")) {
        out = parse_discord_rate_limit(response, now);
    } else if (out = parse_x_rate_limit(response); out.empty()) {
        if (out = parse_family(response, "RateLimit-"); out.empty()) {
            out = parse_mastodon_rate_limit(response);
        }
    }
    if (!out.reset) {
        if (const auto delay = retry_after(response, now)) {
            out.reset = ceil<seconds>(now + *delay);
            out.remaining = out.remaining.value_or(0);
        }
    }
    return out;
}

namespace {

// One usage object {"call_count":N,"total_cputime":N,"total_time":N,
// "estimated_time_to_regain_access":M}: the highest percentage into `used`, the wait into
// `regain_minutes`. Numbers may come as strings through some proxies.
void read_meta_usage(const nlohmann::json& u, long& used, long& regain_minutes) {
    if (!u.is_object()) {
        return;
    }
    auto number = [](const nlohmann::json& v) -> std::optional<long> {
        if (v.is_number()) {
            return static_cast<long>(v.get<double>());
        }
        if (v.is_string()) {
            return parse_long(v.get<std::string>());
        }
        return std::nullopt;
    };
    for (const char* key : {"call_count", "total_cputime", "total_time"}) {
        if (const auto it = u.find(key); it != u.end()) {
            if (const auto v = number(*it); v && *v > used) {
                used = *v;
            }
        }
    }
    if (const auto it = u.find("estimated_time_to_regain_access"); it != u.end()) {
        if (const auto v = number(*it); v && *v > regain_minutes) {
            regain_minutes = *v;
        }
    }
}

}  // namespace

RateLimit parse_meta_rate_limit(const HttpResponse& response, SysTime now) {
    long used = -1;
    long regain = 0;
    if (const auto app = response.header("X-App-Usage")) {
        read_meta_usage(nlohmann::json::parse(*app, nullptr, false), used, regain);
    }
    if (const auto buc = response.header("X-Business-Use-Case-Usage")) {
        // {"<business-or-page-id>": [{"type": "pages", ...}, ...], ...}
        const auto j = nlohmann::json::parse(*buc, nullptr, false);
        if (j.is_object()) {
            for (const auto& [id, entries] : j.items()) {
                if (entries.is_array()) {
                    for (const auto& e : entries) {
                        read_meta_usage(e, used, regain);
                    }
                } else {
                    read_meta_usage(entries, used, regain);
                }
            }
        }
    }
    RateLimit out;
    if (used < 0 && regain <= 0) {
        return out;
    }
    out.limit = 100;
    out.remaining = regain > 0 ? 0L : std::max(0L, 100 - std::max(0L, used));
    if (regain > 0) {
        out.reset = ceil<seconds>(now) + std::chrono::minutes(regain);
    }
    return out;
}

RateDecision decide(const RateLimit& limit, SysTime now, milliseconds max_wait) {
    if (!limit.remaining || *limit.remaining > 0) {
        return RateDecision{RateDecision::Action::proceed, milliseconds{0}, limit.reset};
    }
    if (!limit.reset) {
        return RateDecision{RateDecision::Action::defer, milliseconds{0}, std::nullopt};
    }
    const auto wait = ceil<milliseconds>(*limit.reset - now);
    if (wait <= milliseconds{0}) {
        return RateDecision{RateDecision::Action::proceed, milliseconds{0}, limit.reset};
    }
    if (wait <= max_wait) {
        return RateDecision{RateDecision::Action::wait, wait, limit.reset};
    }
    return RateDecision{RateDecision::Action::defer, milliseconds{0}, limit.reset};
}

}  // namespace cmtool::net
