#pragma once
// Reading members of JSON answers that are checked, never trusted: a missing member or one of
// another type gives the empty value instead of throwing.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cmtool::util {

// j[key] when `j` is an object and the member is a string, else "".
std::string json_string(const nlohmann::json& j, const char* key);
// j[key] when `j` is an object and the member is an integer, else nullopt.
std::optional<std::int64_t> json_int(const nlohmann::json& j, const char* key);

}  // namespace cmtool::util
