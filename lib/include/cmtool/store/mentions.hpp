#pragma once
// Social-listening state (docs/watch.md, docs/store.md): mentions stored once per platform URI
// with their sentiment, reposts grouped; each source's cursor, saved in the same transaction
// as the mentions it produced; and the alerts fired, with their cooldown updates.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::store {

namespace sqlite {
class Transaction;
}

using Seconds = std::chrono::sys_seconds;

struct Mention {
    std::int64_t id = 0;
    std::string source;  // the watch source's name
    std::string query;   // the first query (in configuration order) it matched
    std::string platform;
    std::string remote_uri;  // unique: Mastodon status URI, at:// URI, feed GUID or link
    std::string url;
    std::string author;
    std::string author_url;
    Seconds published_at{};
    Seconds fetched_at{};
    std::string text;
    std::string lang;                   // "fr", "en", "mixed" or the platform's tag
    std::string sentiment = "neutral";  // negative | neutral | positive
    double score = 0;
    std::uint64_t group_key = 0;   // normalised text's hash (repost_group_key)
    std::int64_t group_count = 1;  // leader: members of its group; other members: 0
};

// Where a source stands: its paging cursor, HTTP validators, and its failure streak.
struct WatchCursor {
    std::string source;  // the source key ("masto-mentions", "bsky-search/greencart")
    std::string cursor;
    std::string etag;
    std::string last_modified;
    std::int64_t failures = 0;
    std::optional<Seconds> next_try_at;
    std::string last_error;
};

struct SaveResult {
    std::size_t inserted = 0;
    std::size_t duplicates = 0;            // already stored (same remote_uri)
    std::size_t grouped = 0;               // inserted as a repost of an earlier mention
    std::vector<std::size_t> new_indexes;  // positions (in the input) of the inserted ones
};

struct MentionFilter {
    std::string query;            // empty: all
    std::optional<Seconds> from;  // published_at >= from
    std::optional<Seconds> to;    // published_at < to
    std::size_t limit = 0;        // 0: no limit
    bool leaders_only = false;    // one row per repost group
    bool newest_first = true;
};

struct AlertRecord {
    std::int64_t id = 0;
    std::string rule;
    std::string query;
    Seconds fired_at{};
    Seconds updated_at{};
    std::int64_t updates = 0;
    std::string figures_json = "{}";
    std::string mentions_json = "[]";
    std::string channels_json = "{}";
};

// A text's repost group: the hash of its words once "RT", URLs, @handles, case and
// whitespace are gone, so "RT @a: Great news https://x" and "great news" share it.
std::uint64_t repost_group_key(std::string_view text);
// The 64-bit key a mention's remote_uri is unique by (a hash: the table's unique index holds 8
// bytes per row instead of the URI). Two URIs with the same key are told apart by their text:
// the second is stored under the next key of a fixed probe sequence (docs/store.md).
std::int64_t mention_uri_key(std::string_view remote_uri);

// Mentions made ready to insert: in publication order (then input order), with their URI keys
// and the sorted list of their repost groups. Pure computation, on any thread: a file import
// prepares the next chunk on a worker while the current one is stored.
struct PreparedMentions {
    std::vector<Mention> mentions;
    std::vector<std::size_t> positions;  // each mention's position in the input
    std::vector<std::int64_t> uri_keys;  // mention_uri_key of each remote_uri
    std::vector<std::int64_t> groups;    // the distinct group keys, sorted
    std::int64_t from = 0;               // earliest published_at (store seconds)
    std::int64_t to = 0;                 // latest
};
PreparedMentions prepare_mentions(std::vector<Mention> mentions);

// A write transaction kept open over several saves: a large import commits every few chunks
// instead of every chunk (each commit rewrites every index page it dirtied, and a chunk of
// mentions dirties pages all over the URI and group indexes). Each save writes its cursor in
// the same transaction, so whatever is committed is consistent; rolled back when destroyed
// uncommitted. Holds the store's write lock until commit: keep it short (seconds).
class MentionBatch {
  public:
    MentionBatch(MentionBatch&&) noexcept;
    MentionBatch& operator=(MentionBatch&&) = delete;
    MentionBatch(const MentionBatch&) = delete;
    MentionBatch& operator=(const MentionBatch&) = delete;
    ~MentionBatch();

    // As MentionStore::save, inside this transaction (nothing is durable before commit).
    // SaveResult::new_indexes are positions in the input (PreparedMentions::positions).
    Result<SaveResult> save(const std::vector<Mention>& mentions, const WatchCursor& cursor,
                            std::chrono::minutes group_window);
    Result<SaveResult> save(const PreparedMentions& mentions, const WatchCursor& cursor,
                            std::chrono::minutes group_window);
    // Commits every save since begin_batch; the batch cannot be used afterwards. Fails
    // (io/conflict) when SQLite cannot commit (everything is then rolled back), (internal) on
    // a second commit.
    Result<void> commit();

  private:
    friend class MentionStore;
    MentionBatch(Store& store, std::unique_ptr<sqlite::Transaction> tx);
    Store* m_store;
    std::unique_ptr<sqlite::Transaction> m_tx;
};

class MentionStore {
  public:
    explicit MentionStore(Store& store) : m_store(store) {}

    // The cursor of a source, nullopt when it never ran.
    Result<std::optional<WatchCursor>> cursor(const std::string& source);
    // Inserts the mentions not yet stored (same remote_uri: skipped), grouping reposts of the
    // same text published within group_window, and writes `cursor` (failures reset) in the same
    // transaction. Fails (io/conflict) with nothing written.
    Result<SaveResult> save(const std::vector<Mention>& mentions, const WatchCursor& cursor,
                            std::chrono::minutes group_window);
    // Opens a write transaction for several saves (MentionBatch). Fails (conflict) when
    // another process holds the store's write lock past the busy timeout, (io) otherwise.
    Result<MentionBatch> begin_batch();
    // Inserts mentions in one transaction without touching any cursor (mentions that come from
    // no source: tests, tools).
    Result<SaveResult> save_all(const std::vector<Mention>& mentions,
                                std::chrono::minutes group_window);
    // Records a failed run of a source: failures + 1, next_try_at and the error; the paging
    // cursor and validators are kept.
    Result<void> record_failure(const std::string& source, const std::string& error,
                                std::optional<Seconds> next_try_at, Seconds now);

    Result<std::vector<Mention>> mentions(const MentionFilter& filter);
    // Mentions of `query` (all when empty) published in [from, to).
    Result<std::int64_t> count(const std::string& query, Seconds from, Seconds to,
                               const std::string& sentiment = {});
    Result<std::int64_t> total();

    // The newest alert of (rule, query), nullopt when none.
    Result<std::optional<AlertRecord>> latest_alert(const std::string& rule,
                                                    const std::string& query);
    // Inserts a new alert and returns its id.
    Result<std::int64_t> insert_alert(const AlertRecord& alert);
    // Folds new evidence into an alert in cooldown: figures, mentions, channels, updated_at,
    // updates + 1.
    Result<void> update_alert(const AlertRecord& alert);
    Result<std::vector<AlertRecord>> alerts(std::optional<Seconds> since);

  private:
    Store& m_store;
};

}  // namespace cmtool::store
