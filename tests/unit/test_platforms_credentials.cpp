#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/files.hpp"
#include "test_support.hpp"

using namespace cmtool;
using namespace cmtool::platforms;
namespace fs = std::filesystem;

namespace {

calendar::Account account(const std::string& name, Platform p = Platform::mastodon) {
    calendar::Account a;
    a.name = name;
    a.platform = p;
    return a;
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

struct Fixture {
    test::TempDir tmp{"credentials"};
    fs::path root = tmp.path() / "ws";
    fs::path file = tmp.path() / "config" / "cmtool" / "credentials.json";

    // Writes the credentials file with `mode`, holding `secrets` for `root`'s account "masto".
    void write_file(const std::string& content, fs::perms mode = fs::perms(0600)) const {
        REQUIRE(util::write_file_atomic(file, content));
        fs::permissions(file, mode);
    }
    std::string doc_with(const std::string& token) const {
        return nlohmann::json{{"version", 1},
                              {"workspaces", {{root.string(), {{"masto", {{"token", token}}}}}}}}
            .dump();
    }
};

}  // namespace

TEST_CASE("credentials: environment variable names") {
    CHECK(credential_env_name("my-masto", "token") == "CMTOOL_MY_MASTO_TOKEN");
    CHECK(credential_env_name("bsky", "app_password") == "CMTOOL_BSKY_APP_PASSWORD");
    CHECK(credential_env_name("Insta.Pro", "access_jwt") == "CMTOOL_INSTA_PRO_ACCESS_JWT");
}

TEST_CASE("credentials: the default file follows XDG_CONFIG_HOME, else HOME") {
    using Store = DefaultCredentialStore;
    CHECK(Store::default_file({{"XDG_CONFIG_HOME", "/x/cfg"}, {"HOME", "/home/a"}}) ==
          fs::path("/x/cfg/cmtool/credentials.json"));
    CHECK(Store::default_file({{"XDG_CONFIG_HOME", "rel"}, {"HOME", "/home/a"}}) ==
          fs::path("/home/a/.config/cmtool/credentials.json"));
    CHECK(Store::default_file({{"HOME", "/home/a"}}) ==
          fs::path("/home/a/.config/cmtool/credentials.json"));
    CHECK(Store(fs::path("/w"), {{"HOME", "/h"}}).file() ==
          fs::path("/h/.config/cmtool/credentials.json"));
}

TEST_CASE_FIXTURE(Fixture, "credentials: the environment beats the file") {
    write_file(doc_with("fake-file-token"));
    DefaultCredentialStore from_env(root, {{"CMTOOL_MASTO_TOKEN", "fake-env-token"}}, file);
    CHECK(from_env.get(account("masto"), "token").value() == "fake-env-token");

    DefaultCredentialStore from_file(root, {{"CMTOOL_MASTO_TOKEN", ""}}, file);  // empty = unset
    CHECK(from_file.get(account("masto"), "token").value() == "fake-file-token");
    CHECK(!from_file.get(account("masto"), "app_password").value());
    CHECK(!from_file.get(account("other"), "token").value());

    // Keyed by the workspace root: another workspace's entry is not ours.
    DefaultCredentialStore elsewhere(tmp.path() / "other-ws", {}, file);
    CHECK(!elsewhere.get(account("masto"), "token").value());
    // The same root written with a trailing separator is the same workspace.
    DefaultCredentialStore trailing(fs::path(root.string() + "/"), {}, file);
    CHECK(trailing.get(account("masto"), "token").value() == "fake-file-token");
}

TEST_CASE_FIXTURE(Fixture, "credentials: a file others can read is refused, 0600 is accepted") {
    write_file(doc_with("fake-secret-644"), fs::perms(0644));
    DefaultCredentialStore store(root, {}, file);
    auto refused = store.get(account("masto"), "token");
    REQUIRE(!refused);
    CHECK(refused.error().code == ErrorCode::config);
    CHECK(refused.error().message.find(file.string()) != std::string::npos);
    CHECK(refused.error().message.find("0644") != std::string::npos);
    CHECK(refused.error().hint == "chmod 600 " + file.string());
    CHECK(refused.error().message.find("fake-secret-644") == std::string::npos);

    fs::permissions(file, fs::perms(0600));
    CHECK(store.get(account("masto"), "token").value() == "fake-secret-644");
}

TEST_CASE_FIXTURE(Fixture, "credentials: put() writes a 0600 file in a 0700 folder, atomically") {
    DefaultCredentialStore store(root, {}, file);
    REQUIRE(store.put(account("masto"), "token", "fake-put-token"));
    REQUIRE(store.put(account("bsky", Platform::bluesky), "app_password", "fake-app-pass"));
    CHECK(mode_of(file) == 0600);
    CHECK(mode_of(file.parent_path()) == 0700);
    for (const auto& entry : fs::directory_iterator(file.parent_path())) {
        const auto name = entry.path().filename().string();
        CHECK_MESSAGE((name == "credentials.json" || name == "credentials.json.lock"), name);
    }
    const auto doc = nlohmann::json::parse(util::read_file(file).value());
    CHECK(doc["version"] == 1);
    CHECK(doc["workspaces"][root.string()]["masto"]["token"] == "fake-put-token");

    DefaultCredentialStore reader(root, {}, file);
    CHECK(reader.get(account("bsky"), "app_password").value() == "fake-app-pass");

    REQUIRE(store.put(account("masto"), "token", std::nullopt));
    CHECK(!reader.get(account("masto"), "token").value());
    CHECK(reader.get(account("bsky"), "app_password").value() == "fake-app-pass");
    REQUIRE(store.put(account("masto"), "token", std::nullopt));  // nothing to remove: fine
}

TEST_CASE_FIXTURE(Fixture, "credentials: a corrupt file is an error that never echoes it") {
    DefaultCredentialStore store(root, {}, file);
    const std::vector<std::string> bad = {
        R"({"version":1,"workspaces":{"/w":{"masto":{"token":"fake-leak-1)",
        R"({"version":1,"workspaces":{"/w":{"masto":"fake-leak-2"}}})",
        R"({"version":1,"workspaces":{"/w":{"masto":{"token":["fake-leak-3"]}}}})",
        R"(["fake-leak-4"])",
    };
    for (const auto& content : bad) {
        write_file(content);
        auto r = store.get(account("masto"), "token");
        REQUIRE(!r);
        CHECK(r.error().code == ErrorCode::config);
        CHECK(r.error().message.find(file.string()) != std::string::npos);
        CHECK(r.error().message.find("fake-leak") == std::string::npos);
        CHECK(r.error().hint.find("fake-leak") == std::string::npos);
        // put() does not overwrite what it cannot read.
        CHECK(!store.put(account("masto"), "token", "fake-new"));
        CHECK(util::read_file(file).value() == content);
    }
    write_file(R"({"version":2,"workspaces":{}})");
    CHECK(!store.get(account("masto"), "token"));
}

TEST_CASE_FIXTURE(Fixture, "credentials: known_secrets lists every value handed out, once") {
    write_file(doc_with("fake-file-token"));
    DefaultCredentialStore store(root, {{"CMTOOL_BSKY_APP_PASSWORD", "fake-env-pass"}}, file);
    CHECK(store.known_secrets().empty());
    CHECK(store.get(account("masto"), "token").value() == "fake-file-token");
    CHECK(store.get(account("masto"), "token").value() == "fake-file-token");
    CHECK(store.get(account("bsky"), "app_password").value() == "fake-env-pass");
    CHECK(!store.get(account("x"), "token").value());
    auto known = store.known_secrets();
    std::sort(known.begin(), known.end());
    CHECK(known == std::vector<std::string>{"fake-env-pass", "fake-file-token"});
    REQUIRE(store.put(account("bsky"), "refresh_jwt", "fake-jwt"));
    known = store.known_secrets();
    CHECK(std::find(known.begin(), known.end(), "fake-jwt") != known.end());
}
