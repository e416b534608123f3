// Alert delivery (channels.hpp): payload shapes per webhook format and the delivery loop.
#include "cmtool/watch/channels.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/net/redact.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::watch {

namespace {

using nlohmann::json;

std::string headline(const Alert& a) {
    return (a.update ? "[update] " : "") + a.title + ": " + a.summary;
}

std::string mention_line(const store::Mention& m) {
    std::string text = m.text.size() > 200 ? m.text.substr(0, 200) + "…" : m.text;
    std::replace(text.begin(), text.end(), '\n', ' ');
    return fmt::format("{} ({}, {}{}): {}", m.url.empty() ? m.remote_uri : m.url, m.author,
                       m.sentiment, m.group_count > 1 ? fmt::format(", x{}", m.group_count) : "",
                       text);
}

json slack(const Alert& a) {
    std::string list;
    for (const auto& m : a.top) {
        list += fmt::format("• <{}|{}> {}\n", m.url.empty() ? m.remote_uri : m.url,
                            m.author.empty() ? "link" : m.author,
                            m.text.size() > 200 ? m.text.substr(0, 200) + "…" : m.text);
    }
    json blocks = json::array();
    blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", a.title}}}});
    blocks.push_back(
        {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "*" + a.summary + "*"}}}});
    if (!list.empty()) {
        blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", list}}}});
    }
    return {{"text", headline(a)}, {"blocks", std::move(blocks)}};
}

json discord(const Alert& a) {
    std::string list;
    for (const auto& m : a.top) {
        list += "- " + mention_line(m) + "\n";
    }
    json fields = json::array();
    for (const auto& [k, v] : a.figures.items()) {
        fields.push_back({{"name", k}, {"value", v.dump()}, {"inline", true}});
    }
    json embed = {{"title", a.title},
                  {"description", (a.summary + "\n\n" + list).substr(0, 4000)},
                  {"color", a.type == "spike" ? 0xE67E22 : 0xC0392B},
                  {"fields", std::move(fields)}};
    return {{"content", headline(a)}, {"embeds", json::array({std::move(embed)})}};
}

std::string send_webhook(const Alert& a, const calendar::WatchChannelConfig& c,
                         ChannelContext& ctx) {
    if (c.url.empty()) {
        return "webhook " + c.name + ": no URL: set " +
               util::account_env_name(c.name, "webhook_url");
    }
    net::HttpRequest r;
    r.method = "POST";
    r.url = c.url;
    r.timeout = std::chrono::milliseconds(15000);
    net::set_json_body(r, webhook_payload(a, c.format).dump());
    // A duplicate alert message is a nuisance, not a harm: repeat on unknown outcomes too.
    auto res =
        net::send_with_retry(ctx.http, r, ctx.retry, ctx.sleeper, ctx.clock, net::Retryable::yes);
    // A webhook URL is a secret in itself (Slack and Discord put the token in the path):
    // messages name the channel, never the URL.
    const auto scheme_end = c.url.find("://");
    const auto path = c.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const std::vector<std::string> secrets = {
        c.url, net::redact_url(c.url), path == std::string::npos ? c.url : c.url.substr(path)};
    if (!res) {
        return net::redact_text("webhook " + c.name + ": " + res.error().message, secrets);
    }
    if (res->status >= 300) {
        return fmt::format("webhook {}: HTTP {}", c.name, res->status);
    }
    return "ok";
}

std::string send_email(const Alert& a, const calendar::WatchChannelConfig& c, ChannelContext& ctx) {
    net::MailEnvelope mail;
    mail.url = c.url;
    mail.from = c.from;
    mail.to = c.to;
    mail.require_tls = c.starttls;
    mail.username = c.username;
    if (!c.username.empty()) {
        auto password = ctx.smtp_password ? ctx.smtp_password(c.name) : std::nullopt;
        if (!password) {
            return "no SMTP password for channel " + c.name;
        }
        mail.password = *password;
    }
    mail.message =
        email_message(a, c, ctx.lang, std::chrono::floor<std::chrono::seconds>(ctx.clock.now()));
    auto sent = ctx.mailer.send(mail);
    return sent ? "ok" : sent.error().message;
}

}  // namespace

json webhook_payload(const Alert& a, calendar::WebhookFormat format) {
    switch (format) {
        case calendar::WebhookFormat::slack:
            return slack(a);
        case calendar::WebhookFormat::discord:
            return discord(a);
        case calendar::WebhookFormat::json:
            break;
    }
    return alert_json(a);
}

json deliver_alert(const Alert& a, const std::vector<calendar::WatchChannelConfig>& channels,
                   ChannelContext& ctx) {
    json results = json::object();
    for (const auto& c : channels) {
        if (!a.channels.empty() &&
            std::find(a.channels.begin(), a.channels.end(), c.name) == a.channels.end()) {
            continue;
        }
        switch (c.type) {
            case calendar::WatchChannelType::stdout_lines:
                if (ctx.emit) {
                    ctx.emit(alert_json(a).dump());
                }
                results[c.name] = "ok";
                break;
            case calendar::WatchChannelType::webhook:
                results[c.name] = send_webhook(a, c, ctx);
                break;
            case calendar::WatchChannelType::email:
                results[c.name] = send_email(a, c, ctx);
                break;
        }
    }
    return results;
}

}  // namespace cmtool::watch
