#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "cmtool/util/files.hpp"
#include "cmtool/util/result.hpp"
#include "cmtool/util/strings.hpp"

using namespace cmtool;

namespace {
Result<int> parse_positive(int v) {
    if (v <= 0) {
        return fail(ErrorCode::invalid, "not positive", "pass a number above 0");
    }
    return v;
}
}  // namespace

TEST_CASE("Result carries a value or an error with a hint") {
    auto ok = parse_positive(3);
    REQUIRE(ok.has_value());
    CHECK(*ok == 3);
    CHECK(ok.value_or(7) == 3);
    auto bad = parse_positive(-1);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::invalid);
    CHECK(bad.error().hint == "pass a number above 0");
    CHECK(bad.value_or(7) == 7);
}

TEST_CASE("Result<void> and move-only values") {
    Result<void> fine;
    CHECK(fine.has_value());
    Result<void> broken = fail(ErrorCode::io, "disk full");
    CHECK_FALSE(broken.has_value());
    CHECK(broken.error().message == "disk full");
    Result<std::unique_ptr<int>> p = std::make_unique<int>(5);
    REQUIRE(p);
    auto owned = std::move(p).value();
    CHECK(*owned == 5);
}

TEST_CASE("edit_distance and helpers") {
    CHECK(util::edit_distance("chanels", "channels") == 1);
    CHECK(util::edit_distance("", "abc") == 3);
    CHECK(util::edit_distance("kitten", "sitting") == 3);
    CHECK(util::trim("  a b \n") == "a b");
    CHECK(util::split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
    CHECK(util::replace_all("a-b-c", "-", "--") == "a--b--c");
    CHECK(util::first_line("Bonjour à tous\nsecond", 40) == "Bonjour à tous");
    CHECK(util::first_line("Vendredi noir, lumière douce", 10) == "Vendredi…");
}

TEST_CASE("write_file_atomic replaces the whole file") {
    const auto dir = std::filesystem::temp_directory_path() / "cmtool-test-atomic";
    std::filesystem::remove_all(dir);
    const auto file = dir / "sub" / "f.txt";
    REQUIRE(util::write_file_atomic(file, "first"));
    REQUIRE(util::write_file_atomic(file, "second"));
    auto content = util::read_file(file);
    REQUIRE(content);
    CHECK(*content == "second");
    // No temporary file left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "sub")) {
        ++entries;
    }
    CHECK(entries == 1);
    auto missing = util::read_file(dir / "nope.txt");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("nope.txt") != std::string::npos);
    std::filesystem::remove_all(dir);
}
