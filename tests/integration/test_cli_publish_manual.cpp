// The `manual` channel through the built cmtool: publish renders a due post into a ready-to-post
// folder once, reruns list it as waiting without rendering it again, `publish confirm` records it
// with its URL (idempotently), and refuses another URL, an unknown id and a non-web URL.
#include <doctest/doctest.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "../support/messaging_sandbox.hpp"

using namespace cmtool;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A post with an image and a thread, due 15 minutes ago, on the manual channel `tiktok`.
std::string manual_calendar(std::string& day) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto at = now - std::chrono::minutes(15);
    day = fmt::format("{:%F}", at + std::chrono::hours(1));  // Europe/Paris, close enough below
    return fmt::format(R"(posts:
  - id: lampe
    at: {:%FT%T}+00:00
    channels: [tiktok]
    text: "La lampe en laiton, en vidéo."
    thread: ["Et la suite."]
    media:
      - {{file: media/lampe-laiton.jpg, alt: "Lampe en laiton"}}
)",
                       at);
}

fs::path only_folder(const fs::path& base) {
    std::vector<fs::path> dirs;
    if (fs::exists(base)) {
        for (const auto& e : fs::directory_iterator(base)) {
            if (e.is_directory()) {
                dirs.push_back(e.path());
            }
        }
    }
    REQUIRE_MESSAGE(dirs.size() == 1, base.string());
    return dirs.front();
}

}  // namespace

TEST_SUITE("publish manual") {
    TEST_CASE("manual: render once, list as waiting, confirm with a URL, idempotently") {
        test::MessagingSandbox s("msg-manual");
        std::string day;
        s.write_calendar(manual_calendar(day));

        const auto first = s.run({"publish"});
        REQUIRE_MESSAGE(first.exit_code == 0, first.out << first.err);
        const fs::path folder = only_folder(s.root() / ".cmtool" / "manual" / "tiktok");
        CHECK(folder.filename().string().ends_with("-lampe"));
        CHECK(first.out.find("to post by hand: " + folder.string()) != std::string::npos);
        CHECK(first.out.find("then run: cmtool publish confirm lampe --url <URL>") !=
              std::string::npos);
        CHECK(first.err.find("1 to post by hand") != std::string::npos);
        CHECK(read(folder / "part-1.txt") == "La lampe en laiton, en vidéo.\n");
        CHECK(read(folder / "part-2.txt") == "Et la suite.\n");
        CHECK(read(folder / "post.txt").find("=== part 2 of 2 ===\nEt la suite.") !=
              std::string::npos);
        CHECK(fs::file_size(folder / "1-lampe-laiton.jpg") ==
              fs::file_size(s.root() / "media" / "lampe-laiton.jpg"));
        CHECK(read(folder / "alt.txt") == "1-lampe-laiton.jpg: Lampe en laiton\n");
        const std::string readme = read(folder / "README.md");
        CHECK(readme.find("TikTok") != std::string::npos);
        CHECK(readme.find("cmtool publish confirm lampe --url <URL>") != std::string::npos);

        // A rerun never renders it again (a note of the user's stays), and lists it as waiting.
        std::ofstream(folder / "notes.txt") << "filmed on Tuesday\n";
        const auto again = s.run({"publish", "--format", "json"});
        CHECK_MESSAGE(again.exit_code == 0, again.out << again.err);
        const json d = json::parse(again.out)["deliveries"];
        REQUIRE(d.size() == 1);
        CHECK(d[0]["outcome"] == "awaiting_confirmation");
        CHECK(d[0]["manual_folder"] == folder.string());
        CHECK(fs::exists(folder / "notes.txt"));
        const auto waiting = s.run({"publish", "status", "--format", "json"});
        CHECK(json::parse(waiting.out)["deliveries"][0]["state"] == "awaiting_confirmation");

        // Confirm: sent with the URL; the same URL again is fine; another one is refused.
        const std::string url = "https://www.tiktok.com/@atelier/video/7300000000000000001";
        const auto ok = s.run({"publish", "confirm", "lampe", "--url", url});
        CHECK_MESSAGE(ok.exit_code == 0, ok.out << ok.err);
        CHECK(ok.out.find(url) != std::string::npos);
        const auto same = s.run({"publish", "confirm", "lampe", "--url", url, "--format", "json"});
        CHECK_MESSAGE(same.exit_code == 0, same.out << same.err);
        CHECK(json::parse(same.out)["changed"] == false);
        const auto other =
            s.run({"publish", "confirm", "lampe", "--url", "https://www.tiktok.com/@x/video/2"});
        CHECK(other.exit_code != 0);
        CHECK(other.err.find("already confirmed as posted at " + url) != std::string::npos);

        const auto status = s.run({"publish", "status", "--format", "json"});
        const json row = json::parse(status.out)["deliveries"][0];
        CHECK(row["state"] == "sent");
        CHECK(row["detail"] == url);
        const auto after = s.run({"publish"});
        CHECK(after.exit_code == 0);
        CHECK(after.err.find("1 already sent") != std::string::npos);
    }

    TEST_CASE("manual: unknown id, a URL that is not http(s), and the account's folder") {
        test::MessagingSandbox s("msg-manual-errors");
        std::string day;
        s.write_calendar(manual_calendar(day));
        const auto none = s.run({"publish", "confirm", "lampe", "--url", "https://x.example/1"});
        CHECK(none.exit_code != 0);
        CHECK(none.err.find("no manual delivery `lampe`") != std::string::npos);

        s.dir.write("ws/cmtool.yaml", std::string(test::k_messaging_workspace_yaml) +
                                          "  pins: {platform: manual, network: Pinterest, "
                                          "folder: a-poster/pinterest}\n");
        s.write_calendar(manual_calendar(day) +
                         "  - id: epingle\n    at: 2020-01-01T10:00:00+00:00\n"
                         "    channels: [pins]\n    text: \"Une épingle\"\n");
        const auto run = s.run({"publish", "--catch-up"});
        CHECK_MESSAGE(run.exit_code == 0, run.out << run.err);
        const fs::path pin = only_folder(s.root() / "a-poster" / "pinterest");
        CHECK(pin.filename() == "2020-01-01-epingle");
        CHECK(read(pin / "post.txt") == "Une épingle\n");

        const auto unknown = s.run({"publish", "confirm", "nope", "--url", "https://x.example/1"});
        CHECK(unknown.exit_code != 0);
        CHECK(unknown.err.find("no manual delivery `nope`") != std::string::npos);
        CHECK(unknown.err.find("hint:") != std::string::npos);
        const auto bad_url = s.run({"publish", "confirm", "epingle", "--url", "ftp://x/1"});
        CHECK(bad_url.exit_code == 2);
        CHECK(bad_url.err.find("is not an http(s) URL") != std::string::npos);
        const auto ok = s.run({"publish", "confirm", "epingle", "--url", "https://pin.it/abc"});
        CHECK_MESSAGE(ok.exit_code == 0, ok.out << ok.err);
    }
}
