// The publish engine against a scripted fake adapter and a real ledger in a temp folder.
#include <doctest/doctest.h>

#include <date/date.h>
#include <fmt/format.h>

#include <deque>

#include "cmtool/calendar/load.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/publish/engine.hpp"
#include "cmtool/publish/sent_changes.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace std::chrono_literals;
using publish::DeliveryOutcome;

namespace {

struct Script {
    std::deque<platforms::PublishResult> results;  // consumed by publish(); default: sent
    std::vector<platforms::PublishRequest> published;
    platforms::Found lookup = platforms::Found::no;
    int lookups = 0;
    int next_id = 1;
};

class FakeAdapter final : public platforms::Adapter {
  public:
    explicit FakeAdapter(Script& s) : m_s(s) {}
    Platform platform() const override { return Platform::mastodon; }
    platforms::Capabilities capabilities() const override { return {true, true, true, true}; }
    nlohmann::json preview(const platforms::PublishRequest& r) const override {
        return {{"status", r.part.text}, {"key", r.key}};
    }
    Result<platforms::AccountInfo> verify() override { return platforms::AccountInfo{}; }
    platforms::PublishResult publish(const platforms::PublishRequest& r) override {
        m_s.published.push_back(r);
        if (!m_s.results.empty()) {
            auto res = m_s.results.front();
            m_s.results.pop_front();
            if (res.outcome == platforms::Outcome::sent && res.ref.id.empty()) {
                res.ref.id = std::to_string(m_s.next_id++);
            }
            return res;
        }
        platforms::PublishResult ok;
        ok.outcome = platforms::Outcome::sent;
        ok.ref.id = std::to_string(m_s.next_id++);
        ok.ref.url = "https://masto.example/@a/" + ok.ref.id;
        return ok;
    }
    Result<platforms::LookupResult> lookup(const platforms::PublishRequest&,
                                           std::chrono::sys_seconds) override {
        ++m_s.lookups;
        platforms::LookupResult l;
        l.found = m_s.lookup;
        l.ref.id = "found-1";
        l.how = "fake lookup";
        return l;
    }

  private:
    Script& m_s;
};

class RecordingSleeper final : public net::Sleeper {
  public:
    std::vector<std::chrono::milliseconds> sleeps;
    Result<void> sleep_for(std::chrono::milliseconds d) override {
        sleeps.push_back(d);
        return {};
    }
};

platforms::PublishResult outcome(platforms::Outcome o, std::string msg = "boom",
                                 std::optional<std::chrono::sys_seconds> retry_at = {}) {
    platforms::PublishResult r;
    r.outcome = o;
    r.message = std::move(msg);
    r.retry_at = retry_at;
    return r;
}

std::chrono::sys_seconds utc(int d, int h, int m = 0) {
    return date::sys_days{date::year{2026} / 11 / d} + std::chrono::hours(h) +
           std::chrono::minutes(m);
}

struct Fixture {
    test::TempDir dir{"engine"};
    calendar::WorkspaceConfig ws;
    std::vector<calendar::Post> posts;
    Script script;
    RecordingSleeper sleeper;
    std::optional<store::Store> db;

    explicit Fixture(const std::string& calendar) {
        dir.write("cmtool.yaml",
                  "version: 1\ntimezone: UTC\nmax_late: 2h\naccounts:\n"
                  "  masto: {platform: mastodon, instance: https://masto.example}\n"
                  "  other: {platform: mastodon, instance: https://other.example}\n");
        dir.write("calendar/c.yaml", calendar);
        calendar::Diagnostics d;
        ws = *calendar::load_workspace(dir.path(), d);
        posts = *calendar::load_posts(ws, d);
        db.emplace(*store::Store::open(ws.state_path()));
    }

    publish::PublishReport run(std::chrono::sys_seconds now, publish::PublishOptions o = {}) {
        store::Ledger ledger(*db);
        publish::PublishContext ctx{
            ws,
            &ledger,
            [this](const calendar::Account&) -> Result<std::unique_ptr<platforms::Adapter>> {
                return std::unique_ptr<platforms::Adapter>(new FakeAdapter(script));
            },
            sleeper,
            {}};
        o.now = now;
        auto r = publish::run_publish(posts, o, ctx);
        REQUIRE_MESSAGE(r, (r ? std::string() : r.error().message));
        return *r;
    }
};

const char* k_two_posts = R"(posts:
  - id: a
    at: 2026-11-20 09:00
    channels: [masto, other]
    text: Bonjour
  - id: b
    at: 2026-11-20 12:00
    channels: [masto]
    text: Plus tard
  - id: draft
    at: 2026-11-20 08:00
    status: draft
    channels: [masto]
    text: Brouillon
)";

}  // namespace

