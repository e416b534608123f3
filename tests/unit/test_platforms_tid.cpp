// TIDs (atproto.com/specs/tid) and cmtool's deterministic record keys for Bluesky.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "cmtool/platforms/tid.hpp"

using namespace cmtool::platforms;
using namespace std::chrono;

TEST_SUITE("platforms.tid") {
    TEST_CASE("encoding: 13 base32-sortable characters, round trip") {
        CHECK(make_tid(0, 0) == "2222222222222");
        CHECK(make_tid(k_tid_max_micros, k_tid_max_clock_id) == "bzzzzzzzzzzzz");  // 63 bits
        // The spec's example key "3jzfcijpj2z2a" decodes and re-encodes unchanged.
        const auto micros = tid_micros("3jzfcijpj2z2a");
        const auto clock = tid_clock_id("3jzfcijpj2z2a");
        REQUIRE(micros);
        REQUIRE(clock);
        CHECK(make_tid(*micros, *clock) == "3jzfcijpj2z2a");
        CHECK(*micros / 1'000'000U > 1'600'000'000U);  // a 2022 timestamp, not garbage
    }

    TEST_CASE("syntax check like the PDS's") {
        CHECK(is_valid_tid("3jzfcijpj2z2a"));
        CHECK_FALSE(is_valid_tid("kzzzzzzzzzzzz"));  // top bit set: "Invalid TID string"
        CHECK_FALSE(is_valid_tid("3jzfcijpj2z2"));
        CHECK_FALSE(is_valid_tid("3JZFCIJPJ2Z2A"));
        CHECK_FALSE(is_valid_tid("3jzfcijpj2z21"));  // 1 is not in the alphabet
        CHECK_FALSE(tid_micros("not-a-tid"));
    }

    TEST_CASE("record keys: deterministic, valid, carrying the schedule and the part") {
        const sys_seconds at = sys_days{year{2026} / 12 / 1} + hours{9};
        const std::string a = record_key_tid("ws/acct/2026-12-01T09:00/0", at, 0);
        CHECK(a.size() == k_tid_length);
        CHECK(is_valid_tid(a));
        CHECK(a == record_key_tid("ws/acct/2026-12-01T09:00/0", at, 0));
        const auto micros = static_cast<std::uint64_t>(at.time_since_epoch().count()) * 1'000'000U;
        CHECK(tid_micros(record_key_tid("k", at, 3)) == micros + 3);
        // Different keys at the same second get different clock ids (hence different keys).
        CHECK(record_key_tid("ws/acct/2026-12-01T09:00/0", at, 0) !=
              record_key_tid("ws/other/2026-12-01T09:00/0", at, 0));
    }

    TEST_CASE("record keys sort by schedule, then by part") {
        const sys_seconds at = sys_days{year{2026} / 12 / 1} + hours{9};
        CHECK(record_key_tid("z", at, 0) < record_key_tid("a", at + seconds{1}, 0));
        CHECK(record_key_tid("thread", at, 0) < record_key_tid("thread", at, 1));
        CHECK(record_key_tid("thread", at, 1) < record_key_tid("thread", at, 2));
        CHECK(record_key_tid("x", sys_days{year{2030} / 1 / 1}, 0) >
              record_key_tid("x", sys_days{year{2026} / 1 / 1}, 0));
    }
}
