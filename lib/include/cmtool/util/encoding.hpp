#pragma once
// Byte encodings and the one hash cmtool needs: Base64 (RFC 4648 §4, padded: MIME headers),
// Base64url (§5, unpadded: JWTs, PKCE), HTML escaping, and SHA-256 (FIPS 180-4: the PKCE S256
// challenge).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmtool::util {

// `bytes` in Base64, padded with '='.
std::string base64(std::string_view bytes);
// `bytes` in Base64url, without '=' padding.
std::string base64url(std::string_view bytes);
// Accepts padded or unpadded Base64url (and the '+' '/' of plain Base64); nullopt on any other
// character or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

// Text for HTML content and attribute values: & < > " ' escaped (the HTML report, the page
// `auth login` shows in the browser).
std::string html_escape(std::string_view text);

using Sha256Digest = std::array<std::uint8_t, 32>;
// The SHA-256 digest of `bytes`.
Sha256Digest sha256(std::string_view bytes);
// A digest as 64 lower-case hexadecimal digits.
std::string to_hex(const Sha256Digest& digest);

}  // namespace cmtool::util
