#!/usr/bin/env bash
# Installs cmtool's build and test dependencies from Debian 12's packages (run as root).
# Idempotent: apt-get skips what is already installed.
set -euo pipefail
need_root() { [ "$(id -u)" -eq 0 ] || { echo "install-deps: run as root (apt-get)" >&2; exit 2; }; }
pkgs=(
  build-essential cmake ninja-build pkg-config git clang-format tzdata ca-certificates
  libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libyaml-cpp-dev doctest-dev
  libhowardhinnant-date-dev libutf8proc-dev libsqlite3-dev sqlite3 libcpp-httplib-dev libgit2-dev
)
if [ "${1:-}" = "--test" ]; then
  # Integration and report tests: a headless browser, python3 for HTML parsing, node for Bluesky,
  # iproute2 to bring up loopback in the suite's own network namespace (scripts/test.sh).
  pkgs+=(python3 chromium iproute2)
  command -v node >/dev/null || pkgs+=(nodejs npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed" >&2
  exit 0
fi
need_root
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: installed ${missing[*]}" >&2
