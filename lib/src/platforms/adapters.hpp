#pragma once
// One factory per network, called by make_adapter (adapter.cpp), and what they share.
#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cmtool/platforms/adapter.hpp"
#include "cmtool/platforms/credentials.hpp"

namespace cmtool::platforms {

Result<std::unique_ptr<Adapter>> make_mastodon_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_bluesky_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_telegram_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_discord_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_linkedin_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_facebook_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_instagram_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_threads_adapter(const AdapterContext& ctx);
Result<std::unique_ptr<Adapter>> make_x_adapter(const AdapterContext& ctx);

// Whether a publish step that got no answer may have published the post (the post or status
// POST, a container's creation, a webhook message) or certainly did not (an upload, a poll).
enum class MayHavePublished { no, yes };

// What a request that got no HTTP answer (transport error `e`) means for a publish step, the
// one rule every adapter's failure() applies: a network error from before the request left is
// transient; one that may have come after, or an interrupted wait, is unknown when the step may
// have published (the adapter looks the post up before any retry), transient otherwise;
// rate_limited stays rate_limited (the caller adds retry_at from its own budget); config, auth
// and the rest are permanent, with the error's hint.
struct TransportVerdict {
    Outcome outcome = Outcome::permanent_failure;
    std::string hint;
};
TransportVerdict transport_verdict(const Error& e, MayHavePublished may,
                                   std::string_view unknown_hint,
                                   std::string_view interrupted_hint = {});

// `text` with every secret `credentials` knows, and each of `extra` (the adapter's own token,
// webhook secret...; empty ones ignored), masked: what adapters' messages and hints pass through.
std::string redact_secrets(const CredentialStore& credentials, std::string text,
                           std::initializer_list<std::string_view> extra);

// The account's `timeout_ms` setting (nullopt when absent: the transport's default); fails
// (config) naming the `network` account when it is not a positive number of milliseconds.
Result<std::optional<std::chrono::milliseconds>> timeout_setting(const calendar::Account& account,
                                                                 std::string_view network);

}  // namespace cmtool::platforms
