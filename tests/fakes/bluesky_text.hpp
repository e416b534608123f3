#pragma once
// Small encodings the fake Bluesky needs: grapheme counts (utf8proc, like the lexicon's
// maxGraphemes), UTF-8 boundaries, TIDs, CID-looking strings, JWT-shaped tokens and datetimes.
// Written independently of cmtool_core so the fake does not share the code it tests.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cmtool::fakes {

// j[key] when j is an object holding a string there, else "".
std::string json_str(const nlohmann::json& j, const char* key);

// j[key] when j is an object that has it, else null (safe to chain: child(child(j, "a"), "b")).
nlohmann::json child(const nlohmann::json& j, const char* key);

// Extended grapheme clusters of valid UTF-8 (invalid bytes count one each).
std::size_t count_graphemes_fake(std::string_view s);
bool is_valid_utf8_fake(std::string_view s);
// True when byte offset i starts a code point or is the end of `s`.
bool is_utf8_boundary(std::string_view s, std::size_t i);

// 13 base32-sortable characters (atproto.com/specs/tid).
std::string tid_of(std::uint64_t micros, unsigned clock_id);
// The PDS's check: 13 characters of base32-sortable, the first in [2-7a-j].
bool is_tid(std::string_view s);

// "bafyrei..."/"bafkrei..." followed by 52 base32 characters derived from `content`: the shape
// of a CIDv1 (dag-cbor/raw, sha-256), not a real one.
std::string fake_cid(std::string_view prefix, std::string_view content);

// header.payload.signature with base64url parts, like the PDS's HS256 session tokens.
std::string make_jwt(const nlohmann::json& header, const nlohmann::json& payload,
                     std::string_view signature);

// "2026-01-01T12:00:00.000Z".
std::string iso_millis(std::chrono::system_clock::time_point t);
// A lexicon datetime: "YYYY-MM-DDTHH:MM:SS[.fff...](Z|±HH:MM)".
bool is_datetime(std::string_view s);
// "at://<authority>/<collection>/<rkey>" or "at://<authority>".
bool is_at_uri(std::string_view s);

}  // namespace cmtool::fakes
