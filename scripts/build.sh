#!/usr/bin/env bash
# Configures and builds cmtool into build/ (warnings as errors). Usage: scripts/build.sh [cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMTOOL_WERROR=ON "$@" >/dev/null
else
  cmake -S . -B build "$@" >/dev/null
fi
cmake --build build -j"$(nproc)"
