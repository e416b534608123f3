#!/usr/bin/env bash
# Quick start #2: installs dependencies, builds with warnings as errors, checks formatting and
# runs the whole test suite: unit, CLI and integration tests against fakes on 127.0.0.1, then
# the live tests against a real local Bluesky network (reference PDS + AppView from npm,
# ../shared/servers/bluesky; about 2.5 minutes to install the first time).
# CMTOOL_SKIP_BLUESKY=1 skips the live network (for a quick local run; CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
bash scripts/install-deps.sh --test
bash scripts/build.sh
bash scripts/check-format.sh
cd build
# Tests never leave 127.0.0.1: where the kernel allows it (root on a fresh Debian), the suite runs
# in a network namespace of its own whose only interface is loopback, so a test that tried to
# reach anything else would fail instead of quietly using the internet.
if unshare -n ip link set lo up 2>/dev/null; then
  unshare -n sh -c 'ip link set lo up && exec ctest --output-on-failure -j"$(nproc)" --timeout 600 -E bluesky_live'
else
  echo "test.sh: no network namespace here; running the suite on the host network" >&2
  ctest --output-on-failure -j"$(nproc)" --timeout 600 -E bluesky_live
fi

bluesky=${CMTOOL_BLUESKY_DIR:-$top/../shared/servers/bluesky}
if [ "${CMTOOL_SKIP_BLUESKY:-0}" = 1 ]; then
  echo "test.sh: live Bluesky tests skipped (CMTOOL_SKIP_BLUESKY=1)" >&2
  exit 0
fi
if [ ! -x "$bluesky/start.sh" ] && [ ! -f "$bluesky/start.sh" ]; then
  echo "test.sh: $bluesky/start.sh not found: cannot run the live Bluesky tests" >&2
  exit 1
fi
export BLUESKY_BUILD_DIR="$top/build"
trap 'bash "$bluesky/stop.sh" >/dev/null 2>&1 || true' EXIT
env_file=$(bash "$bluesky/start.sh" | tail -n 1)
CMTOOL_BSKY_ENV="$env_file" ctest --output-on-failure --timeout 600 -R bluesky_live
