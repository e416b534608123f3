#!/usr/bin/env bash
# bench_report: `cmtool report --month` over a store of 1,000,000 post snapshots (2,000 posts ×
# 500 snapshots, plus hourly follower snapshots of two accounts), against a floor measured in
# the same run: the report's core aggregation (latest snapshot per post at the period end,
# engagements and followers at publish per account) as one plain SQL query in the sqlite3
# shell, on the same file. Prints both wall times (median of --runs) and their ratio; exits 1
# when the report takes 1 s or more. See bench/README.md.
#   bench/bench_report.sh BUILD [--posts N] [--snapshots M] [--runs K]
set -euo pipefail
build=${1:?usage: bench_report.sh BUILD [--posts N] [--snapshots M] [--runs K]}
shift
posts=2000 snaps=500 runs=5
while [ $# -gt 0 ]; do
  case $1 in
    --posts) posts=$2; shift 2 ;;
    --snapshots) snaps=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "bench_report: unknown option $1" >&2; exit 2 ;;
  esac
done
cmtool=$build/cli/cmtool
command -v sqlite3 >/dev/null || { echo "bench_report: needs the sqlite3 shell (apt install sqlite3)" >&2; exit 2; }
[ -x "$cmtool" ] || { echo "bench_report: build $cmtool first" >&2; exit 2; }

ws=$build/bench-data/report-$posts-$snaps
db=$ws/.cmtool/state.db
now=2026-12-05T12:00:00+01:00
# Posts from 2026-09-01 to 2026-11-30 (Paris), evenly spread; the month reported is November.
first=1788213600 span=7862400 from=1793487600 to=1796079600
if [ ! -f "$ws/.done" ]; then
  rm -rf "$ws"
  mkdir -p "$ws/calendar/2026"
  cat >"$ws/cmtool.yaml" <<'YAML'
version: 1
brand: Bench
timezone: Europe/Paris
lang: fr
accounts:
  masto: {platform: mastodon, instance: https://mastodon.example}
  bsky: {platform: bluesky, service: https://bsky.example, handle: bench.bsky.example}
categories:
  inspiration: {target: 50%}
  promo: {target: 50%}
YAML
  printf 'posts: []\n' >"$ws/calendar/2026/11.yaml"
  "$cmtool" -C "$ws" -q --now "$now" report --format json >/dev/null  # creates the schema
  echo "bench_report: generating $posts posts × $snaps snapshots in $db" >&2
  t0=$(date +%s%N)
  sqlite3 "$db" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO metric_sources (id, platform, mapping) VALUES
  (1, 'mastodon', 'likes=favourites_count;reposts=reblogs_count;replies=replies_count'),
  (2, 'bluesky', 'likes=likeCount;reposts=repostCount;replies=replyCount;quotes=quoteCount'),
  (3, 'mastodon', 'followers=followers_count'), (4, 'bluesky', 'followers=followersCount');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $posts)
INSERT INTO tracked_posts (id, account, platform, remote_id, url, published_at, excerpt, first_seen)
SELECT i, iif(i % 2, 'bsky', 'masto'), iif(i % 2, 'bluesky', 'mastodon'), 'r' || i,
       'https://social.example/p/' || i, $first + i * ($span / $posts), 'Post ' || i,
       $first + i * ($span / $posts)
FROM n;
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < $snaps - 1)
INSERT INTO post_snapshots (post, taken_at, likes, reposts, replies, quotes, bookmarks, views, source)
SELECT t.id, t.published_at + 600 + j * 3600, j / 5 + t.id % 7, j / 20, j / 30,
       iif(t.platform = 'bluesky', j / 40, NULL), NULL, NULL, iif(t.platform = 'bluesky', 2, 1)
FROM tracked_posts t, k;
WITH RECURSIVE h(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM h WHERE x < ($span + 40 * 86400) / 3600)
INSERT INTO account_snapshots (account, platform, taken_at, followers, source)
SELECT a.account, a.platform, $first + x * 3600, a.base + x / 3, a.source
FROM h, (SELECT 'masto' AS account, 'mastodon' AS platform, 5000 AS base, 3 AS source
         UNION ALL SELECT 'bsky', 'bluesky', 1200, 4) a;
COMMIT;
ANALYZE;
SQL
  t1=$(date +%s%N)
  echo "bench_report: generated in $(( (t1 - t0) / 1000000 )) ms" >&2
  touch "$ws/.done"
fi
count=$(sqlite3 "$db" "SELECT count(*) FROM post_snapshots")
cut=$to

floor_sql="SELECT t.account, count(*),
  sum(coalesce(s.likes, 0) + coalesce(s.reposts, 0) + coalesce(s.replies, 0)
      + coalesce(s.quotes, 0) + coalesce(s.bookmarks, 0)),
  sum((SELECT a.followers FROM account_snapshots a WHERE a.account = t.account
       AND a.taken_at <= t.published_at ORDER BY a.taken_at DESC LIMIT 1))
FROM tracked_posts t
JOIN post_snapshots s ON s.rowid = (SELECT p.rowid FROM post_snapshots p
  WHERE p.post = t.id AND p.taken_at <= $cut ORDER BY p.taken_at DESC LIMIT 1)
WHERE t.published_at >= $from AND t.published_at < $to GROUP BY t.account;"

# Median wall time in ms of K runs of a command.
median_ms() {
  local times=() t0 t1
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] / 1000}'
}
sqlite3 "$db" "$floor_sql" >/dev/null  # warm the page cache for both
floor=$(median_ms sqlite3 "$db" "$floor_sql")
report=$(median_ms "$cmtool" -C "$ws" -q --now "$now" report --month 2026-11 --format json)
echo "bench_report: floor figures: $(sqlite3 "$db" "$floor_sql" | tr '\n' ' ')"
echo "bench_report: report totals: $("$cmtool" -C "$ws" -q --now "$now" report --month 2026-11 --format json | python3 -c 'import json,sys; t=json.load(sys.stdin)["totals"]; print(t["posts"], t["engagements"])' 2>/dev/null || echo '?')"
ratio=$(awk -v a="$report" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')
printf 'bench_report: %s post snapshots, %s runs each (median wall)\n' "$count" "$runs"
printf '  floor  (one SQL query, sqlite3 shell)      %8s ms\n' "$floor"
printf '  report (cmtool report --month --format json) %6s ms\n' "$report"
printf '  ratio report / floor                        %8s\n' "$ratio"
awk -v a="$report" 'BEGIN {exit !(a < 1000)}' || { echo "bench_report: target missed: report >= 1 s" >&2; exit 1; }
echo "bench_report: target met: report < 1 s"
