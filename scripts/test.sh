#!/usr/bin/env bash
# Quick start #2: installs dependencies, builds with warnings as errors, checks formatting and
# runs the whole test suite (unit, CLI and integration tests against servers on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/build.sh
bash scripts/check-format.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
