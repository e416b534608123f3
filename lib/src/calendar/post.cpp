#include "cmtool/calendar/post.hpp"

#include <fmt/format.h>

#include "cmtool/calendar/render.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

std::string_view status_name(PostStatus s) {
    switch (s) {
        case PostStatus::draft:
            return "draft";
        case PostStatus::ready:
            return "ready";
        case PostStatus::cancelled:
            return "cancelled";
    }
    return "ready";
}

Pos Post::where(std::string_view key) const {
    for (const auto& [k, p] : key_pos) {
        if (k == key) {
            return p;
        }
    }
    return pos;
}

const Variant* Post::variant_for(std::string_view channel) const {
    const auto it = variants.find(std::string(channel));
    return it == variants.end() ? nullptr : &it->second;
}

namespace {

std::string url_encode(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

}  // namespace

std::string add_utm(const std::string& url, const Utm& utm, std::string_view source,
                    std::string_view campaign) {
    if (!utm.enabled || url.empty()) {
        return url;
    }
    const auto hash = url.find('#');
    std::string base = url.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
    auto add = [&](std::string_view key, std::string_view value) {
        if (value.empty() || base.find(fmt::format("{}=", key)) != std::string::npos) {
            return;
        }
        base += base.find('?') == std::string::npos ? '?' : '&';
        base += fmt::format("{}={}", key, url_encode(value));
    };
    add("utm_source", utm.source.empty() ? source : std::string_view(utm.source));
    add("utm_medium",
        utm.medium.empty() ? std::string_view("social") : std::string_view(utm.medium));
    add("utm_campaign", utm.campaign.empty() ? campaign : std::string_view(utm.campaign));
    return base + fragment;
}

Rendered render(const Post& post, std::string_view channel, const WorkspaceConfig& ws) {
    Rendered out;
    const Variant* v = post.variant_for(channel);
    out.text = v != nullptr && v->text ? *v->text : post.text;
    out.thread = v != nullptr && v->thread ? *v->thread : post.thread;
    out.media = v != nullptr && v->media ? *v->media : post.media;
    const std::string& link = v != nullptr && v->link ? *v->link : post.link;
    // Block scalars end with a newline; what is sent does not.
    while (!out.text.empty() && (out.text.back() == '\n' || out.text.back() == ' ')) {
        out.text.pop_back();
    }
    for (auto& t : out.thread) {
        t = std::string(util::trim(t));
    }
    if (!link.empty()) {
        const Account* acc = ws.find_account(channel);
        const std::string source =
            acc != nullptr ? std::string(platform_name(acc->platform)) : std::string(channel);
        out.link = add_utm(link, ws.utm, source, post.campaign);
        if (out.text.find(link) == std::string::npos) {
            out.text += out.text.empty() ? "" : "\n\n";
            out.text += out.link;
        } else if (out.link != link) {
            out.text = util::replace_all(out.text, link, out.link);
        }
    }
    return out;
}

}  // namespace cmtool::calendar
