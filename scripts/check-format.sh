#!/usr/bin/env bash
# Fails when a C++ file is not clang-format clean (the style is .clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find cli lib tests bench -name '*.[ch]pp')
[ ${#files[@]} -eq 0 ] && exit 0
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/cmtool-format.log; then
  echo "clang-format: these files need formatting (run: clang-format -i <file>):" >&2
  grep -o '^[^:]*' /tmp/cmtool-format.log | sort -u >&2
  exit 1
fi
echo "clang-format: ${#files[@]} files clean" >&2
