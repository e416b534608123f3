#pragma once
// Redaction of secrets before anything reaches a log, an error message or a report.
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/net/http.hpp"
#include "cmtool/util/result.hpp"

namespace cmtool::net {

// The mask that replaces every redacted value.
inline constexpr std::string_view k_redacted = "***";

// `url` with userinfo ("user:pass@") masked, the values of secret-looking query and fragment
// parameters (access_token, token, password, key, secret, client_secret, code, refresh_token,
// anything ending in _token or containing "secret"/"password"...) masked, and the secret path
// segments of webhook URLs (Discord, Slack, Telegram bot) masked. Never fails.
std::string redact_url(std::string_view url);

// True for header names whose values are credentials (Authorization, Cookie, X-Api-Key,
// anything containing "token", "secret", "api-key", "password", "signature").
bool is_secret_header(std::string_view name);

// A copy of `headers` with the value of every secret header replaced by "***".
HeaderList redact_headers(const HeaderList& headers);

// `text` with every occurrence of each non-empty secret (and of its percent-encoded form)
// replaced by "***"; longer secrets are replaced first.
std::string redact_text(std::string text, const std::vector<std::string>& secrets);

// `e` with redact_text applied to its message and hint.
Error redact_error(Error e, const std::vector<std::string>& secrets);

}  // namespace cmtool::net
