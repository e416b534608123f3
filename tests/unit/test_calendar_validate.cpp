#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "cmtool/calendar/findings_format.hpp"
#include "cmtool/calendar/validate.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::calendar;

namespace {

// Validates a workspace folder and returns "file:line:col: severity[rule]" lines.
std::set<std::string> findings_of(const std::filesystem::path& root,
                                  ValidationReport* out = nullptr) {
    Diagnostics diags;
    auto ws = load_workspace(root, diags);
    std::set<std::string> got;
    if (!ws) {
        for (const auto& f : diags.findings()) {
            got.insert(
                fmt::format("{}:{}:{}: error[{}]", f.file, f.pos.line, f.pos.column, f.rule));
        }
        return got;
    }
    auto report = validate(*ws, std::move(diags), {});
    REQUIRE(report);
    for (const auto& f : report->findings) {
        got.insert(fmt::format("{}:{}:{}: {}[{}]", f.file, f.pos.line, f.pos.column,
                               f.severity == Severity::error ? "error" : "warning", f.rule));
    }
    if (out != nullptr) {
        *out = *report;
    }
    return got;
}

std::set<std::string> rules_of(const test::TempDir& dir, const std::string& calendar) {
    dir.write("calendar/c.yaml", calendar);
    std::set<std::string> rules;
    for (const auto& line : findings_of(dir.path())) {
        rules.insert(line.substr(line.find(' ') + 1));
    }
    return rules;
}

const char* k_jpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9";

}  // namespace

TEST_CASE("the example workspace validates clean") {
    ValidationReport report;
    const auto got = findings_of(CMTOOL_EXAMPLES, &report);
    CHECK(got.empty());
    for (const auto& f : got) {
        MESSAGE(f);
    }
    CHECK(report.posts >= 30);
    CHECK(report.files >= 2);
}

TEST_CASE("broken calendars in tests/data/invalid give exactly the expected findings") {
    const std::filesystem::path root = std::filesystem::path(CMTOOL_TEST_DATA) / "invalid";
    std::size_t cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        if (!entry.is_directory()) {
            continue;
        }
        std::ifstream in(entry.path() / "expected.txt");
        REQUIRE_MESSAGE(in, "missing expected.txt in ", entry.path());
        std::set<std::string> expected;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line[0] != '#') {
                expected.insert(line);
            }
        }
        CAPTURE(entry.path().filename().string());
        const auto got = findings_of(entry.path());
        for (const auto& e : expected) {
            CHECK_MESSAGE(got.count(e) == 1, "expected but not found: ", e);
        }
        for (const auto& g : got) {
            CHECK_MESSAGE(expected.count(g) == 1, "found but not expected: ", g);
        }
        ++cases;
    }
    CHECK(cases >= 6);
}

TEST_CASE("rules: unknown channel and category with suggestions") {
    test::TempDir dir("rules-unknown");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const auto rules = rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [masto, mastodon]
    category: inspi
    text: Bonjour
)");
    CHECK(rules == std::set<std::string>{"error[unknown-channel]", "error[unknown-category]"});
}

TEST_CASE("rules: length per platform counts the text as sent (link and thread included)") {
    test::TempDir dir("rules-length");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    const std::string at_limit(300 - 2 - 22, 'a');  // + "\n\n" + 22-byte link = 300 graphemes
    CHECK(rules_of(dir, fmt::format(R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [bsky]
    text: "{}"
    link: https://atelier.ex/abc
)",
                                    at_limit))
              .empty());
    CHECK(rules_of(dir, fmt::format(R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [bsky]
    text: "{}b"
    link: https://atelier.ex/abc
)",
                                    at_limit)) == std::set<std::string>{"error[text-too-long]"});
    // A thread item too long for X; LinkedIn has no threads.
    CHECK(rules_of(dir, fmt::format(R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [x, linkedin]
    text: court
    thread: ["{}"]
)",
                                    std::string(281, 'x'))) ==
          std::set<std::string>{"error[text-too-long]", "warning[thread-unsupported]"});
}

