// Looking things up in a loaded workspace: accounts, categories, "did you mean", durations, and
// the environment overrides (workspace.hpp).
#include <algorithm>

#include "cmtool/calendar/workspace.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

std::string Account::get(const std::string& key, const std::string& fallback) const {
    const auto it = settings.find(key);
    return it == settings.end() ? fallback : it->second;
}

const Account* WorkspaceConfig::find_account(std::string_view name) const {
    const auto it = std::find_if(accounts.begin(), accounts.end(),
                                 [&](const Account& a) { return a.name == name; });
    return it == accounts.end() ? nullptr : &*it;
}

const Category* WorkspaceConfig::find_category(std::string_view name) const {
    const auto it = std::find_if(categories.begin(), categories.end(),
                                 [&](const Category& c) { return c.name == name; });
    return it == categories.end() ? nullptr : &*it;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    const std::string lower = util::to_lower(word);
    for (const auto& c : candidates) {
        const std::size_t d = util::edit_distance(lower, util::to_lower(c));
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

std::optional<std::chrono::minutes> parse_duration(std::string_view s) {
    s = util::trim(s);
    if (s.empty()) {
        return std::nullopt;
    }
    std::size_t i = 0;
    long value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value = value * 10 + (s[i] - '0');
        if (value > 10'000'000) {
            return std::nullopt;
        }
        ++i;
    }
    if (i == 0) {
        return std::nullopt;
    }
    const std::string unit = util::to_lower(util::trim(s.substr(i)));
    if (unit.empty() || unit == "m" || unit == "min" || unit == "minutes") {
        return std::chrono::minutes(value);
    }
    if (unit == "h" || unit == "hours" || unit == "hour") {
        return std::chrono::minutes(value * 60);
    }
    if (unit == "d" || unit == "days" || unit == "day") {
        return std::chrono::minutes(value * 60 * 24);
    }
    return std::nullopt;
}

void apply_env_overrides(WorkspaceConfig& ws, const std::map<std::string, std::string>& env) {
    for (auto& acc : ws.accounts) {
        if (auto it = env.find(util::account_env_name(acc.name, "api"));
            it != env.end() && !it->second.empty()) {
            acc.settings["api"] = it->second;
        }
    }
    // Webhook URLs carry their token: CMTOOL_<CHANNEL>_WEBHOOK_URL keeps them out of the file.
    for (auto& c : ws.watch.channels) {
        if (auto it = env.find(util::account_env_name(c.name, "webhook_url"));
            it != env.end() && !it->second.empty() && c.type == WatchChannelType::webhook) {
            c.url = it->second;
        }
    }
    if (auto it = env.find("CMTOOL_STATE_DIR"); it != env.end() && !it->second.empty()) {
        ws.state_dir = it->second;
    }
}

Result<const Account*> require_account(const WorkspaceConfig& ws, std::string_view name) {
    if (const Account* a = ws.find_account(name)) {
        return a;
    }
    std::vector<std::string> names;
    for (const auto& a : ws.accounts) {
        names.push_back(a.name);
    }
    const std::string guess = did_you_mean(name, names);
    return fail(ErrorCode::usage, "no account `" + std::string(name) + "` in cmtool.yaml",
                guess.empty() ? "the accounts are: " + util::join(names, ", ")
                              : "did you mean `" + guess + "`?");
}

}  // namespace cmtool::calendar
