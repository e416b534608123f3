#!/usr/bin/env bash
# Benchmarks `cmtool plan validate` on generated calendars of 1k, 10k and 100k posts against a
# floor measured in the same run (yaml-cpp loading and walking the same files, nothing else),
# then checks the targets of bench/README.md. Builds nothing: run `cmake --build BUILD` first.
#
# usage: bench/bench_validate.sh [--quick] [--no-fail] [--runs K] [--seed S] [BUILD_DIR]
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/bench_validate.sh [--quick] [--no-fail] [--runs K] [--seed S] [BUILD_DIR]
  BUILD_DIR   CMake build folder holding cli/cmtool and bench/cmtool_* (default: build)
  --quick     1k and 10k posts only (the 100k targets are skipped)
  --no-fail   exit 0 even when a target fails (a calendar with findings still fails)
  --runs K    run the floor and validate K times each and keep the median run (default 1)
  --seed S    generator seed (default 1)
Workspaces are cached in BUILD_DIR/bench-data, results written to BUILD_DIR/bench-results.
EOF
}

quick=0 no_fail=0 runs=1 seed=1 build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-fail) no_fail=1 ;;
    --runs) runs=${2:?--runs needs a value}; shift ;;
    --seed) seed=${2:?--seed needs a value}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench_validate: error: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done

die() { echo "bench_validate: error: $*" >&2; exit 1; }
[ -d "$build" ] || die "no build folder $build"
build=$(cd "$build" && pwd)
gen=$build/bench/cmtool_gen_calendar
floor=$build/bench/cmtool_yaml_floor
meter=$build/bench/cmtool_measure
cmtool=$build/cli/cmtool
for exe in "$gen" "$floor" "$meter" "$cmtool"; do
  if [ ! -x "$exe" ]; then
    echo "bench_validate: error: $exe is not built" >&2
    echo "hint: cmake --build $build --target cmtool cmtool_gen_calendar cmtool_yaml_floor cmtool_measure" >&2
    exit 1
  fi
done