TEST_CASE("engine: sends due ready deliveries once, a second run sends nothing") {
    Fixture f(k_two_posts);
    auto r1 = f.run(utc(20, 9, 5));
    REQUIRE(r1.deliveries.size() == 2);  // a→masto, a→other; b is not due; drafts never
    CHECK(r1.deliveries[0].outcome == DeliveryOutcome::sent);
    CHECK(r1.deliveries[1].outcome == DeliveryOutcome::sent);
    CHECK(f.script.published.size() == 2);
    auto r2 = f.run(utc(20, 12, 1));
    CHECK(f.script.published.size() == 3);  // only b
    REQUIRE(r2.deliveries.size() == 3);
    CHECK(r2.deliveries[0].outcome == DeliveryOutcome::already_sent);
    CHECK(r2.deliveries[2].outcome == DeliveryOutcome::sent);
    CHECK(r2.deliveries[2].url == "https://masto.example/@a/3");
}

TEST_CASE("engine: a thread is chained, and a failed part resumes without re-sending the first") {
    Fixture f(R"(posts:
  - id: t
    at: 2026-11-20 09:00
    channels: [masto]
    text: Un
    thread: [Deux, Trois]
)");
    f.script.results = {outcome(platforms::Outcome::sent, ""),
                        outcome(platforms::Outcome::permanent_failure, "refused")};
    auto r1 = f.run(utc(20, 9, 1));
    REQUIRE(r1.deliveries.size() == 1);
    CHECK(r1.deliveries[0].outcome == DeliveryOutcome::failed);
    CHECK(r1.deliveries[0].parts_sent == 1);
    REQUIRE(f.script.published.size() == 2);
    CHECK(f.script.published[1].parent->id == "1");
    auto r2 = f.run(utc(20, 9, 6));
    CHECK(r2.deliveries[0].outcome == DeliveryOutcome::failed_earlier);
    CHECK(f.script.published.size() == 2);
    publish::PublishOptions retry;
    retry.retry_failed = true;
    auto r3 = f.run(utc(20, 9, 10), retry);
    CHECK(r3.deliveries[0].outcome == DeliveryOutcome::sent);
    REQUIRE(f.script.published.size() == 4);  // parts 2 and 3 only
    CHECK(f.script.published[2].part.text == "Deux");
    CHECK(f.script.published[2].parent->id == "1");
    CHECK(f.script.published[3].part.text == "Trois");
    CHECK(f.script.published[3].root->id == "1");
    CHECK(f.script.published[3].parent->id == "2");
}

TEST_CASE("engine: later than max_late is missed unless --catch-up") {
    Fixture f(k_two_posts);
    auto r = f.run(utc(20, 15, 0));
    CHECK(r.deliveries[0].outcome == DeliveryOutcome::missed);
    CHECK(f.script.published.empty());
    auto again = f.run(utc(20, 15, 5));
    CHECK(again.deliveries[0].outcome == DeliveryOutcome::missed_earlier);
    publish::PublishOptions o;
    o.catch_up = true;
    auto caught = f.run(utc(20, 15, 10), o);
    CHECK(caught.deliveries[0].outcome == DeliveryOutcome::sent);
    CHECK(f.script.published.size() == 3);
}

TEST_CASE("engine: an unknown outcome is looked up at the next run, never sent twice") {
    SUBCASE("found: recorded as sent without publishing again") {
        Fixture f(k_two_posts);
        f.script.results = {outcome(platforms::Outcome::unknown, "timeout")};
        publish::PublishOptions o;
        o.filter.channels = {"masto"};
        auto r1 = f.run(utc(20, 9, 1), o);
        CHECK(r1.deliveries[0].outcome == DeliveryOutcome::deferred);
        f.script.lookup = platforms::Found::yes;
        auto r2 = f.run(utc(20, 9, 6), o);
        CHECK(f.script.lookups == 1);
        CHECK(f.script.published.size() == 1);
        // Confirmed in this run from the lookup: completed as sent, flagged as reconciled.
        CHECK(r2.deliveries[0].outcome == DeliveryOutcome::sent);
        CHECK(r2.deliveries[0].reconciled);
        CHECK(r2.deliveries[0].parts.empty());
        CHECK(r2.notes.size() == 1);
    }
    SUBCASE("not found: sent again with the same key") {
        Fixture f(k_two_posts);
        f.script.results = {outcome(platforms::Outcome::unknown, "reset")};
        auto r1 = f.run(utc(20, 9, 1));
        f.script.lookup = platforms::Found::no;
        auto r2 = f.run(utc(20, 9, 6));
        REQUIRE(f.script.published.size() == 3);  // a→masto twice (same key), a→other once
        CHECK(f.script.published[0].key == f.script.published[2].key);
        CHECK(r2.deliveries[0].outcome == DeliveryOutcome::sent);
    }
    SUBCASE("cannot tell: nothing is sent") {
        Fixture f(k_two_posts);
        f.script.results = {outcome(platforms::Outcome::unknown, "reset")};
        f.run(utc(20, 9, 1));
        f.script.lookup = platforms::Found::cannot_tell;
        auto r2 = f.run(utc(20, 9, 6));
        CHECK(f.script.published.size() == 2);
        CHECK(r2.deliveries[0].outcome == DeliveryOutcome::deferred);
    }
}

