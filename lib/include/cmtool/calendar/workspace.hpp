#pragma once
// The workspace: a folder with cmtool.yaml (found from the current directory upward).
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/calendar/diagnostic.hpp"
#include "cmtool/calendar/watch_config.hpp"
#include "cmtool/text/platform.hpp"
#include "cmtool/util/result.hpp"

namespace date {
class time_zone;
}

namespace cmtool::calendar {

inline constexpr const char* k_workspace_file = "cmtool.yaml";

struct Account {
    std::string name;  // the name posts use in `channels`
    Platform platform = Platform::manual;
    // Platform-specific settings as written (instance, service, handle, author, user_id,
    // page_id, chat_id, api, max_characters, ...); the key table lives in workspace.cpp.
    std::map<std::string, std::string> settings;
    Pos pos;

    // A setting, or `fallback` when absent.
    std::string get(const std::string& key, const std::string& fallback = {}) const;
};

struct Category {
    std::string name;
    std::optional<double> target;  // share of posts in [0, 1]
    Pos pos;
};

struct Utm {
    std::string source;    // default: the channel's platform name
    std::string medium;    // default: "social"
    std::string campaign;  // default: the post's campaign
    bool enabled = false;
};

struct WorkspaceConfig {
    std::filesystem::path root;  // absolute folder holding cmtool.yaml
    int version = 1;
    std::string brand;
    std::string timezone = "UTC";
    const date::time_zone* zone = nullptr;  // never null after a successful load
    std::vector<std::string> calendar = {"calendar/**/*.yaml"};
    std::vector<Account> accounts;
    std::vector<Category> categories;
    std::string lang = "en";                 // fr | en
    std::chrono::minutes min_spacing{60};    // editorial warning below this, per channel
    std::chrono::minutes max_late{120};      // publish: later than this is missed
    std::chrono::days metrics_lookback{30};  // pull-metrics window
    std::string state_dir = ".cmtool";       // local state, relative to root, not committed
    std::string media_base_url;              // public URL of media/ (Instagram, Threads)
    Utm utm;
    WatchConfig watch;  // `cmtool watch` (docs/watch.md)

    const Account* find_account(std::string_view name) const;
    const Category* find_category(std::string_view name) const;
    std::filesystem::path state_path() const { return root / state_dir; }
};

// The folder holding cmtool.yaml: `start` itself or its nearest ancestor. Fails (config) with a
// hint about `cmtool init` and `-C` when there is none.
Result<std::filesystem::path> find_workspace(const std::filesystem::path& start);

// Reads <root>/cmtool.yaml. Problems in the file are added to `diags` as findings with
// positions (unknown keys with "did you mean", wrong types, unknown zone); the returned config
// is usable with defaults in their place. Fails only when the file cannot be read or parsed.
Result<WorkspaceConfig> load_workspace(const std::filesystem::path& root, Diagnostics& diags);

// Environment overrides, written once: CMTOOL_<ACCOUNT>_API replaces an account's `api` (a
// local sandbox or a test server), CMTOOL_<CHANNEL>_WEBHOOK_URL a watch webhook's `url`,
// CMTOOL_STATE_DIR the state folder. `env` maps names to
// values (main passes the process environment).
void apply_env_overrides(WorkspaceConfig& ws, const std::map<std::string, std::string>& env);

// Parses "90m", "2h", "1d", "45" (minutes). nullopt when malformed.
std::optional<std::chrono::minutes> parse_duration(std::string_view s);

// The account called `name`. Fails (usage) naming the closest account ("did you mean") or,
// when none is close, listing them all.
Result<const Account*> require_account(const WorkspaceConfig& ws, std::string_view name);

// The closest candidate by edit distance (for "did you mean"), or empty when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cmtool::calendar
