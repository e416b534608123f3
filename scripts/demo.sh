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
