#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "cmtool/store/lock.hpp"
#include "cmtool/util/files.hpp"
#include "test_fork.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::store;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

long ms_since(Clock::time_point start) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

// In a child: tries the lock with `wait`; prints "ok <ms>" or "<code> <ms> <message>|<hint>".
int try_lock(int out, const std::filesystem::path& path, std::chrono::milliseconds wait) {
    const auto start = Clock::now();
    auto lock = FileLock::acquire(path, wait);
    const long took = ms_since(start);
    if (lock) {
        test::child_write(out, fmt::format("ok {}\n", took));
        return 0;
    }
    test::child_write(out, fmt::format("{} {} {}|{}\n", static_cast<int>(lock.error().code), took,
                                       lock.error().message, lock.error().hint));
    return 1;
}

}  // namespace

TEST_CASE("lock: a second process fails fast naming the holder, then succeeds after release") {
    test::TempDir tmp("lock-basic");
    const auto path = tmp.path() / "state" / "publish.lock";
    auto held = FileLock::acquire(path, 0ms);
    REQUIRE_MESSAGE(held.has_value(), (held ? "" : held.error().message));
    CHECK(held->held());
    CHECK(util::read_file(path).value_or("") == fmt::format("{}\n", ::getpid()));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    test::Child second([&](int out) { return try_lock(out, path, 0ms); });
    const auto r = second.wait();
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind(fmt::format("{} ", static_cast<int>(ErrorCode::conflict)), 0) == 0);
    CHECK(r.out.find(fmt::format("held by pid {}", ::getpid())) != std::string::npos);
    CHECK(r.out.find(fmt::format("another cmtool publish is running (pid {}); cron runs "
                                 "overlap: this one exits",
                                 ::getpid())) != std::string::npos);
    const long took = std::stol(r.out.substr(r.out.find(' ') + 1));
    CHECK(took < 200);  // wait 0: one try, no sleeping

    held->release();
    CHECK(!held->held());
    test::Child third([&](int out) { return try_lock(out, path, 0ms); });
    const auto r3 = third.wait();
    CHECK_MESSAGE(r3.exit_code == 0, r3.out);
}

TEST_CASE("lock: waiting is bounded by `wait`") {
    test::TempDir tmp("lock-wait");
    const auto path = tmp.path() / "publish.lock";
    auto held = FileLock::acquire(path, 0ms);
    REQUIRE(held);
    test::Child waiter([&](int out) { return try_lock(out, path, 300ms); });
    const auto r = waiter.wait(5s);
    REQUIRE(r.exit_code == 1);
    const long took = std::stol(r.out.substr(r.out.find(' ') + 1));
    CHECK(took >= 290);
    CHECK(took < 1500);
}

TEST_CASE("lock: a waiter gets the lock when the holder leaves within `wait`") {
    test::TempDir tmp("lock-handover");
    const auto path = tmp.path() / "publish.lock";
    test::Child holder([&](int out) {
        auto lock = FileLock::acquire(path, 0ms);
        test::child_write(out, lock ? "locked\n" : "failed\n");
        ::usleep(300'000);
        return 0;  // the lock goes with the process
    });
    REQUIRE(holder.read_line() == "locked");
    const auto start = Clock::now();
    auto mine = FileLock::acquire(path, 1500ms);
    const long took = ms_since(start);
    CHECK_MESSAGE(mine.has_value(), (mine ? "" : mine.error().message));
    CHECK(took >= 100);
    CHECK(took < 1500);
    CHECK(holder.wait().exit_code == 0);
}

TEST_CASE("lock: a holder killed by SIGKILL leaves no stale lock") {
    test::TempDir tmp("lock-kill");
    const auto path = tmp.path() / "publish.lock";
    test::Child holder([&](int out) {
        auto lock = FileLock::acquire(path, 0ms);
        test::child_write(out, lock ? "locked\n" : "failed\n");
        ::raise(SIGKILL);
        return 0;
    });
    REQUIRE(holder.read_line() == "locked");
    CHECK(holder.wait().signal == SIGKILL);
    auto mine = FileLock::acquire(path, 0ms);
    CHECK(mine.has_value());
}

TEST_CASE("lock: a second acquire in the same process conflicts, moving keeps one owner") {
    test::TempDir tmp("lock-local");
    const auto path = tmp.path() / "publish.lock";
    auto first = FileLock::acquire(path, 0ms, "cmtool pull-metrics");
    REQUIRE(first);
    auto again = FileLock::acquire(path, 0ms, "cmtool pull-metrics");
    REQUIRE(!again);
    CHECK(again.error().code == ErrorCode::conflict);
    CHECK(again.error().hint.find("another cmtool pull-metrics is running") != std::string::npos);
    {
        FileLock moved = std::move(*first);
        CHECK(moved.held());
        CHECK(!first->held());
    }
    CHECK(FileLock::acquire(path, 0ms).has_value());  // released with `moved`
}
