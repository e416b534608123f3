// The metrics sources' factory and what every source reads the same way.
#include "cmtool/platforms/metrics.hpp"

#include <fmt/format.h>

#include "cmtool/net/redact.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::platforms {

Answer classify_answer(const Result<net::HttpResponse>& response, std::string& message,
                       const std::string& what) {
    if (!response) {
        message = what + ": " + response.error().message;
        return response.error().code == ErrorCode::network ? Answer::transient : Answer::failed;
    }
    const long status = response->status;
    if (status == 200) {
        return Answer::ok;
    }
    std::string body = response->body.substr(0, 200);
    for (char& c : body) {
        c = c == '\n' || c == '\r' ? ' ' : c;
    }
    message = fmt::format("{}: HTTP {} {}", what, status, body);
    if (status == 429) {
        return Answer::rate_limited;
    }
    if (status == 401) {
        return Answer::auth;
    }
    if (status == 408 || status >= 500) {
        return Answer::transient;
    }
    return Answer::failed;
}

std::optional<std::chrono::sys_seconds> parse_created_at(std::string_view text) {
    // "2026-11-20T10:00:00.123Z": the fraction is dropped (parse_iso8601 would round it up).
    if (text.size() > 19 && text[19] == '.') {
        std::string whole(text.substr(0, 19));
        const auto zone = text.find_first_of("Z+-", 19);
        whole += zone == std::string_view::npos ? std::string("Z") : std::string(text.substr(zone));
        return net::parse_iso8601(whole);
    }
    return net::parse_iso8601(text);
}

std::string excerpt_of(std::string_view text, std::size_t max_bytes) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    if (out.size() <= max_bytes) {
        return out;
    }
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
        --cut;  // never split a UTF-8 sequence
    }
    out.resize(cut);
    return out + "…";
}

Result<std::unique_ptr<MetricsSource>> make_metrics_source(const AdapterContext& ctx) {
    switch (ctx.account.platform) {
        case Platform::mastodon:
            return make_mastodon_metrics(ctx);
        case Platform::bluesky:
            return make_bluesky_metrics(ctx);
        case Platform::telegram:
            // Bots cannot read the view counts of the messages they sent (§6.1).
            return fail(ErrorCode::unavailable,
                        "no metrics on Telegram: a bot cannot read the view counts of the "
                        "messages it sent",
                        "");
        case Platform::discord:
            // A webhook can post but not read reactions or views (§6.2).
            return fail(ErrorCode::unavailable,
                        "no metrics on Discord: a webhook cannot read reactions or views", "");
        case Platform::manual:
            return fail(ErrorCode::unavailable,
                        "no metrics for manual channels: the post went out by hand", "");
        case Platform::linkedin:
            return make_linkedin_metrics(ctx);
        case Platform::facebook:
            return make_facebook_metrics(ctx);
        case Platform::instagram:
            return make_instagram_metrics(ctx);
        case Platform::threads:
            return make_threads_metrics(ctx);
        case Platform::x:
            return make_x_metrics(ctx);
        default:
            break;
    }
    return fail(ErrorCode::unavailable,
                fmt::format("metrics for {} ({}) are not supported yet", ctx.account.name,
                            platform_name(ctx.account.platform)),
                "docs/platforms.md lists what each network supports");
}

}  // namespace cmtool::platforms
