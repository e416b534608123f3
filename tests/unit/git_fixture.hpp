#pragma once
// Throw-away git repositories for the `plan diff` tests, driven through the `git` command line
// (readable, and the same tool users run). User and system git configuration are ignored so a
// developer's hooks, signing or default branch cannot change the outcome.
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace cmtool::test {

// `git -C dir <args>` with a fixed identity; returns stdout and stderr. Throws when git fails.
inline std::string git(const std::filesystem::path& dir, const std::string& args) {
    const std::string cmd =
        "GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C '" + dir.string() +
        "' -c user.name=cmtool-test -c user.email=test@example.invalid -c commit.gpgsign=false "
        "-c init.defaultBranch=main " +
        args + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("cannot run git");
    }
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
        out.append(buf, n);
    }
    if (::pclose(pipe) != 0) {
        throw std::runtime_error("git " + args + " failed: " + out);
    }
    return out;
}

// Stages everything under `dir` and commits it; returns the new commit's id.
inline std::string commit_all(const std::filesystem::path& dir, const std::string& message) {
    git(dir, "add -A");
    git(dir, "commit -q -m '" + message + "'");
    const std::string id = git(dir, "rev-parse HEAD");
    return id.substr(0, id.find('\n'));
}

// Every file under `dir` (the .git folder included, so the index counts) and its mtime.
inline std::map<std::string, std::filesystem::file_time_type> mtimes(
    const std::filesystem::path& dir) {
    std::map<std::string, std::filesystem::file_time_type> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            out[e.path().string()] = e.last_write_time();
        }
    }
    return out;
}

// The calendar of the first commit of diff_repo.
inline const char* k_calendar_v1 = R"(posts:
  - id: keep
    at: 2026-11-23 09:00
    channels: [masto]
    text: Rien ne change ici.
  - id: bouge
    at: 2026-11-24 09:00
    channels: [masto, bsky]
    text: Un post qui se déplace.
  - id: cible
    at: 2026-11-25 09:00
    channels: [masto, x]
    text: Changement de canaux.
  - id: texte
    at: 2026-11-26 09:00
    channels: [masto]
    text: "Vendredi noir, lumière douce : -20 % sur toutes nos lampes demain"
  - id: statut
    at: 2026-11-27 09:00
    channels: [masto]
    status: draft
    text: Bientôt prêt.
  - id: adieu
    at: 2026-11-28 09:00
    channels: [masto]
    text: Ce post disparaît.
  - id: champs
    at: 2026-11-29 09:00
    channels: [masto]
    category: promo
    text: Autres champs.
)";

// The second commit: adieu removed, nouveau added, bouge moved, cible retargeted, texte
// edited, statut ready, champs with another category and a campaign.
inline const char* k_calendar_v2 = R"(posts:
  - id: keep
    at: 2026-11-23 09:00
    channels: [masto]
    text: Rien ne change ici.
  - id: bouge
    at: 2026-11-24 18:30
    channels: [masto, bsky]
    text: Un post qui se déplace.
  - id: cible
    at: 2026-11-25 09:00
    channels: [masto, bsky, linkedin]
    text: Changement de canaux.
  - id: texte
    at: 2026-11-26 09:00
    channels: [masto]
    text: "Vendredi blanc, lumière douce : -30 % sur toutes nos lampes ce soir"
  - id: statut
    at: 2026-11-27 09:00
    channels: [masto]
    status: ready
    text: Bientôt prêt.
  - id: champs
    at: 2026-11-29 09:00
    channels: [masto]
    category: inspiration
    campaign: noel-2026
    text: Autres champs.
  - id: nouveau
    at: 2026-11-30 10:00
    channels: [bsky, linkedin]
    text: "Un nouveau post | avec une barre"
)";

struct DiffRepo {
    std::filesystem::path workspace;
    std::string first;   // commit holding k_calendar_v1
    std::string second;  // commit holding k_calendar_v2
};

// A repository in `top` whose workspace is `top/sub` (or `top` when `sub` is empty), with two
// commits on `main`: k_calendar_v1 then k_calendar_v2 in calendar/2026/11.yaml.
inline DiffRepo diff_repo(const std::filesystem::path& top, const std::string& sub,
                          const std::string& workspace_yaml) {
    const auto ws = sub.empty() ? top : top / sub;
    std::filesystem::create_directories(ws / "calendar" / "2026");
    git(top, "init -q");
    const auto write = [](const std::filesystem::path& p, const char* text) {
        std::FILE* f = std::fopen(p.string().c_str(), "wb");
        std::fputs(text, f);
        std::fclose(f);
    };
    write(ws / "cmtool.yaml", workspace_yaml.c_str());
    write(top / "README.md", "not a calendar\n");
    write(ws / "calendar" / "2026" / "11.yaml", k_calendar_v1);
    const std::string first = commit_all(top, "first");
    write(ws / "calendar" / "2026" / "11.yaml", k_calendar_v2);
    const std::string second = commit_all(top, "second");
    return DiffRepo{ws, first, second};
}

}  // namespace cmtool::test
