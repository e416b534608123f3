#pragma once
// The credentials file on disk: loading with the permission check, lookups, atomic 0600 saves.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cmtool/util/result.hpp"

namespace cmtool::platforms::detail {

// The document in `file`, or an empty one when the file does not exist. Fails (config) when
// group or others may read or write it (hint: chmod 600) or when it is corrupt; the message
// names the file and the place, never its content.
Result<nlohmann::json> load_credentials(const std::filesystem::path& file);

// workspaces[root][account][kind] when it is a non-empty string.
std::optional<std::string> find_secret(const nlohmann::json& doc, const std::string& root,
                                       std::string_view account, std::string_view kind);

// Sets (or with nullopt removes, pruning empty objects) workspaces[root][account][kind].
// Returns false when nothing changed.
bool set_secret(nlohmann::json& doc, const std::string& root, std::string_view account,
                std::string_view kind, const std::optional<std::string>& value);

// Writes `doc` through a 0600 temporary file in the same folder (created 0700), fsync'ed and
// renamed over `file`, so the secret is never readable by others, even for a moment.
Result<void> save_credentials(const std::filesystem::path& file, const nlohmann::json& doc);

}  // namespace cmtool::platforms::detail
