#pragma once
// Where mentions come from (docs/watch.md): pure request builders and answer parsers, like the
// metrics sources, so that a run streams every source's requests concurrently through one
// HttpTransport. A source reads pages newer than its cursor and moves the cursor forward; the
// runner stores the cursor in the same transaction as the mentions it produced.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/net/http.hpp"
#include "cmtool/platforms/adapter.hpp"
#include "cmtool/platforms/metrics.hpp"
#include "cmtool/store/mentions.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::watch {

// One post, article or notification as fetched, before matching and scoring.
struct Item {
    std::string platform;  // mastodon, bluesky, feed, file
    std::string remote_uri;
    std::string url;
    std::string author;
    std::string author_url;
    std::chrono::sys_seconds published_at{};
    std::string text;
    std::string lang;  // the platform's language tag, may be empty
    // A mention notification of our own account: about us whatever its words (the query's
    // terms are not required, its exclusions and languages still apply).
    bool about_us = false;
};

struct Page {
    platforms::Answer answer = platforms::Answer::ok;
    std::vector<Item> items;
    std::optional<net::HttpRequest> next;  // another page to read in this run
    std::string message;                   // why, when not ok (redacted)
    std::string hint;                      // what to do about it, when the source knows
    // rate_limited: when to ask again, when the source reads it from the answer (Meta's usage
    // headers); the runner also reads the generic rate-limit headers.
    std::optional<std::chrono::sys_seconds> retry_at;
};

class WatchSource {
  public:
    virtual ~WatchSource() = default;
    // The cursor key: the source's name, plus "/<query>" for searches run per query.
    virtual const std::string& key() const = 0;
    // Gets what requests need (a token, a session). Fails (config/auth) with a hint.
    virtual Result<void> prepare() { return {}; }
    // After an `auth` answer: a fresh session, once.
    virtual Result<void> renew() {
        return fail(ErrorCode::auth, key() + ": the credentials were refused");
    }
    // The first request of a run, from the stored cursor.
    virtual net::HttpRequest first_request(const store::WatchCursor& cursor) const = 0;
    // Reads an answer: the items newer than the cursor, the next page when the run should go
    // on, and `cursor` moved forward (paging cursor, ETag, Last-Modified).
    virtual Page read(const Result<net::HttpResponse>& response,
                      store::WatchCursor& cursor) const = 0;
    // `text` with the source's secrets masked.
    virtual std::string redact(std::string text) const { return text; }
};

// Builds the source for one (source, query) pair: `query_terms` feeds the platform search of
// mastodon_search and bluesky_search (other types ignore it). Fails (config) for an unknown
// account or missing credentials; `file` sources are not HTTP and are read by read_file_source.
Result<std::unique_ptr<WatchSource>> make_watch_source(const calendar::WatchSourceConfig& config,
                                                       const std::string& key,
                                                       const std::string& query_terms,
                                                       const platforms::AdapterContext* account);

// Reads at most `max_items` items of a JSON-lines file source from byte offset
// `cursor.cursor`, one item per line ({"uri","text","url","author","author_url",
// "published_at","lang","platform"}), moving the cursor past the last line read; an empty
// result means the end. A last line without its newline is read when it parses, and left for
// a later run otherwise (it may still be being written); a file now shorter than the cursor
// (replaced, rotated) is read from its start. Fails (io) when unreadable, (parse)
// with file:line:column for a line that is not JSON or not an object with "uri" and "text".
Result<std::vector<Item>> read_file_source(const std::filesystem::path& file,
                                           store::WatchCursor& cursor, std::size_t max_items);

}  // namespace cmtool::watch
