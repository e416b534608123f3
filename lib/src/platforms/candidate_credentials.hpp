#pragma once
// Credentials being tried by `auth login` (Mastodon token, Bluesky app password, a freshly
// exchanged OAuth token set), kept in memory so that verify() sees them alone: neither the
// environment's secret nor an older stored one can make a refused secret look accepted, and
// nothing reaches the credentials file before the platform accepts them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"

namespace cmtool::platforms {

class CandidateCredentials final : public CredentialStore {
  public:
    explicit CandidateCredentials(std::map<std::string, std::string> values = {})
        : m_values(std::move(values)) {}
    Result<std::optional<std::string>> get(const calendar::Account& /*account*/,
                                           std::string_view kind) override {
        return peek(kind);
    }
    Result<void> put(const calendar::Account& /*account*/, std::string_view kind,
                     std::optional<std::string> value) override {
        if (value) {
            m_values[std::string(kind)] = std::move(*value);
        } else {
            m_values.erase(std::string(kind));
        }
        return {};
    }
    // Every value but the token set's times (epoch seconds: masking them would mangle numbers
    // in messages, and they are not secret).
    std::vector<std::string> known_secrets() const override {
        std::vector<std::string> out;
        for (const auto& [kind, value] : m_values) {
            if (kind != oauth::k_kind_expires && kind != oauth::k_kind_issued &&
                kind != oauth::k_kind_refresh_expires) {
                out.push_back(value);
            }
        }
        return out;
    }
    std::optional<std::string> peek(std::string_view kind) const {
        const auto it = m_values.find(std::string(kind));
        return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

  private:
    std::map<std::string, std::string> m_values;
};

}  // namespace cmtool::platforms