TEST_CASE("engine: rate limits wait when the reset is near, else defer the account for the run") {
    Fixture f(k_two_posts);
    f.script.results = {outcome(platforms::Outcome::rate_limited, "429", utc(20, 12, 1) + 20s)};
    auto r = f.run(utc(20, 12, 1));
    REQUIRE(f.sleeper.sleeps.size() == 1);
    CHECK(f.sleeper.sleeps[0] == 20s);
    CHECK(r.deliveries[0].outcome == DeliveryOutcome::missed);  // a is 3 h late
    CHECK(r.deliveries.back().outcome == DeliveryOutcome::sent);
    Fixture g(R"(posts:
  - id: x1
    at: 2026-11-20 09:00
    channels: [masto]
    text: Un
  - id: x2
    at: 2026-11-20 09:01
    channels: [masto]
    text: Deux
)");
    g.script.results = {outcome(platforms::Outcome::rate_limited, "429", utc(20, 10, 0))};
    auto d = g.run(utc(20, 9, 2));
    CHECK(g.sleeper.sleeps.empty());
    CHECK(d.deliveries[0].outcome == DeliveryOutcome::deferred);
    CHECK(d.deliveries[1].outcome == DeliveryOutcome::deferred);
    CHECK(g.script.published.size() == 1);  // x2 not even tried
    auto later = g.run(utc(20, 10, 1));
    CHECK(later.deliveries[0].outcome == DeliveryOutcome::sent);
    CHECK(later.deliveries[1].outcome == DeliveryOutcome::sent);
}

TEST_CASE("engine: blocked by a calendar error, dry run writes nothing") {
    Fixture f(R"(posts:
  - id: long
    at: 2026-11-20 09:00
    channels: [masto]
    text: ")" +
              std::string(501, 'a') + R"("
  - id: ok
    at: 2026-11-20 09:00
    channels: [other]
    text: Bonjour
)");
    publish::PublishOptions dry;
    dry.dry_run = true;
    auto p = f.run(utc(20, 9, 1), dry);
    REQUIRE(p.deliveries.size() == 2);
    CHECK(p.deliveries[0].outcome == DeliveryOutcome::blocked);
    CHECK(p.deliveries[1].outcome == DeliveryOutcome::would_send);
    CHECK(p.deliveries[1].parts.at(0).preview["status"] == "Bonjour");
    CHECK(f.script.published.empty());
    auto r = f.run(utc(20, 9, 1));
    CHECK(r.deliveries[0].outcome == DeliveryOutcome::blocked);
    CHECK(r.deliveries[0].message.find("calendar/c.yaml:5") != std::string::npos);
    CHECK(f.script.published.size() == 1);
}

TEST_CASE("engine: a stop request finishes the current delivery and stops") {
    Fixture f(k_two_posts);
    std::atomic<bool> stop{true};
    publish::PublishOptions o;
    o.stop = &stop;
    auto r = f.run(utc(20, 9, 1), o);
    CHECK(r.interrupted);
    CHECK(f.script.published.empty());
}

TEST_CASE("sent_changes: a post edited after it was sent is a warning, an unchanged one is not") {
    Fixture f(k_two_posts);
    f.run(utc(20, 9, 5));  // a → masto and other
    store::Ledger ledger(*f.db);
    auto none = publish::sent_changes(f.posts, f.ws, ledger);
    REQUIRE(none);
    CHECK(none->empty());
    f.posts[0].text = "Bonjour, version corrigée";
    auto changed = publish::sent_changes(f.posts, f.ws, ledger);
    REQUIRE(changed);
    REQUIRE(changed->size() == 2);  // both channels it went to
    CHECK((*changed)[0].rule == "changed-after-send");
    CHECK((*changed)[0].severity == calendar::Severity::warning);
    CHECK((*changed)[0].post_id == "a");
    f.posts.erase(f.posts.begin());
    auto gone = publish::sent_changes(f.posts, f.ws, ledger);
    REQUIRE(gone);
    CHECK(gone->size() == 2);
    CHECK(gone->front().message.find("no longer in the calendar") != std::string::npos);
}
