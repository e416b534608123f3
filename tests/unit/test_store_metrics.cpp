#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../support/raw_sqlite.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/metrics.hpp"
#include "cmtool/store/store.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;

namespace {

const Seconds k_t0{std::chrono::seconds{1'800'000'000}};
const std::chrono::hours k_hour{1};

struct MetricsFixture {
    test::TempDir tmp{"metrics"};
    Store store = [this] {
        auto s = Store::open(tmp.path());
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return std::move(*s);
    }();
    MetricsStore metrics{store};

    TrackedPost track(const std::string& remote, Seconds published,
                      std::optional<std::int64_t> delivery = std::nullopt,
                      const std::string& account = "masto") {
        TrackedPost p;
        p.account = account;
        p.platform = "mastodon";
        p.remote_id = remote;
        p.delivery_id = delivery;
        p.post_id = delivery ? "post-" + remote : "";
        p.published_at = published;
        auto r = metrics.track(p, k_t0);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return *r;
    }
};

// What is on disk, read with a connection of its own.
std::optional<std::string> raw(const Store& store, const std::string& sql) {
    return test::raw_query(store.file(), sql);
}

const FieldMap k_masto{"mastodon", "likes=favourites_count;reposts=reblogs_count"};

PostObservation seen(std::int64_t post, std::int64_t likes, std::int64_t reposts) {
    PostObservation o;
    o.post = post;
    o.counters.likes = likes;
    o.counters.reposts = reposts;
    o.fields = k_masto;
    return o;
}

}  // namespace

TEST_CASE("metrics store: tracking a post twice keeps one row and fills a later delivery") {
    MetricsFixture f;
    const auto a = f.track("111", k_t0);
    CHECK_FALSE(a.planned());
    auto ledger = Ledger(f.store);
    auto d = ledger.ensure_delivery({"p1", "masto"}, "p1", "mastodon", k_t0, "h", 1, k_t0);
    REQUIRE(d.has_value());
    const auto b = f.track("111", k_t0, d->id);
    CHECK(b.id == a.id);
    CHECK(b.planned());
    CHECK(b.post_id == "post-111");
    const auto c = f.track("111", k_t0);  // seen again on the timeline: still planned
    CHECK(c.delivery_id == d->id);
    auto all = f.metrics.posts();
    REQUIRE(all.has_value());
    CHECK(all->size() == 1);
}

TEST_CASE("metrics store: snapshots are appended with NULL for counters not provided") {
    MetricsFixture f;
    const auto p = f.track("111", k_t0);
    auto run = f.metrics.begin_run(k_t0);
    REQUIRE(run.has_value());
    REQUIRE(f.metrics.record(*run, {seen(p.id, 3, 1)}, {}, k_t0 + k_hour).has_value());
    REQUIRE(f.metrics.record(*run, {seen(p.id, 5, 2)}, {}, k_t0 + 2 * k_hour).has_value());
    auto snaps = f.metrics.post_snapshots();
    REQUIRE(snaps.has_value());
    REQUIRE(snaps->size() == 2);
    CHECK((*snaps)[0].counters.likes == 3);
    CHECK((*snaps)[1].counters.likes == 5);
    CHECK_FALSE((*snaps)[1].counters.views.has_value());
    CHECK((*snaps)[1].fields == k_masto.mapping);
    CHECK((*snaps)[1].taken_at == k_t0 + 2 * k_hour);
    // one mapping row for both snapshots
    CHECK(raw(f.store, "SELECT count(*) FROM metric_sources") == "1");
}

TEST_CASE("metrics store: snapshots cannot be updated or deleted") {
    MetricsFixture f;
    const auto p = f.track("111", k_t0);
    REQUIRE(f.metrics.record(0, {seen(p.id, 3, 1)}, {}, k_t0).has_value() == false);  // no run 0
    auto run = f.metrics.begin_run(k_t0);
    REQUIRE(f.metrics.record(*run, {seen(p.id, 3, 1)}, {}, k_t0).has_value());
    CHECK(raw(f.store, "SELECT count(*) FROM post_snapshots") == "1");
    CHECK_FALSE(raw(f.store, "UPDATE post_snapshots SET likes = 0").has_value());
    CHECK_FALSE(raw(f.store, "DELETE FROM post_snapshots").has_value());
    auto snaps = f.metrics.post_snapshots();
    REQUIRE(snaps.has_value());
    CHECK(snaps->size() == 1);
}

TEST_CASE("metrics store: a failed record writes nothing") {
    MetricsFixture f;
    const auto p = f.track("111", k_t0);
    auto run = f.metrics.begin_run(k_t0);
    auto bad = seen(999999, 1, 1);  // no such tracked post: the foreign key refuses it
    CHECK_FALSE(f.metrics.record(*run, {seen(p.id, 3, 1), bad}, {}, k_t0).has_value());
    auto snaps = f.metrics.post_snapshots();
    REQUIRE(snaps.has_value());
    CHECK(snaps->empty());
    auto posts = f.metrics.posts();
    CHECK_FALSE(posts->front().last_pulled.has_value());
}

TEST_CASE("metrics store: due lists the least recently pulled first and skips deleted posts") {
    MetricsFixture f;
    const auto old = f.track("1", k_t0 - 40 * 24 * k_hour);  // outside a 30-day window
    const auto a = f.track("2", k_t0);
    const auto b = f.track("3", k_t0 + k_hour);
    const auto c = f.track("4", k_t0 + 2 * k_hour);
    auto run = f.metrics.begin_run(k_t0);
    PostObservation gone;
    gone.post = c.id;
    gone.deleted = true;
    REQUIRE(f.metrics.record(*run, {seen(a.id, 1, 0), gone}, {}, k_t0 + 3 * k_hour));
    auto due = f.metrics.due("masto", k_t0 - 30 * 24 * k_hour);
    REQUIRE(due.has_value());
    REQUIRE(due->size() == 2);
    CHECK((*due)[0].id == b.id);  // never pulled first
    CHECK((*due)[1].id == a.id);
    auto all = f.metrics.posts();
    REQUIRE(all.has_value());
    CHECK(all->size() == 4);
    CHECK(all->back().deleted_at == k_t0 + 3 * k_hour);
    CHECK(old.id != 0);
}

TEST_CASE("metrics store: account snapshots and runs") {
    MetricsFixture f;
    auto run = f.metrics.begin_run(k_t0);
    REQUIRE(run.has_value());
    AccountObservation a;
    a.account = "masto";
    a.platform = "mastodon";
    a.counters.followers = 120;
    a.counters.following = 30;
    a.fields = {"mastodon", "followers=followers_count;following=following_count"};
    REQUIRE(f.metrics.record(*run, {}, {a}, k_t0));
    REQUIRE(f.metrics.finish_run(*run, RunStatus::ok, R"({"posts":0})", k_t0 + k_hour));
    SnapshotFilter filter;
    filter.account = "masto";
    auto snaps = f.metrics.account_snapshots(filter);
    REQUIRE(snaps.has_value());
    REQUIRE(snaps->size() == 1);
    CHECK(snaps->front().counters.followers == 120);
    CHECK_FALSE(snaps->front().counters.posts.has_value());
    filter.account = "other";
    CHECK(f.metrics.account_snapshots(filter)->empty());
    CHECK(raw(f.store,
              "SELECT count(*) FROM pull_runs WHERE status = 'ok' AND finished_at > "
              "started_at") == "1");
}
