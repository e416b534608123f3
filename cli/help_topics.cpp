// Terminal versions of docs/calendar.md's reference, for `cmtool help TOPIC` and cmtool(1).
// Keep them in step with the docs and with the key tables in lib/src/calendar.
#include "help_topics.hpp"

namespace cmtool::cli {

namespace {

constexpr std::string_view k_calendar = R"(A workspace is a folder kept in git:
  cmtool.yaml             accounts, time zone, editorial line (help workspace)
  calendar/2026/12.yaml   posts, in any files the `calendar:` globs match
  media/                  images and videos the posts attach
  .cmtool/                local state (publish ledger, metrics), not committed

A calendar file is a mapping with one key, `posts`, a list of posts:

  posts:
    - id: bf-teaser
      at: 2026-11-27 09:00
      channels: [masto, bsky]
      category: promo
      text: |
        Vendredi noir, lumière douce : -20 % sur nos lampes demain.
      media:
        - {file: media/teaser.jpg, alt: "Lampe en laiton allumée"}

Post keys (id, at and channels are required):
  id        unique in the workspace: letters, digits, - _ . (start with a
            letter or digit), at most 64 characters; never reuse a published id
  at        when to publish (see Times)
  channels  account names from cmtool.yaml, always a list: [masto]
  status    draft, ready or cancelled; default ready; only ready is published
  category  one of the workspace's `categories`
  campaign  a label for reports; also the default utm_campaign
  text      the text; a `|` block for several lines; may be left out when the
            post has media
  link      URL appended to the text when published (with UTM parameters when
            the workspace has `utm:`)
  media     list of {file, alt}: files relative to the workspace; alt describes
            the image for people who cannot see it
  thread    list of follow-up posts, published as replies in order
  variants  channel: {text, thread, media, link}, per-channel overrides
  repeat    {every, until, count}: every day, week, month, "N days" or
            "N weeks"; until a date (inclusive) and/or count >= 1; occurrences
            are posts of their own with ids <id>@<date>
  notes     internal notes, never published

Times:
  2026-11-27 09:00            wall-clock time in the workspace `timezone`
  2026-11-27T09:00:00+01:00   that exact instant (or ...Z for UTC)
  A time that a daylight-saving change skips (2026-03-29 02:30 in Europe/Paris)
  is an error; one that happens twice (2026-10-25 02:30) is a warning and the
  earlier instant is used: write an offset to choose.

Length limits, counted on the text as sent (variant, link and UTM included),
and on each thread item:
  mastodon   500 graphemes, every URL 23     bluesky  300 graphemes, 3000 bytes
  x          280 weighted: URL 23, emoji 2   linkedin 3000 UTF-16 units
  threads    500 graphemes                   instagram 2200, at most 30 hashtags
  facebook   63206 graphemes                 discord  2000 graphemes
  telegram   4096 UTF-16 units, 1024 when the post has media

An unknown key or a key written twice is an error. `cmtool plan validate`
checks everything; `cmtool help rules` lists what it reports. The reference,
with every rule and example: docs/calendar.md.
)";

constexpr std::string_view k_workspace =
    R"(cmtool.yaml sits at the root of the workspace; cmtool looks for it in the
current folder, then in each parent folder (-C DIR starts elsewhere).
`cmtool init` writes a commented one.

Keys (version and timezone are required):
  version         1, the only format version
  brand           the brand's name, used in reports
  timezone        IANA zone of calendar times without offset: Europe/Paris
  calendar        globs of the calendar files; default ["calendar/**/*.yaml"]
  accounts        name: account (below); posts list these names in `channels`
  categories      name: {target: 40%}, the editorial line; target is optional
  lang            fr or en (default): language of messages and reports
  min_spacing     duration, default 1h: closer posts on one channel warn
  max_late        duration, default 2h: a post later than this is missed
  metrics         {lookback: 30d}: how far back metrics are collected
  state_dir       local state folder, default .cmtool: keep it out of git
  media_base_url  https URL where media/ is served (Instagram, Threads)
  utm             {source, medium, campaign}: UTM parameters added to links
  watch           queries, sources, rules and channels of `cmtool watch`
                  (docs/watch.md); webhook URLs from CMTOOL_<CHANNEL>_WEBHOOK_URL
Durations: 90m, 2h, 1d; a bare number is minutes.

Accounts: `platform` and that platform's keys (* = required):
  mastodon   instance*, max_characters, visibility, language
  bluesky    handle*, service (default https://bsky.social), language
  linkedin   author* (urn:li:organization:<id> or urn:li:person:<id>), version
  x          handle
  instagram  user_id*, quoted; media_base_url, graph_version, client_id
  facebook   page_id*, quoted; graph_version, client_id
  threads    user_id*, quoted; media_base_url, graph_version, client_id
  telegram   chat_id*: @channel, or a numeric id, quoted; timeout_ms
             (bot token: CMTOOL_<ACCOUNT>_TOKEN)
  discord    username, thread_id, guild_id (for message links), timeout_ms
             (webhook URL: CMTOOL_<ACCOUNT>_WEBHOOK_URL)
  manual     folder, network: posts are rendered to a folder at due time and
             recorded with `cmtool publish confirm ID --url URL`
Every account also takes `api` (a base URL for sandboxes and test servers) and
`label`. Quote numeric ids: YAML would read them as numbers and round them.
Credentials (tokens, passwords, webhook URLs) never go in cmtool.yaml.

  accounts:
    masto: {platform: mastodon, instance: https://mastodon.social}
    bsky:  {platform: bluesky, handle: atelier.bsky.social}
    insta: {platform: instagram, user_id: "17841400000000000"}
)";

constexpr std::string_view k_rules =
    R"(Each finding has a severity, a rule code, a file:line:col and a message.
Errors make `plan validate` fail (exit 1) and keep a post from being published;
warnings do not. Codes are stable: scripts and CI may match on them.

  Code                     Severity  Triggered by
  yaml-syntax              error     the file is not valid YAML
  io                       error     a calendar file cannot be read
  type                     error     a value of the wrong kind (channels: masto)
  required                 error     a missing key (id, at, channels, platform)
  unknown-key              error     a key cmtool does not know (a typo)
  duplicate-key            error     the same key twice in one mapping
  duplicate-id             error     two posts with the same id
  invalid-id               error     an id with a space, @ or another character
  invalid-value            error     a value outside its set (status: publish)
  unknown-channel          error     a channel that is not an account
  unknown-category         error     a category that is not declared
  unknown-timezone         error     timezone is not an IANA zone
  invalid-date             error     at or until is not a valid date and time
  nonexistent-time         error     a time skipped by a daylight-saving change
  ambiguous-time           warning   a time that happens twice; earlier is used
  invalid-repeat           error     a repeat without until/count, or malformed
  text-empty               error     neither text nor media
  text-too-long            error     over the channel's limit, as sent
  hashtag-limit            error     more than 30 hashtags on Instagram
  media-missing            error     a media file that does not exist
  media-outside-workspace  error     a media file outside the workspace
  media-type               error     a type the platform refuses (a PDF, a PNG
                                     on Instagram); a warning when only the
                                     file's extension is wrong
  media-too-large          error     a file over the platform's size limit
  media-count              error     more files than the platform takes
  media-required           error     an Instagram post without image or video
  media-base-url           error     media for Instagram/Threads without media_base_url
  thread-unsupported       warning   a thread on a platform without threads
  alt-missing              warning   a media file without alt text
  duplicate-channel        warning   a channel listed twice in one post
  variant-unused           warning   a variant for a channel the post omits
  spacing                  warning   two posts on a channel closer than
                                     min_spacing
  duplicate-text           warning   the same text twice on one channel

docs/calendar.md, section 7, says where each finding points and how to fix it.
)";

constexpr std::string_view k_exit_codes =
    R"(  0    success; for `plan validate`: no errors (warnings allowed)
  1    the command failed: an invalid calendar or post, a failed delivery
  2    usage or configuration error: unknown flag, argument or help topic, a
       bad value, no cmtool.yaml found, cmtool.yaml unreadable or invalid
  3    `watch --once`: an alert fired
  130  interrupted (Ctrl-C)

Per command:
  plan validate  1 when there is an error; with --strict, on warnings too
  plan new       1 when the post breaks a rule (nothing is written); 2 for a
                 bad --at, or a --file that is not a calendar file
  init           2 when the folder already holds cmtool.yaml (nothing changes)
  auth login     1 when the platform refuses the secret (nothing is saved)
  auth status    1 when an account cmtool publishes to is not ok; 2 when the
                 credentials file is unsafe or corrupt
  doctor         1 when a check is an error (warnings alone: 0); 2 when
                 cmtool.yaml is missing or invalid
  publish        1 when a delivery failed, was missed or deferred; 2 for
                 missing credentials (a post rendered for a manual channel is 0)
  publish confirm
                 1 for an unknown id, or a URL other than the one already
                 confirmed; 2 for a URL that is not http(s)
  pull-metrics   0 even when a rate limit leaves posts for the next run; 1
                 when an account or post failed or another run holds the
                 lock; 2 for missing credentials or an unknown --account
  report         0 also for a period without metrics
  watch --once   3 when a new alert fired (updates of an alert in cooldown do
                 not count), else 1 when a source failed or an alert could
                 not be delivered, 0 otherwise; 2 for
                 configuration (no watch queries, missing credentials)
  watch --follow 130 after Ctrl-C or SIGTERM, once the current step is saved
  watch digest   1 when a --send channel failed
)";

constexpr HelpTopic k_topics[] = {
    {"calendar", "the calendar format: post keys, times, length limits", "CALENDAR FORMAT",
     k_calendar},
    {"workspace", "cmtool.yaml: its keys and each platform's account keys", "WORKSPACE",
     k_workspace},
    {"rules", "the rule codes `plan validate` reports, with their severity", "RULES", k_rules},
    {"exit-codes", "what each exit status means, per command", "EXIT STATUS", k_exit_codes},
};

}  // namespace

std::span<const HelpTopic> help_topics() {
    return k_topics;
}

}  // namespace cmtool::cli
