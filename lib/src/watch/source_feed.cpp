// RSS/Atom feed sources with conditional GET (RFC 9110 §13.1): If-None-Match with the stored
// ETag and If-Modified-Since with the stored Last-Modified, so an unchanged feed costs a 304.
// Items already stored are skipped by the store (remote_uri is unique).
#include "cmtool/net/redact.hpp"
#include "cmtool/watch/feed.hpp"
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

}  // namespace cmtool::watch
