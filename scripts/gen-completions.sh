#!/usr/bin/env bash
# Regenerates the shell completion scripts from the binary's own command tree. Run it after
# adding or changing a command or a flag and commit completions/: a test fails until they match.
#   scripts/gen-completions.sh [CMTOOL [OUTDIR]]   (default: build/cli/cmtool, completions/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/cli/cmtool}"
out="${2:-$root/completions}"
mkdir -p "$out"
for shell in bash zsh fish; do
  case $shell in
    bash) file=cmtool.bash ;;
    zsh) file=_cmtool ;;
    fish) file=cmtool.fish ;;
  esac
  "$bin" completion "$shell" >"$out/$file.tmp"
  mv "$out/$file.tmp" "$out/$file"
done
echo "completions: wrote $out/{cmtool.bash,_cmtool,cmtool.fish}" >&2
