#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;

namespace {

const Seconds k_t0{std::chrono::seconds{1'800'000'000}};
const Seconds k_t1 = k_t0 + std::chrono::seconds{5};

struct Fixture {
    test::TempDir tmp{"ledger"};
    Store store = [this] {
        auto s = Store::open(tmp.path());
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return std::move(*s);
    }();
    Ledger ledger{store};

    DeliveryRecord delivery(const std::string& occurrence, int parts = 1,
                            const std::string& channel = "masto", Seconds at = k_t0) {
        auto d = ledger.ensure_delivery({occurrence, channel},
                                        occurrence.substr(0, occurrence.find('@')), "mastodon", at,
                                        "hash-1", parts, k_t0);
        REQUIRE_MESSAGE(d.has_value(), (d ? "" : d.error().message));
        return *d;
    }
};

platforms::RemoteRef remote(const std::string& id) {
    platforms::RemoteRef r;
    r.id = id;
    r.url = "https://m.example/@atelier/" + id;
    return r;
}

std::vector<std::string> kinds(const std::vector<EventRecord>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        out.push_back(e.kind);
    }
    return out;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "ledger: ensure_delivery creates a pending delivery once") {
    const DeliveryRecord d = delivery("noel@2026-12-24T09:00", 2);
    CHECK(d.id > 0);
    CHECK(d.state == DeliveryState::pending);
    CHECK(d.post_id == "noel");
    CHECK(d.parts_total == 2);
    CHECK(d.scheduled_at == k_t0);
    CHECK(d.created_at == k_t0);
    CHECK(!d.sent_at);

    // Again, with other content: the existing row comes back unchanged.
    auto again = ledger.ensure_delivery({"noel@2026-12-24T09:00", "masto"}, "noel", "mastodon",
                                        k_t1, "hash-2", 3, k_t1);
    REQUIRE(again);
    CHECK(again->id == d.id);
    CHECK(again->content_hash == "hash-1");
    CHECK(again->parts_total == 2);
    CHECK(again->created_at == k_t0);
    CHECK(kinds(ledger.events(d.id).value()) == std::vector<std::string>{"created"});

    auto other_channel = ledger.ensure_delivery({"noel@2026-12-24T09:00", "bsky"}, "noel",
                                                "bluesky", k_t0, "hash-1", 1, k_t0);
    REQUIRE(other_channel);
    CHECK(other_channel->id != d.id);

    auto bad = ledger.ensure_delivery({"x@1", "masto"}, "x", "mastodon", k_t0, "h", 0, k_t0);
    REQUIRE(!bad);
    CHECK(bad.error().code == ErrorCode::invalid);
}

TEST_CASE_FIXTURE(Fixture, "ledger: intent, then sent, then the delivery is sent") {
    const DeliveryRecord d = delivery("noel@1");
    auto intent = ledger.record_intent(d.id, 0, "masto:noel@1:0", k_t0);
    REQUIRE(intent);
    CHECK(intent->state == PartState::intent);
    CHECK(intent->attempts == 1);
    CHECK(intent->intent_at == k_t0);

    auto open_parts = ledger.unresolved();
    REQUIRE(open_parts);
    REQUIRE(open_parts->size() == 1);
    CHECK(open_parts->front().delivery.id == d.id);
    CHECK(open_parts->front().part.key == "masto:noel@1:0");

    REQUIRE(ledger.record_sent(d.id, 0, remote("111"), k_t1));
    CHECK(ledger.unresolved().value().empty());
    CHECK(ledger.record_sent(d.id, 0, remote("111"), k_t1));  // same outcome twice: fine

    auto parts = ledger.parts(d.id);
    REQUIRE(parts);
    REQUIRE(parts->size() == 1);
    CHECK(parts->front().state == PartState::sent);
    REQUIRE(parts->front().ref);
    CHECK(parts->front().ref->id == "111");
    CHECK(parts->front().done_at == k_t1);

    REQUIRE(ledger.set_delivery_state(d.id, DeliveryState::sent, "", "", std::nullopt, k_t1));
    auto now = ledger.get_delivery(d.id);
    REQUIRE(now);
    CHECK(now->state == DeliveryState::sent);
    CHECK(now->remote_id == "111");
    CHECK(now->url == "https://m.example/@atelier/111");
    CHECK(now->sent_at == k_t1);
    CHECK(now->updated_at == k_t1);
    CHECK(kinds(ledger.events(d.id).value()) ==
          std::vector<std::string>{"created", "intent", "sent", "state"});
}

TEST_CASE_FIXTURE(Fixture, "ledger: a thread is sent only when every part is") {
    const DeliveryRecord d = delivery("fil@1", 3);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(ledger.record_intent(d.id, i, "k" + std::to_string(i), k_t0));
        REQUIRE(ledger.record_sent(d.id, i, remote(std::to_string(100 + i)), k_t0));
    }
    REQUIRE(ledger.record_intent(d.id, 2, "k2", k_t0));
    auto early = ledger.set_delivery_state(d.id, DeliveryState::sent, "", "", std::nullopt, k_t1);
    REQUIRE(!early);
    CHECK(early.error().code == ErrorCode::conflict);
    CHECK(early.error().message.find("2 of 3") != std::string::npos);
    REQUIRE(
        ledger.set_delivery_state(d.id, DeliveryState::partial, "timeout", "", std::nullopt, k_t1));
    auto open_parts = ledger.unresolved().value();
    REQUIRE(open_parts.size() == 1);
    CHECK(open_parts.front().part.index == 2);
    CHECK(open_parts.front().delivery.state == DeliveryState::partial);
    CHECK(open_parts.front().delivery.error == "timeout");

    auto out_of_range = ledger.record_intent(d.id, 3, "k3", k_t0);
    REQUIRE(!out_of_range);
    CHECK(out_of_range.error().code == ErrorCode::invalid);
}

TEST_CASE_FIXTURE(Fixture, "ledger: nothing is sent twice and nothing is sent without an intent") {
    const DeliveryRecord d = delivery("promo@1");
    auto no_intent = ledger.record_sent(d.id, 0, remote("1"), k_t0);
    REQUIRE(!no_intent);
    CHECK(no_intent.error().code == ErrorCode::conflict);

    REQUIRE(ledger.record_intent(d.id, 0, "key-a", k_t0));
    auto other_key = ledger.record_intent(d.id, 0, "key-b", k_t0);
    REQUIRE(!other_key);
    CHECK(other_key.error().code == ErrorCode::conflict);
    CHECK(other_key.error().hint.find("reconcile") != std::string::npos);
    auto same_key = ledger.record_intent(d.id, 0, "key-a", k_t1);  // idempotent resend
    REQUIRE(same_key);
    CHECK(same_key->attempts == 2);

    // Certainly not published: failed, and a later attempt may use a new key.
    REQUIRE(ledger.record_part_failed(d.id, 0, "HTTP 422: too long", k_t1));
    CHECK(ledger.unresolved().value().empty());
    auto failed = ledger.parts(d.id).value();
    CHECK(failed.front().state == PartState::failed);
    CHECK(failed.front().error == "HTTP 422: too long");
    auto sent_after_failed = ledger.record_sent(d.id, 0, remote("6"), k_t1);
    REQUIRE(!sent_after_failed);
    CHECK(sent_after_failed.error().code == ErrorCode::conflict);
    auto retry = ledger.record_intent(d.id, 0, "key-c", k_t1);
    REQUIRE(retry);
    CHECK(retry->attempts == 3);
    CHECK(retry->error.empty());

    REQUIRE(ledger.record_sent(d.id, 0, remote("7"), k_t1));
    auto twice = ledger.record_intent(d.id, 0, "key-c", k_t1);
    REQUIRE(!twice);
    CHECK(twice.error().code == ErrorCode::conflict);
    CHECK(!ledger.record_part_failed(d.id, 0, "late", k_t1));
    CHECK(!ledger.record_sent(d.id, 0, remote("8"), k_t1));

    REQUIRE(ledger.set_delivery_state(d.id, DeliveryState::sent, "", "", std::nullopt, k_t1));
    auto back = ledger.set_delivery_state(d.id, DeliveryState::failed, "x", "", std::nullopt, k_t1);
    REQUIRE(!back);
    CHECK(back.error().code == ErrorCode::conflict);

    auto missing = ledger.record_intent(d.id + 1000, 0, "k", k_t0);
    REQUIRE(!missing);
    CHECK(missing.error().code == ErrorCode::not_found);
}

TEST_CASE_FIXTURE(Fixture, "ledger: failed and deferred keep error, hint and retry time") {
    const DeliveryRecord d = delivery("a@1");
    const Seconds later = k_t0 + std::chrono::minutes{15};
    REQUIRE(ledger.set_delivery_state(d.id, DeliveryState::deferred, "rate limited",
                                      "retried at the next run", later, k_t1));
    auto got = ledger.get_delivery(d.id).value();
    CHECK(got.state == DeliveryState::deferred);
    CHECK(got.error == "rate limited");
    CHECK(got.hint == "retried at the next run");
    CHECK(got.retry_at == later);
    REQUIRE(ledger.add_event(d.id, 0, "reconcile", "lookup: not found", k_t1));
    auto log = ledger.events(d.id).value();
    REQUIRE(log.size() == 3);
    CHECK(log[1].detail == "deferred: rate limited");
    CHECK(log[2].kind == "reconcile");
    CHECK(log[2].part_index == 0);
    CHECK(!log[1].part_index);
}

TEST_CASE_FIXTURE(Fixture, "ledger: an empty string_view is stored as empty text, not NULL") {
    // A default string_view has a null data(); bound as is, SQLite would store NULL.
    const DeliveryRecord d = delivery("a@1");
    REQUIRE(ledger.set_delivery_state(d.id, DeliveryState::partial, std::string_view{},
                                      std::string_view{}, std::nullopt, k_t1));
    auto got = ledger.get_delivery(d.id).value();
    CHECK(got.state == DeliveryState::partial);
    CHECK(got.error.empty());
    REQUIRE(ledger.record_intent(d.id, 0, "k", k_t1));
    CHECK(ledger.record_part_failed(d.id, 0, std::string_view{}, k_t1));
}

TEST_CASE_FIXTURE(Fixture, "ledger: list filters by post, channel, state and period") {
    using std::chrono::hours;
    delivery("a@1", 1, "masto", k_t0);
    delivery("a@1", 1, "bsky", k_t0);
    const DeliveryRecord b = delivery("b@1", 1, "masto", k_t0 + hours{48});
    delivery("c@1", 1, "masto", k_t0 + hours{96});
    REQUIRE(
        ledger.set_delivery_state(b.id, DeliveryState::missed, "too late", "", std::nullopt, k_t1));

    DeliveryFilter f;
    CHECK(ledger.list(f).value().size() == 4);
    f.post_id = "a";
    CHECK(ledger.list(f).value().size() == 2);
    f = {};
    f.channel = "masto";
    const auto masto = ledger.list(f).value();
    CHECK(masto.size() == 3);
    CHECK(std::is_sorted(masto.begin(), masto.end(), [](const auto& x, const auto& y) {
        return x.scheduled_at < y.scheduled_at;
    }));
    f = {};
    f.state = DeliveryState::missed;
    auto missed = ledger.list(f).value();
    REQUIRE(missed.size() == 1);
    CHECK(missed.front().occurrence_id == "b@1");
    f = {};
    f.from = k_t0 + hours{1};
    f.to = k_t0 + hours{96};
    auto window = ledger.list(f).value();
    REQUIRE(window.size() == 1);
    CHECK(window.front().id == b.id);
    f = {};
    f.post_id = "zzz";
    CHECK(ledger.list(f).value().empty());
}

TEST_CASE("ledger: content_hash is FNV-1a 64 in hex and state names round-trip") {
    CHECK(content_hash("") == "cbf29ce484222325");
    CHECK(content_hash("a") == "af63dc4c8601ec8c");
    CHECK(content_hash("foobar") == "85944171f73967e8");
    CHECK(content_hash("Joyeux Noël") != content_hash("Joyeux Noel"));
    for (auto s : {DeliveryState::pending, DeliveryState::partial, DeliveryState::sent,
                   DeliveryState::failed, DeliveryState::missed, DeliveryState::deferred}) {
        CHECK(parse_delivery_state(delivery_state_name(s)) == s);
    }
    CHECK(!parse_delivery_state("done"));
    CHECK(part_state_name(PartState::intent) == "intent");
}

TEST_CASE_FIXTURE(Fixture, "ledger: a manual delivery waits for confirmation, then is sent once") {
    const DeliveryRecord d = delivery("video@2026-12-01", 2, "tiktok");
    CHECK(parse_delivery_state("awaiting_confirmation") == DeliveryState::awaiting_confirmation);
    CHECK(delivery_state_name(DeliveryState::awaiting_confirmation) == "awaiting_confirmation");
    // Not awaiting yet: a pending delivery cannot be confirmed.
    auto early = ledger.confirm_by_hand(d.id, "https://www.tiktok.com/@a/video/1", k_t1);
    REQUIRE(!early);
    CHECK(early.error().code == ErrorCode::conflict);

    REQUIRE(ledger.set_delivery_state(d.id, DeliveryState::awaiting_confirmation, {},
                                      "/ws/.cmtool/manual/tiktok/2026-12-01-video", {}, k_t1));
    auto waiting = ledger.get_delivery(d.id);
    REQUIRE(waiting);
    CHECK(waiting->state == DeliveryState::awaiting_confirmation);
    CHECK(waiting->hint == "/ws/.cmtool/manual/tiktok/2026-12-01-video");
    CHECK(ledger.unresolved()->empty());  // no intent: nothing to reconcile

    const std::string url = "https://www.tiktok.com/@a/video/1";
    auto first = ledger.confirm_by_hand(d.id, url, k_t1);
    REQUIRE_MESSAGE(first, (first ? "" : first.error().message));
    CHECK(*first == true);
    auto sent = ledger.get_delivery(d.id);
    REQUIRE(sent);
    CHECK(sent->state == DeliveryState::sent);
    CHECK(sent->url == url);
    CHECK(sent->sent_at == k_t1);
    auto ps = ledger.parts(d.id);
    REQUIRE(ps);
    REQUIRE(ps->size() == 2);
    for (const auto& p : *ps) {
        CHECK(p.state == PartState::sent);
        REQUIRE(p.ref.has_value());
        CHECK(p.ref->url == url);
    }
    CHECK(kinds(*ledger.events(d.id)).back() == "confirmed");

    // The same URL again: accepted, nothing changes; another URL: refused.
    auto again = ledger.confirm_by_hand(d.id, url, k_t1 + std::chrono::seconds(60));
    REQUIRE(again);
    CHECK(*again == false);
    CHECK(ledger.get_delivery(d.id)->sent_at == k_t1);
    auto other = ledger.confirm_by_hand(d.id, "https://www.tiktok.com/@a/video/2", k_t1);
    REQUIRE(!other);
    CHECK(other.error().code == ErrorCode::conflict);
    CHECK(other.error().message.find(url) != std::string::npos);
    // Sent is final, for manual deliveries too.
    CHECK(!ledger.set_delivery_state(d.id, DeliveryState::awaiting_confirmation, {}, {}, {}, k_t1));
}
