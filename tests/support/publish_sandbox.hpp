#pragma once
// A workspace whose two accounts point at running fakes, for tests of the built `cmtool
// publish`: `masto` (fake_mastodon, alice's token) and `bsky` (fake_bluesky, alice.test's app
// password), through CMTOOL_<ACCOUNT>_API and the credential variables, with a private
// XDG_CONFIG_HOME so cached Bluesky sessions never leak between tests.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../unit/test_support.hpp"
#include "cmtool_process.hpp"
#include "fake_bluesky_fixture.hpp"
#include "fake_mastodon_fixture.hpp"
#include "fake_meta_fixture.hpp"

namespace cmtool::test {

inline constexpr const char* k_publish_workspace_yaml = R"(version: 1
brand: Atelier Test
timezone: Europe/Paris
accounts:
  masto: {platform: mastodon, instance: https://mastodon.example}
  bsky:  {platform: bluesky, handle: alice.test}
)";

enum class Credentials { no, yes };

// With fake_meta too: accounts `fb` (Page), `insta` (Instagram) and `threads`, and the
// workspace's media_base_url.
enum class WithMeta { no, yes };
// The workspace YAML with the Meta accounts added to `accounts`.
inline std::string with_meta_accounts(std::string yaml) {
    yaml = "media_base_url: https://cdn.example/media\n" + yaml;
    yaml +=
        "  fb:      {platform: facebook, page_id: \"1001\"}\n"
        "  insta:   {platform: instagram, user_id: \"17841400000000001\"}\n"
        "  threads: {platform: threads, user_id: \"2002\"}\n";
    return yaml;
}

struct PublishSandbox {
    FakeMastodon masto;
    FakeBluesky bsky;
    TempDir dir;
    std::optional<FakeMeta> meta;

    explicit PublishSandbox(const std::string& name, std::vector<std::string> masto_flags = {},
                            std::vector<std::string> bsky_flags = {},
                            WithMeta with_meta = WithMeta::no)
        : masto(start_fake_mastodon(std::move(masto_flags))),
          bsky(start_fake_bluesky(std::move(bsky_flags))),
          dir(name) {
        if (with_meta == WithMeta::yes) {
            meta.emplace(start_fake_meta());
        }
        dir.write("ws/cmtool.yaml", meta ? with_meta_accounts(k_publish_workspace_yaml)
                                         : std::string(k_publish_workspace_yaml));
        std::filesystem::create_directories(root() / "media");
        std::filesystem::copy_file(
            std::filesystem::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg",
            root() / "media" / "lampe-laiton.jpg");
    }

    std::filesystem::path root() const { return dir.path() / "ws"; }

    void write_calendar(const std::string& yaml) const {
        dir.write("ws/calendar/posts.yaml", yaml);
    }

    // The environment of every run: API overrides, a private config folder, and the secrets
    // unless `credentials` is no.
    std::vector<std::string> env(Credentials credentials = Credentials::yes) const {
        std::vector<std::string> e = {"CMTOOL_MASTO_API=" + masto.server.base_url(),
                                      "CMTOOL_BSKY_API=" + bsky.server.base_url(),
                                      "XDG_CONFIG_HOME=" + (dir.path() / "config").string()};
        if (meta) {
            for (const char* name : {"FB", "INSTA", "THREADS"}) {
                e.push_back(std::string("CMTOOL_") + name + "_API=" + meta->server.base_url());
                if (credentials == Credentials::yes) {
                    e.push_back(std::string("CMTOOL_") + name + "_TOKEN=" + k_meta_token);
                }
            }
        }
        if (credentials == Credentials::yes) {
            e.push_back(std::string("CMTOOL_MASTO_TOKEN=") + k_alice_token);
            e.push_back(std::string("CMTOOL_BSKY_APP_PASSWORD=") + k_alice_app_password);
        }
        return e;
    }

    // `cmtool -C <workspace> args...`, blocking.
    RunResult run(std::vector<std::string> args, Credentials credentials = Credentials::yes) const {
        args.insert(args.begin(), {"-C", root().string()});
        return run_cmtool(args, {}, env(credentials));
    }

    // The same, in the background (to kill it, or to run another one meanwhile).
    std::unique_ptr<CmtoolProcess> start(std::vector<std::string> args,
                                         const std::string& log_name) const {
        args.insert(args.begin(), {"-C", root().string()});
        return std::make_unique<CmtoolProcess>(args, env(), dir.path() / "logs" / log_name);
    }

    // Forgets everything: both fakes' posts, faults and statistics, the workspace's ledger and
    // the cached sessions. The calendar stays.
    void reset() {
        masto.admin("POST", "/__admin/reset");
        bsky.admin("POST", "/__admin/reset");
        if (meta) {
            meta->admin("POST", "/__admin/reset");
        }
        std::filesystem::remove_all(root() / ".cmtool");
        std::filesystem::remove_all(dir.path() / "config");
    }

    // The fake Mastodon's statuses that were not deleted, oldest first.
    nlohmann::json statuses() {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& s : masto.admin("GET", "/__admin/statuses")) {
            if (!s.value("deleted", false)) {
                out.push_back(s);
            }
        }
        return out;
    }

    // How many statuses / records carry exactly this text.
    std::size_t masto_count(const std::string& text) {
        std::size_t n = 0;
        for (const auto& s : statuses()) {
            n += s["text"] == text ? 1U : 0U;
        }
        return n;
    }
    std::size_t bsky_count(const std::string& text) { return bsky.records_with_text(text).size(); }

    // API requests each fake has received since it started (or was reset).
    long masto_requests() { return masto.admin("GET", "/__admin/stats")["requests"].get<long>(); }
    long bsky_requests() { return bsky.admin("GET", "/__admin/stats")["requests"].get<long>(); }
};

}  // namespace cmtool::test
