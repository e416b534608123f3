// `cmtool init`'s library part: the time zone and language guesses, the scaffold, no overwrite.
#include <doctest/doctest.h>

#include <date/date.h>

#include "cmtool/calendar/init.hpp"
#include "cmtool/calendar/new_post.hpp"
#include "cmtool/calendar/validate.hpp"
#include "test_support.hpp"

using namespace cmtool;
namespace fs = std::filesystem;

namespace {

std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int h) {
    return std::chrono::sys_seconds{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} +
           std::chrono::hours(h);
}

std::string slurp(const fs::path& p) {
    auto r = util::read_file(p);
    REQUIRE(r.has_value());
    return *r;
}

calendar::InitOptions options(const fs::path& dir) {
    calendar::InitOptions o;
    o.dir = dir;
    o.tz_sources = {"Europe/Paris", "/nonexistent/timezone", "/nonexistent/localtime"};
    o.locale = "fr_FR.UTF-8";
    o.now = utc(2026, 11, 30, 10);  // tomorrow is in December
    return o;
}

}  // namespace

TEST_CASE("init: the time zone guess honours $TZ, then /etc/timezone, then /etc/localtime") {
    test::TempDir tmp("init-tz");
    tmp.write("timezone", "Asia/Tokyo\n");
    fs::create_symlink("/usr/share/zoneinfo/America/Montreal", tmp.path() / "localtime");
    const fs::path none = tmp.path() / "none";

    auto g = calendar::guess_timezone({"Europe/Paris", tmp.path() / "timezone", none});
    CHECK(g.name == "Europe/Paris");
    CHECK(g.source == "$TZ");
    CHECK(calendar::guess_timezone({":Europe/Berlin", none, none}).name == "Europe/Berlin");
    g = calendar::guess_timezone({"CET-1CEST,M3.5.0,M10.5.0/3", tmp.path() / "timezone", none});
    CHECK(g.name == "Asia/Tokyo");
    CHECK(g.source == (tmp.path() / "timezone").string());
    g = calendar::guess_timezone({"", none, tmp.path() / "localtime"});
    CHECK(g.name == "America/Montreal");
    CHECK(g.source == (tmp.path() / "localtime").string());
    g = calendar::guess_timezone({"Mars/Olympus", none, none});
    CHECK(g.name == "UTC");
    CHECK(g.source.empty());
}

TEST_CASE("init: the language guess reads French locales only") {
    CHECK(calendar::guess_lang("fr_FR.UTF-8") == "fr");
    CHECK(calendar::guess_lang("fr_CA") == "fr");
    CHECK(calendar::guess_lang("fr") == "fr");
    CHECK(calendar::guess_lang("C.UTF-8") == "en");
    CHECK(calendar::guess_lang("fri") == "en");
    CHECK(calendar::guess_lang("") == "en");
}

TEST_CASE("init: the scaffold is a valid workspace with zero findings") {
    test::TempDir tmp("init-scaffold");
    const fs::path dir = tmp.path() / "atelier";
    auto r = calendar::init_workspace(options(dir));
    REQUIRE(r.has_value());
    CHECK(r->created == std::vector<std::string>{"calendar/2026/12.yaml", "media/.gitkeep",
                                                 ".gitignore", "cmtool.yaml"});
    CHECK(r->brand == "atelier");
    CHECK(r->timezone == "Europe/Paris");
    CHECK(r->timezone_source == "$TZ");
    CHECK(r->lang == "fr");
    CHECK(slurp(dir / ".gitignore").find(".cmtool/\n") != std::string::npos);
    CHECK(slurp(dir / "calendar/2026/12.yaml").find("at: 2026-12-01 09:00") != std::string::npos);

    calendar::Diagnostics diags;
    auto ws = calendar::load_workspace(dir, diags);
    REQUIRE(ws.has_value());
    CHECK(diags.findings().empty());
    CHECK(ws->timezone == "Europe/Paris");
    CHECK(ws->lang == "fr");
    REQUIRE(ws->accounts.size() == 1);
    CHECK(ws->accounts.front().name == "example");
    auto report = calendar::validate(*ws, std::move(diags), {});
    REQUIRE(report.has_value());
    CHECK(report->posts == 1);
    CHECK(report->findings.empty());
}

TEST_CASE("init: refuses an existing workspace and never overwrites a file") {
    test::TempDir tmp("init-refuse");
    tmp.write("calendar/2026/12.yaml", "posts:\n");
    tmp.write(".gitignore", "build/");  // no final newline
    auto first = calendar::init_workspace(options(tmp.path()));
    REQUIRE(first.has_value());
    CHECK(first->kept == std::vector<std::string>{"calendar/2026/12.yaml"});
    CHECK(first->appended == std::vector<std::string>{".gitignore"});
    CHECK(slurp(tmp.path() / "calendar/2026/12.yaml") == "posts:\n");
    const std::string ignore = slurp(tmp.path() / ".gitignore");
    CHECK(ignore.rfind("build/\n#", 0) == 0);
    const std::string yaml = slurp(tmp.path() / "cmtool.yaml");

    auto again = calendar::init_workspace(options(tmp.path()));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == ErrorCode::usage);
    CHECK(again.error().message.find("already a workspace") != std::string::npos);
    CHECK(slurp(tmp.path() / "cmtool.yaml") == yaml);

    fs::remove(tmp.path() / "cmtool.yaml");  // an interrupted init can be run again
    auto retry = calendar::init_workspace(options(tmp.path()));
    REQUIRE(retry.has_value());
    CHECK(slurp(tmp.path() / ".gitignore") == ignore);  // the line is not added twice
    CHECK(retry->created == std::vector<std::string>{"cmtool.yaml"});
}

TEST_CASE("init: --brand is quoted for YAML, --timezone and --lang are checked") {
    test::TempDir tmp("init-flags");
    auto o = options(tmp.path() / "a");
    o.brand = "Atelier: Lumière #1";
    o.timezone = "America/Montreal";
    o.lang = "en";
    auto r = calendar::init_workspace(o);
    REQUIRE(r.has_value());
    CHECK(r->timezone_source == "--timezone");
    calendar::Diagnostics diags;
    auto ws = calendar::load_workspace(tmp.path() / "a", diags);
    REQUIRE(ws.has_value());
    CHECK(diags.findings().empty());
    CHECK(ws->brand == "Atelier: Lumière #1");
    CHECK(ws->timezone == "America/Montreal");

    o.dir = tmp.path() / "b";
    o.timezone = "Europe/Lyon";
    auto bad = calendar::init_workspace(o);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::usage);
    CHECK_FALSE(fs::exists(tmp.path() / "b"));
}

TEST_CASE("new post ids: ASCII slugs of the first words, unique with -2, -3") {
    CHECK(calendar::new_post_id("Été à Noël : l'œuvre du garçon !", {}) ==
          "ete-a-noel-l-oeuvre-du-garcon");
    CHECK(calendar::new_post_id("Voir https://atelier.example/bf et www.x.fr vite", {}) ==
          "voir-et-vite");
    CHECK(calendar::new_post_id("🕯️🕯️", {}) == "post");
    const std::string long_id = calendar::new_post_id(
        "Vendredi noir, lumière douce : moins vingt pour cent sur toutes nos lampes", {});
    CHECK(long_id.size() <= 40);
    CHECK(long_id == "vendredi-noir-lumiere-douce-moins-vingt");
    CHECK(calendar::new_post_id("Bonjour", {"bonjour"}) == "bonjour-2");
    CHECK(calendar::new_post_id("Bonjour", {"bonjour", "bonjour-2"}) == "bonjour-3");
}
