// RSS 2.0 and Atom feeds into watch items (feed.hpp), over the bounded XML reader (xml.hpp).
#include "cmtool/watch/feed.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "platforms/mastodon_text.hpp"
#include "platforms/metrics_sources.hpp"
#include "watch/xml.hpp"

namespace cmtool::watch {

namespace {

std::string child_text(const xml::Element& e, std::string_view name) {
    const xml::Element* c = e.child(name);
    return c == nullptr ? std::string() : c->text;
}

std::string trimmed(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Title and summary as one text: summaries are often HTML.
std::string item_text(const std::string& title, const std::string& summary) {
    std::string body = trimmed(platforms::mastodon::html_to_text(summary));
    // Titles are text, but feeds often put escaped HTML in them (Atom type="html").
    std::string t = trimmed(
        title.find('<') == std::string::npos ? title : platforms::mastodon::html_to_text(title));
    return body.empty() ? t : t.empty() ? body : t + " — " + body;
}

Item rss_item(const xml::Element& e) {
    Item it;
    it.platform = "feed";
    it.url = trimmed(child_text(e, "link"));
    it.remote_uri = trimmed(child_text(e, "guid"));
    if (it.remote_uri.empty()) {
        it.remote_uri = it.url;
    }
    it.author = trimmed(child_text(e, "creator"));
    if (it.author.empty()) {
        it.author = trimmed(child_text(e, "author"));
    }
    it.published_at = parse_feed_time(trimmed(child_text(e, "pubDate")))
                          .value_or(parse_feed_time(trimmed(child_text(e, "date")))
                                        .value_or(std::chrono::sys_seconds{}));
    const std::string body =
        child_text(e, "encoded").empty() ? child_text(e, "description") : child_text(e, "encoded");
    it.text = item_text(child_text(e, "title"), body);
    return it;
}

Item atom_entry(const xml::Element& e) {
    Item it;
    it.platform = "feed";
    for (const auto& c : e.children) {
        if (c->local_name() == "link" &&
            (c->attribute("rel").empty() || c->attribute("rel") == "alternate")) {
            it.url = c->attribute("href");
            break;
        }
    }
    it.remote_uri = trimmed(child_text(e, "id"));
    if (it.remote_uri.empty()) {
        it.remote_uri = it.url;
    }
    if (const xml::Element* author = e.child("author")) {
        it.author = trimmed(child_text(*author, "name"));
        it.author_url = trimmed(child_text(*author, "uri"));
    }
    const std::string published = trimmed(child_text(e, "published"));
    it.published_at =
        parse_feed_time(published.empty() ? trimmed(child_text(e, "updated")) : published)
            .value_or(std::chrono::sys_seconds{});
    const std::string body =
        child_text(e, "summary").empty() ? child_text(e, "content") : child_text(e, "summary");
    it.text = item_text(child_text(e, "title"), body);
    it.lang = e.attribute("xml:lang");
    return it;
}

int month_of(std::string_view m) {
    constexpr std::array<std::string_view, 12> k_months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (m == k_months[i]) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

// RFC 822: "[Sat, ]21 Nov 2026 10:00[:00] (+0100|GMT|UTC|Z)".
std::optional<std::chrono::sys_seconds> parse_rfc822(std::string_view s) {
    if (const auto comma = s.find(','); comma != std::string_view::npos) {
        s.remove_prefix(comma + 1);
    }
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    char mon[4] = {};
    char zone[8] = {};
    const std::string text(s);
    const int n =
        std::sscanf(text.c_str(), " %d %3s %d %d:%d:%d %7s", &day, mon, &year, &hh, &mm, &ss, zone);
    if (n < 6) {
        return std::nullopt;
    }
    const int month = month_of(mon);
    if (month == 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) {
        return std::nullopt;
    }
    year = year < 100 ? year + 2000 : year;
    int offset_min = 0;
    const std::string_view z = zone;
    if (z.size() == 5 && (z[0] == '+' || z[0] == '-')) {
        const int v = std::atoi(std::string(z.substr(1)).c_str());
        offset_min = (v / 100 * 60 + v % 100) * (z[0] == '-' ? -1 : 1);
    }
    using namespace std::chrono;
    const auto ymd =
        year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                       std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return sys_seconds{sys_days{ymd}} + hours{hh} + minutes{mm} + seconds{ss} - minutes{offset_min};
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_feed_time(std::string_view text) {
    if (text.size() >= 10 && text[4] == '-') {
        if (auto t = platforms::parse_created_at(text)) {
            return t;
        }
    }
    return parse_rfc822(text);
}

Result<std::vector<Item>> parse_feed(std::string_view document, std::string_view name) {
    auto root = xml::parse(document);
    if (!root) {
        return fail(ErrorCode::parse, fmt::format("feed {}: {}", name, root.error().message),
                    "the server sent malformed XML; it is tried again next run");
    }
    std::vector<Item> items;
    const xml::Element& r = **root;
    if (r.local_name() == "rss" || r.local_name() == "RDF") {
        const xml::Element* channel = r.child("channel");
        const xml::Element& holder = r.local_name() == "RDF" || channel == nullptr ? r : *channel;
        for (const auto& c : holder.children) {
            if (c->local_name() == "item") {
                items.push_back(rss_item(*c));
            }
        }
    } else if (r.local_name() == "feed") {
        for (const auto& c : r.children) {
            if (c->local_name() == "entry") {
                items.push_back(atom_entry(*c));
            }
        }
    } else {
        return fail(
            ErrorCode::parse,
            fmt::format("feed {}: <{}> is neither an RSS <rss> nor an Atom <feed>", name, r.name));
    }
    std::erase_if(items, [](const Item& it) { return it.remote_uri.empty(); });
    return items;
}

}  // namespace cmtool::watch
