#!/usr/bin/env bash
# Quick start #1: installs dependencies, builds, and runs the main job on the bundled example
# workspace (examples/), with no account and no network.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cmtool=build/cli/cmtool
run() { printf '\n\033[1m$ cmtool %s\033[0m\n' "$*"; "$cmtool" -C examples "$@"; }
run plan validate
run plan list --from 2026-11-23 --to 2026-11-29
run plan stats --month 2026-12

# The main job: publish the calendar, here to a local sandbox. One fake per network
# (tests/fakes/, built by scripts/build.sh) stands in for every account of the example workspace
# on 127.0.0.1 with sandbox credentials; the workspace is a temporary copy, so examples/ stays
# clean and the demo leaves no ledger behind.
sandbox=$(mktemp -d)
fake_pids=()
stop_fakes() {
  for pid in "${fake_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$sandbox"
}
trap stop_fakes EXIT
start_fake() {  # NAME FLAGS...: runs build/tests/fakes/NAME on a free port, in the background
  local name=$1; shift
  "build/tests/fakes/$name" --port 0 --max-lifetime 300 "$@" >"$sandbox/$name.out" 2>"$sandbox/$name.log" &
  fake_pids+=("$!")
}
port_of() {  # NAME: the port the fake printed (PORT=<n>), waiting at most 5 s
  for _ in $(seq 100); do
    if grep -q '^PORT=' "$sandbox/$1.out" 2>/dev/null; then sed -n 's/^PORT=//p' "$sandbox/$1.out"; return; fi
    sleep 0.05
  done
  echo "demo: $1 did not start: $(cat "$sandbox/$1.log")" >&2
  return 1
}
start_fake fake_mastodon --token atelier=sandbox-mastodon-token
start_fake fake_bluesky --account atelier.bsky.social:sandbox-app-password
start_fake fake_x --user atelier=sandbox-x-token
start_fake fake_linkedin --token sandbox-linkedin-token
start_fake fake_meta --token sandbox-meta-token
start_fake fake_messaging --telegram-token 123456:sandbox-telegram-token --discord-webhook 42/sandbox-discord-token
masto_port=$(port_of fake_mastodon)
bsky_port=$(port_of fake_bluesky)
meta="http://127.0.0.1:$(port_of fake_meta)"
messaging="http://127.0.0.1:$(port_of fake_messaging)"
cp -r examples "$sandbox/workspace"
rm -rf "$sandbox/workspace/.cmtool"
# Each account's `api` is replaced by CMTOOL_<ACCOUNT>_API, its secret comes from the
# environment as it would in cron (docs/commands.md, `auth`).
export CMTOOL_MASTO_API="http://127.0.0.1:$masto_port" CMTOOL_MASTO_TOKEN=sandbox-mastodon-token
export CMTOOL_BSKY_API="http://127.0.0.1:$bsky_port" CMTOOL_BSKY_APP_PASSWORD=sandbox-app-password
export CMTOOL_X_API="http://127.0.0.1:$(port_of fake_x)" CMTOOL_X_TOKEN=sandbox-x-token
export CMTOOL_LINKEDIN_API="http://127.0.0.1:$(port_of fake_linkedin)" CMTOOL_LINKEDIN_TOKEN=sandbox-linkedin-token
export CMTOOL_INSTA_API="$meta" CMTOOL_INSTA_TOKEN=sandbox-meta-token
export CMTOOL_FB_API="$meta" CMTOOL_FB_TOKEN=sandbox-meta-token
export CMTOOL_THREADS_API="$meta" CMTOOL_THREADS_TOKEN=sandbox-meta-token
export CMTOOL_TG_API="$messaging" CMTOOL_TG_TOKEN=123456:sandbox-telegram-token
export CMTOOL_DISCORD_WEBHOOK_URL="$messaging/api/v10/webhooks/42/sandbox-discord-token"
export XDG_CONFIG_HOME="$sandbox/config"  # the sandbox's Bluesky session is cached here, not in ~
publish() { printf '\n\033[1m$ cmtool publish %s\033[0m\n' "$*"; "$cmtool" -C "$sandbox/workspace" publish "$@"; }
cat <<INFO

Publishing to a local sandbox: one fake server per network on 127.0.0.1 (Mastodon, Bluesky,
X, LinkedIn, Meta for Instagram/Facebook/Threads, Telegram and Discord), reached through
CMTOOL_<ACCOUNT>_API with sandbox credentials in the environment. No account, no network.
It is Wednesday 25 November, 09:05: the posts of Monday and Tuesday are later than max_late
(2h), so --catch-up sends them too; Wednesday's is a thread of four parts, each a reply to the
one before (on Mastodon, Bluesky and Threads; Instagram takes the first part's image). The
URLs have each network's public form; the sandbox's posts are not there.
INFO
now=2026-11-25T09:05:00+01:00
publish --now "$now" --catch-up
publish --now "$now" --catch-up   # again: nothing twice
publish status --now "$now" --from 2026-11-23 --to 2026-11-26

# Then the numbers: pull-metrics reads each post's counters and each account's followers into
# the local history. The sandbox's people react in between (set through the fake's admin API,
# with bash's /dev/tcp: no curl needed), and a second pull keeps both snapshots.
admin_post() {  # PORT PATH JSON
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$2" "${#3}" "$3" >&3
  cat <&3 >/dev/null
  exec 3<&-
}
pull() { printf '\n\033[1m$ cmtool %s\033[0m\n' "$*"; "$cmtool" -C "$sandbox/workspace" "$@"; }
admin_post "$masto_port" /__admin/account '{"username":"atelier","followers_count":1250,"following_count":87}'
admin_post "$bsky_port" /__admin/profile '{"actor":"atelier.bsky.social","followers":412,"follows":55}'
pull pull-metrics --now 2026-11-25T12:00:00+01:00
admin_post "$masto_port" /__admin/account '{"username":"atelier","followers_count":1284,"following_count":87}'
admin_post "$bsky_port" /__admin/profile '{"actor":"atelier.bsky.social","followers":419,"follows":55}'
admin_post "$masto_port" /__admin/engagement '{"id":"113000000000000001","favourites_count":42,"reblogs_count":9,"replies_count":5}'
admin_post "$masto_port" /__admin/engagement '{"id":"113000000000000002","favourites_count":17,"reblogs_count":2,"replies_count":1}'
pull pull-metrics --now 2026-11-25T18:00:00+01:00
pull metrics export --format csv --account masto

# And the client's report for the week, from that history: in the terminal (French, as the
# workspace says `lang: fr`), and as one self-contained HTML file to open in a browser.
pull report --week 2026-W48 --now 2026-11-25T18:00:00+01:00
pull report --week 2026-W48 --now 2026-11-25T18:00:00+01:00 -o "$PWD/build/demo-report.html"
echo "open build/demo-report.html in a browser to see the HTML report"

# Listening: the workspace watches what is said about the brand (docs/watch.md). Here its source
# is a file of sample mentions (live sources are Mastodon and Bluesky mentions and searches, X
# recent search, Threads keyword search, RSS/Atom feeds). A burst of complaints about broken
# pendants in the last hour trips the spike, negative-share and keyword rules: the alerts are
# printed as JSON lines (the `console` channel; Slack, Discord and e-mail are the others) and the
# exit status is 3, "act now". Then the day's digest, in French.
pull watch --once --now 2026-11-25T18:00:00+01:00 || [ $? -eq 3 ]
pull watch digest --since 24h --now 2026-11-25T18:00:00+01:00
