#include <doctest/doctest.h>

#include "cmtool/store/mentions.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;

namespace {

const Seconds k_t0{std::chrono::seconds{1'800'000'000}};
const std::chrono::minutes k_day{1440};

Mention mention(const std::string& uri, const std::string& text, Seconds at,
                const std::string& sentiment = "neutral") {
    Mention m;
    m.source = "feed";
    m.query = "brand";
    m.platform = "feed";
    m.remote_uri = uri;
    m.url = "https://x.example/" + uri;
    m.text = text;
    m.published_at = at;
    m.fetched_at = at;
    m.sentiment = sentiment;
    m.group_key = repost_group_key(text);
    return m;
}

struct Fixture {
    test::TempDir tmp{"mentions"};
    Store store = [this] {
        auto s = Store::open(tmp.path());
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return std::move(*s);
    }();
    MentionStore ms{store};
};

}  // namespace

TEST_CASE("mentions: repost group keys ignore RT, URLs, handles, case and spacing") {
    CHECK(repost_group_key("RT @bob: Great   news https://t.co/x") ==
          repost_group_key("great news"));
    CHECK(repost_group_key("great news") != repost_group_key("great views"));
}

TEST_CASE("mentions: stored once per URI, reposts grouped, cursor in the same transaction") {
    Fixture f;
    WatchCursor c;
    c.source = "feed";
    c.cursor = "42";
    c.etag = "\"v1\"";
    auto first =
        f.ms.save({mention("a", "Great news", k_t0), mention("b", "RT @x: great news", k_t0),
                   mention("c", "Other", k_t0, "negative")},
                  c, k_day);
    REQUIRE(first.has_value());
    CHECK(first->inserted == 3);
    CHECK(first->grouped == 1);
    CHECK(first->new_indexes == std::vector<std::size_t>{0, 1, 2});
    auto again = f.ms.save({mention("a", "Great news", k_t0), mention("d", "new", k_t0)}, c, k_day);
    REQUIRE(again.has_value());
    CHECK(again->inserted == 1);
    CHECK(again->duplicates == 1);
    CHECK(again->new_indexes == std::vector<std::size_t>{1});
    CHECK(f.ms.total().value() == 4);
    MentionFilter leaders;
    leaders.leaders_only = true;
    auto rows = f.ms.mentions(leaders);
    REQUIRE(rows.has_value());
    CHECK(rows->size() == 3);
    auto stored = f.ms.cursor("feed");
    REQUIRE(stored.has_value());
    REQUIRE(stored->has_value());
    CHECK((*stored)->cursor == "42");
    CHECK((*stored)->etag == "\"v1\"");
    CHECK(f.ms.count("brand", k_t0, k_t0 + std::chrono::seconds(1), "negative").value() == 1);
    CHECK(f.ms.count("brand", k_t0 + std::chrono::seconds(1), k_t0 + k_day).value() == 0);
}

TEST_CASE("mentions: a failure keeps the cursor and counts the streak") {
    Fixture f;
    WatchCursor c;
    c.source = "s";
    c.cursor = "7";
    REQUIRE(f.ms.save({}, c, k_day).has_value());
    REQUIRE(f.ms.record_failure("s", "boom", k_t0 + std::chrono::minutes(10), k_t0).has_value());
    REQUIRE(
        f.ms.record_failure("s", "boom again", k_t0 + std::chrono::minutes(20), k_t0).has_value());
    auto got = f.ms.cursor("s").value();
    REQUIRE(got.has_value());
    CHECK(got->cursor == "7");
    CHECK(got->failures == 2);
    CHECK(got->last_error == "boom again");
    CHECK(got->next_try_at == k_t0 + std::chrono::minutes(20));
    REQUIRE(f.ms.save({}, c, k_day).has_value());  // success resets the streak
    CHECK(f.ms.cursor("s").value()->failures == 0);
}

TEST_CASE("mentions: alerts insert, update and list") {
    Fixture f;
    AlertRecord a;
    a.rule = "spike";
    a.query = "brand";
    a.fired_at = a.updated_at = k_t0;
    a.figures_json = R"({"count":7})";
    auto id = f.ms.insert_alert(a);
    REQUIRE(id.has_value());
    a.id = *id;
    a.updated_at = k_t0 + std::chrono::minutes(5);
    a.figures_json = R"({"count":9})";
    REQUIRE(f.ms.update_alert(a).has_value());
    auto last = f.ms.latest_alert("spike", "brand").value();
    REQUIRE(last.has_value());
    CHECK(last->updates == 1);
    CHECK(last->figures_json == R"({"count":9})");
    CHECK(f.ms.alerts(k_t0).value().size() == 1);
    CHECK_FALSE(f.ms.latest_alert("spike", "other").value().has_value());
}
