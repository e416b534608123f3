#include "init_templates.hpp"

#include "cmtool/util/strings.hpp"

namespace cmtool::calendar::templates {

namespace {

// One comment line per key; the full reference is docs/calendar.md.
constexpr std::string_view k_workspace =
    R"(# cmtool workspace: accounts, time zone and editorial line.
# Reference: docs/calendar.md, or `cmtool help workspace` and `cmtool help calendar`.
# This file is committed: credentials (tokens, passwords, webhook URLs) never go here.

# Format version of this file; only 1 exists.
version: 1
# The brand's name, shown in reports.
brand: @BRAND@
# IANA time zone of calendar times written without an offset: Europe/Paris, America/Montreal.
timezone: @TIMEZONE@
# Language of messages and reports: fr or en.
lang: @LANG@
# Calendar files, relative to this folder (`cmtool plan new` writes calendar/YYYY/MM.yaml).
calendar: ["calendar/**/*.yaml"]
# Two posts on one channel closer than this get a `spacing` warning (90m, 2h, 1d).
min_spacing: 1h

# The accounts posts publish to: a post's `channels` lists their names. Uncomment the ones you
# use and put in your own ids; `cmtool help workspace` lists each platform's keys.
accounts:
  # The example post's channel: `manual` posts are rendered to a folder and confirmed by hand.
  # Remove it once your own accounts are set up.
  example: {platform: manual}
  # masto:    {platform: mastodon, instance: https://mastodon.social}
  # bsky:     {platform: bluesky, handle: yourbrand.bsky.social}
  # linkedin: {platform: linkedin, author: "urn:li:organization:123456"}
  # x:        {platform: x}
  # insta:    {platform: instagram, user_id: "17841400000000000"}
  # fb:       {platform: facebook, page_id: "1234567890"}
  # threads:  {platform: threads, user_id: "1234567890"}
  # tg:       {platform: telegram, chat_id: "@yourchannel"}
  # discord:  {platform: discord}

# The editorial line: a post's `category` must be one of these; target = share of posts.
categories:
  inspiration: {target: 40%}
  behind-the-scenes: {target: 30%}
  promo: {target: 20%}

# Public URL where media/ is served; Instagram and Threads fetch media from it.
# media_base_url: https://example.com/media
# UTM parameters added to every published link (utm_source is the platform's name).
# utm: {medium: social}
)";

constexpr std::string_view k_calendar =
    R"(# Posts, one file per month: `cmtool plan new` appends here.
# Keys and rules: `cmtool help calendar` or docs/calendar.md. Check with `cmtool plan validate`.
posts:
  - id: @ID@
    at: @AT@
    channels: [example]
    # draft | ready | cancelled: only ready posts are published.
    status: draft
    category: inspiration
    text: |
      @TEXT@
)";

constexpr std::string_view k_text_en =
    "Hello! This is an example post: edit it, or delete it and add yours with `cmtool plan new`.";
constexpr std::string_view k_text_fr =
    "Bonjour ! Ceci est un exemple de publication : modifiez-la, ou supprimez-la et ajoutez les "
    "vôtres avec `cmtool plan new`.";

}  // namespace

std::string workspace_yaml(const std::string& brand, const std::string& timezone,
                           const std::string& lang) {
    std::string out(k_workspace);
    out = util::replace_all(std::move(out), "@TIMEZONE@", timezone);
    out = util::replace_all(std::move(out), "@LANG@", lang);
    return util::replace_all(std::move(out), "@BRAND@", brand);  // last: it is free text
}

std::string example_calendar(const std::string& id, const std::string& at,
                             const std::string& lang) {
    std::string out(k_calendar);
    out = util::replace_all(std::move(out), "@ID@", id);
    out = util::replace_all(std::move(out), "@AT@", at);
    return util::replace_all(std::move(out), "@TEXT@", lang == "fr" ? k_text_fr : k_text_en);
}

}  // namespace cmtool::calendar::templates
