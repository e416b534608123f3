// File sources: JSON lines read from a byte offset (read_file_source).
#include <doctest/doctest.h>

#include "cmtool/watch/source.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::watch;

namespace {

const char* k_two =
    R"({"uri":"u1","text":"Great","author":"a","url":"https://x/1","lang":"en","published_at":"2026-11-01T10:00:00Z","extra":{"text":"nested","uri":"no"},"tags":["x"],"n":3}
{"uri":"u2","text":"Nul","platform":"mastodon","author_url":"https://x/@b"}
)";

}  // namespace

TEST_CASE("file source: lines become items, nested values ignored, cursor moves past them") {
    test::TempDir tmp("file-source");
    tmp.write("m.jsonl", k_two);
    store::WatchCursor cursor;
    auto items = read_file_source(tmp.path() / "m.jsonl", cursor, 100);
    REQUIRE(items.has_value());
    REQUIRE(items->size() == 2);
    const Item& a = (*items)[0];
    CHECK(a.remote_uri == "u1");
    CHECK(a.text == "Great");
    CHECK(a.author == "a");
    CHECK(a.url == "https://x/1");
    CHECK(a.lang == "en");
    CHECK(a.platform == "file");
    CHECK(a.published_at ==
          std::chrono::sys_seconds{std::chrono::sys_days{std::chrono::November / 1 / 2026} +
                                   std::chrono::hours(10)});
    CHECK((*items)[1].platform == "mastodon");
    CHECK((*items)[1].author_url == "https://x/@b");
    CHECK(cursor.cursor == std::to_string(std::string(k_two).size()));
    auto again = read_file_source(tmp.path() / "m.jsonl", cursor, 100);
    REQUIRE(again.has_value());
    CHECK(again->empty());
}

TEST_CASE("file source: chunks resume where the previous one stopped") {
    test::TempDir tmp("file-source");
    tmp.write("m.jsonl", k_two);
    store::WatchCursor cursor;
    auto first = read_file_source(tmp.path() / "m.jsonl", cursor, 1);
    REQUIRE(first.has_value());
    REQUIRE(first->size() == 1);
    CHECK((*first)[0].remote_uri == "u1");
    auto second = read_file_source(tmp.path() / "m.jsonl", cursor, 1);
    REQUIRE(second.has_value());
    REQUIRE(second->size() == 1);
    CHECK((*second)[0].remote_uri == "u2");
}

TEST_CASE("file source: a bad line is reported with its file line and column") {
    test::TempDir tmp("file-source");
    tmp.write("m.jsonl",
              std::string(k_two) + "\n{\"uri\":\"u3\",\"text\":\"ok\"}\n{\"uri\": \"u4\", oops}\n");
    store::WatchCursor cursor;
    // Read past the first three lines first: the line number counts from the file's start.
    auto ok = read_file_source(tmp.path() / "m.jsonl", cursor, 3);
    REQUIRE(ok.has_value());
    CHECK(ok->size() == 3);
    auto bad = read_file_source(tmp.path() / "m.jsonl", cursor, 3);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::parse);
    const std::string& msg = bad.error().message;
    CAPTURE(msg);
    CHECK(msg.find("m.jsonl:5:15: invalid JSON") != std::string::npos);
    CHECK(msg.find("syntax error") != std::string::npos);
    CHECK_FALSE(bad.error().hint.empty());
}

TEST_CASE("file source: JSON that is not a mention is refused, not guessed") {
    test::TempDir tmp("file-source");
    for (const char* line : {R"(["uri","text"])", R"({"uri":"u"})", R"({"text":"t"})",
                             R"({"uri":5,"text":"t"})", R"("just a string")"}) {
        CAPTURE(line);
        tmp.write("m.jsonl", std::string(line) + "\n");
        store::WatchCursor cursor;
        auto r = read_file_source(tmp.path() / "m.jsonl", cursor, 10);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message.find("m.jsonl:1:1: not a mention object") != std::string::npos);
        CHECK(cursor.cursor.empty());
    }
}

TEST_CASE("file source: a last line without newline is read when complete, kept when not") {
    test::TempDir tmp("file-source");
    tmp.write("m.jsonl", "{\"uri\":\"u1\",\"text\":\"a\"}\n{\"uri\":\"u2\",\"text\":\"b\"}");
    store::WatchCursor cursor;
    auto all = read_file_source(tmp.path() / "m.jsonl", cursor, 10);
    REQUIRE(all.has_value());
    CHECK(all->size() == 2);

    const std::string done = "{\"uri\":\"u1\",\"text\":\"a\"}\n";
    tmp.write("m.jsonl", done + "{\"uri\":\"u2\",\"te");  // being written
    cursor = {};
    auto partial = read_file_source(tmp.path() / "m.jsonl", cursor, 10);
    REQUIRE(partial.has_value());
    CHECK(partial->size() == 1);
    CHECK(cursor.cursor == std::to_string(done.size()));
    tmp.write("m.jsonl", done + "{\"uri\":\"u2\",\"text\":\"b\"}\n");  // finished
    auto rest = read_file_source(tmp.path() / "m.jsonl", cursor, 10);
    REQUIRE(rest.has_value());
    REQUIRE(rest->size() == 1);
    CHECK((*rest)[0].remote_uri == "u2");
}

TEST_CASE("file source: a missing file is an io error naming it") {
    test::TempDir tmp("file-source");
    store::WatchCursor cursor;
    auto r = read_file_source(tmp.path() / "none.jsonl", cursor, 10);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::io);
    CHECK(r.error().message.find("none.jsonl") != std::string::npos);
}

TEST_CASE("file source: a file replaced by a shorter one is read from its start") {
    test::TempDir tmp("file-source");
    tmp.write("m.jsonl", k_two);
    store::WatchCursor cursor;
    REQUIRE(read_file_source(tmp.path() / "m.jsonl", cursor, 100).value().size() == 2);
    tmp.write("m.jsonl", "{\"uri\":\"u9\",\"text\":\"rotated\"}\n");  // shorter
    auto fresh = read_file_source(tmp.path() / "m.jsonl", cursor, 100);
    REQUIRE(fresh.has_value());
    REQUIRE(fresh->size() == 1);
    CHECK((*fresh)[0].remote_uri == "u9");
    cursor.cursor = "not-an-offset";  // an edited state file: from the start, nothing lost
    CHECK(read_file_source(tmp.path() / "m.jsonl", cursor, 100).value().size() == 1);
}
