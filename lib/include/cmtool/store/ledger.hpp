#pragma once
// The publish ledger: what was attempted, sent, failed or is unknown, per delivery (one post
// occurrence to one channel) and per part (the post = part 0, thread items 1..n). The publish
// engine writes an intent (committed, on disk) before each request and the outcome after it,
// and reconciles every part still in `intent` before anything else. See docs/ledger.md.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/platforms/adapter.hpp"
#include "cmtool/store/store.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::store {

using Seconds = std::chrono::sys_seconds;

// awaiting_confirmation: a `manual` channel's post was rendered to a folder for a human to post;
// it becomes sent when they confirm it with its URL (confirm_by_hand).
enum class DeliveryState {
    pending,
    partial,
    sent,
    failed,
    missed,
    deferred,
    awaiting_confirmation
};
// "pending", "partial", ...
std::string_view delivery_state_name(DeliveryState s);
// The state of a name; nullopt when unknown.
std::optional<DeliveryState> parse_delivery_state(std::string_view name);

// intent: the request may have been sent, outcome unknown until recorded or reconciled;
// sent: the platform confirmed it; failed: certainly not published (may be tried again).
enum class PartState { intent, sent, failed };
std::string_view part_state_name(PartState s);

struct DeliveryKey {
    std::string occurrence_id;  // the post occurrence (a recurring post has several)
    std::string channel;        // the account name
};

struct DeliveryRecord {
    std::int64_t id = 0;
    std::string occurrence_id;
    std::string post_id;
    std::string channel;
    std::string platform;
    Seconds scheduled_at{};
    std::string content_hash;  // of the content as rendered when the delivery was created
    DeliveryState state = DeliveryState::pending;
    int parts_total = 1;
    std::string error;
    std::string hint;
    std::optional<Seconds> retry_at;
    std::string url;        // of part 0, once sent
    std::string remote_id;  // of part 0, once sent
    Seconds created_at{};
    Seconds updated_at{};
    std::optional<Seconds> sent_at;
};

struct PartRecord {
    std::int64_t delivery_id = 0;
    int index = 0;
    std::string key;  // idempotency key / record key seed used for the request
    PartState state = PartState::intent;
    std::optional<platforms::RemoteRef> ref;  // set once sent
    int attempts = 0;
    std::optional<Seconds> intent_at;
    std::optional<Seconds> done_at;
    std::string error;
};

// A part whose outcome is unknown, with its delivery: reconcile it before publishing.
struct UnresolvedPart {
    DeliveryRecord delivery;
    PartRecord part;
};

struct EventRecord {
    std::int64_t id = 0;
    std::int64_t delivery_id = 0;
    std::optional<int> part_index;
    Seconds at{};
    std::string kind;  // created, intent, sent, part_failed, state, or the engine's own
    std::string detail;
};

// For `publish status`: every field set narrows the list; scheduled_at in [from, to).
struct DeliveryFilter {
    std::optional<std::string> post_id;
    std::optional<std::string> channel;
    std::optional<DeliveryState> state;
    std::optional<Seconds> from;
    std::optional<Seconds> to;
};

// A stable content fingerprint: FNV-1a 64-bit of `text` as 16 lowercase hex digits. Detects
// that a post was edited after its delivery was created; not a cryptographic hash.
std::string content_hash(std::string_view text);

class Ledger {
  public:
    explicit Ledger(Store& store) : m_store(&store) {}

    // The delivery for `key`: created as pending when absent, else the existing row unchanged
    // (compare its content_hash to see an edit). Fails (invalid) when parts_total < 1.
    Result<DeliveryRecord> ensure_delivery(const DeliveryKey& key, std::string_view post_id,
                                           std::string_view platform, Seconds scheduled_at,
                                           std::string_view content_hash, int parts_total,
                                           Seconds now);
    // The delivery for `key`, or nullopt.
    Result<std::optional<DeliveryRecord>> find_delivery(const DeliveryKey& key);
    // The delivery with this id; fails (not_found) when there is none.
    Result<DeliveryRecord> get_delivery(std::int64_t delivery_id);
    // The parts attempted so far, by index (a part never attempted has no row).
    Result<std::vector<PartRecord>> parts(std::int64_t delivery_id);

    // Records, committed to disk before returning, that part `part_index` is about to be sent
    // with `key`: state intent, attempts + 1. Call it before the request, never after. Fails
    // (conflict) when the part is already sent, or in intent with another key (reconcile first).
    Result<PartRecord> record_intent(std::int64_t delivery_id, int part_index, std::string_view key,
                                     Seconds now);
    // The platform confirmed the part (or reconciliation found it): state sent with `ref`.
    // Idempotent for the same ref id; fails (conflict) when the part is not in intent.
    Result<void> record_sent(std::int64_t delivery_id, int part_index,
                             const platforms::RemoteRef& ref, Seconds now);
    // The part is certainly not published (refused, or reconciliation did not find it): state
    // failed, so a later record_intent may try again. Fails (conflict) when it was sent.
    Result<void> record_part_failed(std::int64_t delivery_id, int part_index,
                                    std::string_view message, Seconds now);
    // Sets the delivery's state, error, hint and retry time. `sent` requires every part sent
    // (else conflict) and stores part 0's url and id and sent_at.
    Result<void> set_delivery_state(std::int64_t delivery_id, DeliveryState state,
                                    std::string_view error, std::string_view hint,
                                    std::optional<Seconds> retry_at, Seconds now);
    // A delivery posted by hand (state awaiting_confirmation) is recorded as sent at `url`:
    // every part sent with that URL, the delivery sent. Returns false when it already was sent
    // at this same URL (nothing changes); fails (conflict) when it was sent at another URL or
    // is in any other state.
    Result<bool> confirm_by_hand(std::int64_t delivery_id, std::string_view url, Seconds now);
    // Appends an event of the engine's own (reconciliation steps, skips) to the log.
    Result<void> add_event(std::int64_t delivery_id, std::optional<int> part_index,
                           std::string_view kind, std::string_view detail, Seconds now);

    // Every part in intent state (outcome unknown), oldest intent first.
    Result<std::vector<UnresolvedPart>> unresolved();
    // The deliveries matching `filter`, by scheduled time then channel.
    Result<std::vector<DeliveryRecord>> list(const DeliveryFilter& filter);
    // The log of one delivery, oldest first.
    Result<std::vector<EventRecord>> events(std::int64_t delivery_id);

  private:
    Store* m_store;
};

}  // namespace cmtool::store
