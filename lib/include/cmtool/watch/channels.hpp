#pragma once
// Where alerts go (docs/watch.md): JSON lines on stdout, webhooks (Slack, Discord or the alert
// JSON) POSTed with retries on 5xx/429 honouring Retry-After, and e-mail over SMTP.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/net/smtp.hpp"
#include "cmtool/watch/alerts.hpp"

namespace cmtool::watch {

struct ChannelContext {
    net::HttpTransport& http;
    net::Sleeper& sleeper;
    const net::Clock& clock;
    net::Mailer& mailer;
    // Receives each stdout line (the library never prints: the CLI writes it).
    std::function<void(const std::string&)> emit;
    // The SMTP password of an email channel, nullopt when none is configured.
    std::function<std::optional<std::string>(const std::string& channel)> smtp_password;
    std::string lang = "en";
    net::RetryPolicy retry{3, std::chrono::milliseconds(1000), std::chrono::milliseconds(60000)};
};

// The body POSTed to a webhook: Slack {"text","blocks"}, Discord {"content","embeds"}, or
// alert_json for the generic format.
nlohmann::json webhook_payload(const Alert& alert, calendar::WebhookFormat format);

// The RFC 5322 message of an alert: UTF-8 subject as an RFC 2047 encoded-word, a text/plain
// UTF-8 body (quoted-printable) in the workspace language, Date and Message-ID set.
std::string email_message(const Alert& alert, const calendar::WatchChannelConfig& channel,
                          std::string_view lang, std::chrono::sys_seconds now);

// "=?UTF-8?B?...?=" words for a header value that is not plain ASCII; ASCII stays as is.
std::string encode_header_word(std::string_view text);

// Sends the alert to each channel it names (every channel when it names none). Returns
// {"<channel>": "ok" | "<error>"}; a failed channel does not stop the others.
nlohmann::json deliver_alert(const Alert& alert,
                             const std::vector<calendar::WatchChannelConfig>& channels,
                             ChannelContext& ctx);

}  // namespace cmtool::watch
