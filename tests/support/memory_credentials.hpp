#pragma once
// Test doubles for an adapter's surroundings: a CredentialStore held in memory (secrets keyed by
// account name and kind, with a log of writes) and a Sleeper that records waits without
// sleeping.
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/credentials.hpp"

namespace cmtool::test {

class MemoryCredentials final : public platforms::CredentialStore {
  public:
    using Key = std::pair<std::string, std::string>;  // (account name, kind)

    Result<std::optional<std::string>> get(const calendar::Account& account,
                                           std::string_view kind) override {
        const auto it = m_secrets.find({account.name, std::string(kind)});
        if (it == m_secrets.end()) {
            return std::optional<std::string>();
        }
        m_handed_out.push_back(it->second);
        return std::optional<std::string>(it->second);
    }

    Result<void> put(const calendar::Account& account, std::string_view kind,
                     std::optional<std::string> value) override {
        m_writes.emplace_back(std::string(kind), value.value_or("<removed>"));
        if (value) {
            m_secrets[{account.name, std::string(kind)}] = std::move(*value);
        } else {
            m_secrets.erase({account.name, std::string(kind)});
        }
        return {};
    }

    std::vector<std::string> known_secrets() const override { return m_handed_out; }
    bool from_environment(const calendar::Account& account, std::string_view kind) const override {
        return environment.count({account.name, std::string(kind)}) > 0;
    }
    // (account, kind) pairs the test says come from the environment.
    std::set<Key> environment;

    // Test side: set a secret directly, read one back, and the (kind, value) writes so far.
    void set(const std::string& account, const std::string& kind, std::string value) {
        m_secrets[{account, kind}] = std::move(value);
    }
    std::optional<std::string> peek(const std::string& account, const std::string& kind) const {
        const auto it = m_secrets.find({account, kind});
        return it == m_secrets.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    const std::vector<std::pair<std::string, std::string>>& writes() const { return m_writes; }

  private:
    std::map<Key, std::string> m_secrets;
    std::vector<std::string> m_handed_out;
    std::vector<std::pair<std::string, std::string>> m_writes;
};

class RecordingSleeper final : public net::Sleeper {
  public:
    Result<void> sleep_for(std::chrono::milliseconds duration) override {
        waits.push_back(duration);
        return {};
    }
    std::vector<std::chrono::milliseconds> waits;
};

}  // namespace cmtool::test