sizes=(1000 10000 100000)
[ "$quick" = 1 ] && sizes=(1000 10000)
data=$build/bench-data
results=$build/bench-results
mkdir -p "$data" "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A field of the flat JSON objects cmtool_measure and cmtool_yaml_floor print.
jget() { sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" "$1"; }
# Arithmetic and comparisons on decimals: calc 'expression' prints the value.
calc() { awk "BEGIN { print $1 }"; }
f2() { printf '%.2f' "$1"; }

# Generates the workspace for $1 posts unless the cache already holds it for the same
# parameters and the same generator binary.
workspace() {
  local n=$1 ws=$data/posts-$1-seed-$seed want made
  want="posts=$n seed=$seed gen=$(sha256sum "$gen" | cut -c1-16)"
  if [ ! -f "$ws/.bench-stamp" ] || [ "$(cat "$ws/.bench-stamp")" != "$want" ]; then
    rm -rf "$ws"
    made=$("$gen" --posts "$n" --out "$ws" --seed "$seed") || die "cannot generate $ws"
    echo "generated $made"
    echo "$want" >"$ws/.bench-stamp"
  else
    echo "reusing $ws"
  fi
}

# Prints validate's first findings when the generated calendar is not clean, then fails.
not_clean() {
  local n=$1 out=$2 err=$3 code=$4
  echo "bench_validate: error: plan validate exited $code on the $n-post calendar (expected 0:" \
    "the generated calendar must be clean)" >&2
  if command -v jq >/dev/null && jq -e . "$out" >/dev/null 2>&1; then
    jq '(.findings // .)[:10]' "$out" >&2 || true
  else
    head -c 3000 "$out" >&2 || true
  fi
  head -n 20 "$err" >&2 || true
  echo "hint: rerun by hand: $cmtool -C $data/posts-$n-seed-$seed plan validate" >&2
  exit 1
}

echo "cmtool plan validate benchmark: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo "cmtool: $("$cmtool" --version 2>&1 | head -n 1), seed $seed, median of $runs run(s)"

for n in "${sizes[@]}"; do
  workspace "$n"
done
"$meter" --repeat 200 -- "$cmtool" --version >"$work/startup.json"
startup_ms=$(jget "$work/startup.json" median_ms)
startup_p95=$(jget "$work/startup.json" p95_ms)
[ "$(jget "$work/startup.json" exit)" = 0 ] || die "cmtool --version failed"

printf '\n%8s %6s %7s | %-29s | %-39s | %s\n' "" "" "" "floor (yaml-cpp only)" \
  "plan validate" "vs floor"
printf '%8s %6s %7s | %7s %7s %7s %5s | %7s %7s %7s %8s %6s | %6s %6s\n' posts files MB \
  wall_s cpu_s rss_MB MB/s wall_s cpu_s rss_MB posts/s MB/s wall cpu
declare -A pps wr cr vr vw vc crt
rows=()
for n in "${sizes[@]}"; do
  ws=$data/posts-$n-seed-$seed
  cat "$ws"/calendar/*/*.yaml >/dev/null  # same warm page cache for both
  "$meter" --repeat "$runs" --stdout "$work/floor-$n.out" -- "$floor" "$ws" >"$work/floor-$n.json"
  [ "$(jget "$work/floor-$n.json" exit)" = 0 ] || die "cmtool_yaml_floor failed on $ws"
  # The same floor with cmtool's allocator setting (mallopt M_MXFAST=0, cli/main.cpp), so the
  # report also shows the ratio that owes nothing to that setting.
  GLIBC_TUNABLES=glibc.malloc.mxfast=0 "$meter" --repeat "$runs" --stdout /dev/null -- "$floor" "$ws" \
    >"$work/floor-tuned-$n.json"
  "$meter" --repeat "$runs" --stdout "$work/validate-$n.out" --stderr "$work/validate-$n.err" \
    -- "$cmtool" -C "$ws" -q plan validate --format json >"$work/validate-$n.json"
  code=$(jget "$work/validate-$n.json" exit)
  [ "$code" = 0 ] || not_clean "$n" "$work/validate-$n.out" "$work/validate-$n.err" "$code"

  bytes=$(jget "$work/floor-$n.out" bytes) files=$(jget "$work/floor-$n.out" files)
  fw=$(jget "$work/floor-$n.json" wall_s) fc=$(jget "$work/floor-$n.json" cpu_s)
  fr=$(jget "$work/floor-$n.json" max_rss_mb)
  vw[$n]=$(jget "$work/validate-$n.json" wall_s) vc[$n]=$(jget "$work/validate-$n.json" cpu_s)
  vr[$n]=$(jget "$work/validate-$n.json" max_rss_mb)
  mb=$(calc "$bytes / 1e6")
  pps[$n]=$(calc "$n / ${vw[$n]}") vmbs=$(calc "$mb / ${vw[$n]}") fmbs=$(calc "$mb / $fw")
  wr[$n]=$(calc "${vw[$n]} / $fw") cr[$n]=$(calc "${vc[$n]} / $fc")
  ftc=$(jget "$work/floor-tuned-$n.json" cpu_s)
  crt[$n]=$(calc "${vc[$n]} / $ftc")
  printf '%8d %6d %7.1f | %7.3f %7.3f %7.1f %5.1f | %7.3f %7.3f %7.1f %8.0f %6.1f | %5.2fx %5.2fx\n' \
    "$n" "$files" "$mb" "$fw" "$fc" "$fr" "$fmbs" "${vw[$n]}" "${vc[$n]}" "${vr[$n]}" \
    "${pps[$n]}" "$vmbs" "${wr[$n]}" "${cr[$n]}"
  rows+=("{\"posts\":$n,\"files\":$files,\"bytes\":$bytes,\"floor\":$(cat "$work/floor-$n.json"),\
\"validate\":$(cat "$work/validate-$n.json"),\"posts_per_s\":${pps[$n]},\"mb_per_s\":$vmbs,\
\"floor_mb_per_s\":$fmbs,\"wall_ratio\":${wr[$n]},\"cpu_ratio\":${cr[$n]},\
\"floor_same_allocator\":$(cat "$work/floor-tuned-$n.json"),\"cpu_ratio_same_allocator\":${crt[$n]}}")
done

# target NAME VALUE OP LIMIT TEXT: prints PASS/FAIL and records it.
failed=0 targets=()
target() {
  local ok
  ok=$(calc "($2 $3 $4) ? 1 : 0")
  if [ "$ok" = 1 ]; then
    echo "PASS  $5"
  else
    echo "FAIL  $5"
    failed=1
  fi
  targets+=("{\"name\":\"$1\",\"value\":$2,\"limit\":$4,\"pass\":$([ "$ok" = 1 ] && echo true || echo false)}")
}
echo
if [ "$quick" = 0 ]; then
  target wall_ratio "${wr[100000]}" '<=' 0.6 \
    "wall time at 100k: $(f2 "${vw[100000]}") s = $(f2 "${wr[100000]}")x the floor's (target <= 0.6x)"
  target cpu_ratio "${cr[100000]}" '<=' 1.15 \
    "CPU time at 100k: $(f2 "${vc[100000]}") s = $(f2 "${cr[100000]}")x the floor's (target <= 1.15x)"
  echo "      (CPU against the floor with the same allocator setting: $(f2 "${crt[100000]}")x; see bench/README.md)"
  target peak_rss_mb "${vr[100000]}" '<' 300 "peak memory at 100k: ${vr[100000]} MB (target < 300 MB)"
  lin=$(calc "${pps[100000]} / ${pps[10000]}")
  target linear_growth "$lin" '>=' 0.7 \
    "linear growth: posts/s at 100k = $(f2 "$lin")x posts/s at 10k (target >= 0.7x)"
else
  echo "skip  the 100k targets (--quick)"
fi
target startup_ms "$startup_ms" '<' 5 \
  "startup: cmtool --version median $(f2 "$startup_ms") ms, p95 $(f2 "$startup_p95") ms (target: median < 5 ms)"

out=$results/validate-$(date +%Y%m%d-%H%M%S).json
{
  printf '{"date":"%s","cores":%s,"seed":%s,"runs":%s,"quick":%s,' "$(date -Iseconds)" \
    "$(nproc)" "$seed" "$runs" "$([ "$quick" = 1 ] && echo true || echo false)"
  printf '"startup":%s,"sizes":[%s],"targets":[%s],"pass":%s}\n' "$(cat "$work/startup.json")" \
    "$(IFS=,; echo "${rows[*]}")" "$(IFS=,; echo "${targets[*]}")" \
    "$([ "$failed" = 0 ] && echo true || echo false)"
} >"$out"
echo "results: $out"
if [ "$failed" = 1 ] && [ "$no_fail" = 0 ]; then
  exit 1
fi