TEST_CASE("rules: media existence, containment, Instagram needs an image, alt text") {
    test::TempDir dir("rules-media");
    dir.write("cmtool.yaml", test::contract_workspace_yaml());
    dir.write("media/a.jpg", std::string(k_jpeg, 24));
    dir.write("media/fake.png", "this is not an image at all");
    CHECK(rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [insta]
    text: Bonjour
    media: [{file: media/a.jpg, alt: "Une lampe"}]
)")
              .empty());
    CHECK(rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [insta, masto]
    text: Bonjour
    media: [{file: media/missing.jpg, alt: x}, {file: ../secret.jpg, alt: y}, {file: media/a.jpg}]
)") == std::set<std::string>{"error[media-missing]", "error[media-outside-workspace]",
                             "warning[alt-missing]"});
    CHECK(rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [insta]
    text: Bonjour
)") == std::set<std::string>{"error[media-required]"});
    {
        // Without media_base_url nothing with media can go to Instagram or Threads.
        test::TempDir nobase("validate-no-media-base");
        std::string yaml = test::contract_workspace_yaml();
        const auto line = yaml.find("media_base_url:");
        yaml.erase(line, yaml.find('\n', line) - line + 1);
        nobase.write("cmtool.yaml", yaml);
        nobase.write("media/a.jpg", std::string(k_jpeg, 24));
        CHECK(rules_of(nobase, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [threads, masto]
    text: Bonjour
    media: [{file: media/a.jpg, alt: "Une lampe"}]
)") == std::set<std::string>{"error[media-base-url]"});
    }
    CHECK(rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [masto]
    text: Bonjour
    media: [{file: media/fake.png, alt: x}]
)") == std::set<std::string>{"error[media-type]"});
    CHECK(rules_of(dir, R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [masto]
    text: Bonjour
    media: [{file: media/a.jpg, alt: 1}, {file: media/a.jpg, alt: 2}, {file: media/a.jpg, alt: 3}, {file: media/a.jpg, alt: 4}, {file: media/a.jpg, alt: 5}]
)") == std::set<std::string>{"error[media-count]"});
}

TEST_CASE("rules: duplicate ids across files name both places, spacing, duplicate text") {
    test::TempDir dir("rules-cross");
    dir.write("cmtool.yaml", test::contract_workspace_yaml() + "min_spacing: 2h\n");
    dir.write("calendar/2026/11.yaml", R"(posts:
  - id: a
    at: 2026-11-27 09:00
    channels: [masto]
    text: Bonjour
)");
    dir.write("calendar/2026/12.yaml", R"(posts:
  - id: a
    at: 2026-11-27 10:00
    channels: [masto]
    text: Bonjour
)");
    ValidationReport report;
    const auto got = findings_of(dir.path(), &report);
    CHECK(got == std::set<std::string>{"calendar/2026/12.yaml:2:9: error[duplicate-id]",
                                       "calendar/2026/12.yaml:3:9: warning[spacing]",
                                       "calendar/2026/12.yaml:5:11: warning[duplicate-text]"});
    const auto dup = std::find_if(report.findings.begin(), report.findings.end(),
                                  [](const Finding& f) { return f.rule == "duplicate-id"; });
    REQUIRE(dup != report.findings.end());
    CHECK(dup->message.find("calendar/2026/11.yaml:2:9") != std::string::npos);
}

TEST_CASE("rules: a recurring post is checked at every occurrence") {
    test::TempDir dir("rules-repeat");
    dir.write("cmtool.yaml", test::contract_workspace_yaml() + "min_spacing: 2h\n");
    const auto rules = rules_of(dir, R"(posts:
  - id: weekly
    at: 2026-11-20 18:00
    channels: [masto]
    text: Les coulisses du vendredi
    repeat: {every: week, count: 4}
  - id: other
    at: 2026-12-04 19:00
    channels: [masto]
    text: Autre chose
)");
    CHECK(rules == std::set<std::string>{"warning[spacing]"});
}

TEST_CASE("output formats: text, json and GitHub annotations") {
    ValidationReport r;
    r.files = 1;
    r.posts = 2;
    r.errors = 1;
    r.findings.push_back(Finding{"text-too-long", Severity::error, "calendar/a.yaml", Pos{4, 11},
                                 "bf", "bsky", "the text is 301 graphemes, 1 over",
                                 "shorten it, please"});
    const PathMapper same = [](const std::string& f) { return f; };
    CHECK(findings_text(r, same, {}) ==
          "calendar/a.yaml:4:11: error[text-too-long]: the text is 301 graphemes, 1 over (post bf, "
          "bsky)\n"
          "    hint: shorten it, please\n");
    const auto j = findings_json(r, same);
    CHECK(j["errors"] == 1);
    CHECK(j["valid"] == false);
    CHECK(j["findings"][0]["line"] == 4);
    CHECK(j["findings"][0]["channel"] == "bsky");
    CHECK(findings_github(r, same) ==
          "::error file=calendar/a.yaml,line=4,col=11,title=cmtool text-too-long::the text is 301 "
          "graphemes, 1 over (post bf, bsky)%0Ashorten it, please\n");
}
