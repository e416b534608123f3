// RSS/Atom feed sources with conditional GET (RFC 9110 §13.1): If-None-Match with the stored
// ETag and If-Modified-Since with the stored Last-Modified, so an unchanged feed costs a 304.
// Items already stored are skipped by the store (remote_uri is unique).
#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cmtool/net/redact.hpp"
#include "cmtool/util/json.hpp"
#include "cmtool/watch/feed.hpp"
#include "platforms/metrics_sources.hpp"
#include "watch/sources.hpp"

namespace cmtool::watch {

namespace {

using platforms::Answer;

constexpr std::chrono::milliseconds k_timeout{30000};

class FeedSource final : public WatchSource {
  public:
    FeedSource(std::string key, std::string url) : m_key(std::move(key)), m_url(std::move(url)) {}

    const std::string& key() const override { return m_key; }

    net::HttpRequest first_request(const store::WatchCursor& cursor) const override {
        net::HttpRequest r;
        r.url = m_url;
        r.timeout = k_timeout;
        r.headers.emplace_back("Accept",
                               "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                               "text/xml;q=0.8");
        if (!cursor.etag.empty()) {
            r.headers.emplace_back("If-None-Match", cursor.etag);
        }
        if (!cursor.last_modified.empty()) {
            r.headers.emplace_back("If-Modified-Since", cursor.last_modified);
        }
        return r;
    }

    Page read(const Result<net::HttpResponse>& response,
              store::WatchCursor& cursor) const override {
        Page page;
        if (response && response->status == 304) {
            return page;  // unchanged since the stored validators
        }
        page.answer =
            platforms::classify_answer(response, page.message, "feed " + net::redact_url(m_url));
        if (page.answer != Answer::ok) {
            return page;
        }
        auto items = parse_feed(response->body, net::redact_url(m_url));
        if (!items) {
            page.answer = Answer::failed;
            page.message = items.error().message;
            return page;
        }
        page.items = std::move(*items);
        cursor.etag = response->header("ETag").value_or("");
        cursor.last_modified = response->header("Last-Modified").value_or("");
        return page;
    }

  private:
    std::string m_key;
    std::string m_url;
};

}  // namespace

std::unique_ptr<WatchSource> make_feed_source(const calendar::WatchSourceConfig& config,
                                              const std::string& key) {
    return std::make_unique<FeedSource>(key, config.url);
}

Result<std::unique_ptr<WatchSource>> make_watch_source(const calendar::WatchSourceConfig& config,
                                                       const std::string& key,
                                                       const std::string& query_terms,
                                                       const platforms::AdapterContext* account) {
    using T = calendar::WatchSourceType;
    switch (config.type) {
        case T::feed:
            return make_feed_source(config, key);
        case T::file:
            return fail(ErrorCode::internal, "file sources are read with read_file_source");
        case T::mastodon_mentions:
        case T::mastodon_tag:
        case T::mastodon_search:
        case T::bluesky_mentions:
        case T::bluesky_search:
        case T::x_search:
        case T::threads_search:
            break;
    }
    if (account == nullptr) {
        return fail(ErrorCode::config, "source `" + config.name + "` has no usable account",
                    "name an account of `accounts` in watch.sources." + config.name);
    }
    if (config.type == T::x_search) {
        return make_x_source(config, key, query_terms, *account);
    }
    if (config.type == T::threads_search) {
        return make_threads_source(config, key, query_terms, *account);
    }
    const bool mastodon = config.type == T::mastodon_mentions || config.type == T::mastodon_tag ||
                          config.type == T::mastodon_search;
    return mastodon ? make_mastodon_source(config, key, query_terms, *account)
                    : make_bluesky_source(config, key, query_terms, *account);
}

Result<std::vector<Item>> read_file_source(const std::filesystem::path& file,
                                           store::WatchCursor& cursor, std::size_t max_items) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (f == nullptr) {
        return fail(ErrorCode::io, "cannot read " + file.string());
    }
    long offset = 0;
    try {
        offset = cursor.cursor.empty() ? 0 : std::stol(cursor.cursor);
    } catch (const std::exception&) {
        offset = 0;
    }
    std::fseek(f, offset, SEEK_SET);
    std::vector<Item> items;
    std::size_t line_no = 0;
    std::vector<char> buf(1 << 16);
    std::string pending;
    std::size_t got = 0;
    long consumed = offset;
    while (items.size() < max_items && (got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
        pending.append(buf.data(), got);
        std::size_t start = 0;
        for (auto nl = pending.find('\n'); nl != std::string::npos && items.size() < max_items;
             nl = pending.find('\n', start)) {
            const std::string_view l(pending.data() + start, nl - start);
            ++line_no;
            start = nl + 1;
            if (l.find_first_not_of(" \t\r") == std::string_view::npos) {
                continue;
            }
            const auto j = nlohmann::json::parse(l, nullptr, false);
            if (!j.is_object() || util::json_string(j, "uri").empty() || !j.contains("text")) {
                std::fclose(f);
                return fail(ErrorCode::parse,
                            fmt::format("{}: line {}: not a mention object with \"uri\" and "
                                        "\"text\"",
                                        file.string(), line_no));
            }
            Item it;
            it.platform = util::json_string(j, "platform").empty()
                              ? "file"
                              : util::json_string(j, "platform");
            it.remote_uri = util::json_string(j, "uri");
            it.url = util::json_string(j, "url");
            it.author = util::json_string(j, "author");
            it.author_url = util::json_string(j, "author_url");
            it.text = util::json_string(j, "text");
            it.lang = util::json_string(j, "lang");
            it.published_at = platforms::parse_created_at(util::json_string(j, "published_at"))
                                  .value_or(std::chrono::sys_seconds{});
            items.push_back(std::move(it));
        }
        consumed += static_cast<long>(start);
        pending.erase(0, start);
    }
    std::fclose(f);
    cursor.cursor = std::to_string(consumed);
    return items;
}

}  // namespace cmtool::watch
