#!/usr/bin/env bash
# The HTML report at 2000 pairs: 4000 short documents, pair i of them sharing a sentence
# of its own, swept to HTML and opened in headless Chromium (bench/html_open.py).
# Usage: bench/html_open.sh BUILD_DIR [REPS]
set -euo pipefail
build=${1:?usage: bench/html_open.sh BUILD_DIR [REPS]}
reps=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/c"
for i in $(seq -w 0 1999); do
  u="k${i}a k${i}b k${i}c k${i}d k${i}e k${i}f k${i}g k${i}h k${i}i k${i}j"
  printf 'a%sp a%sq a%sr.\n%s.\na%sx a%sy a%sz.\n' "$i" "$i" "$i" "$u" "$i" "$i" "$i" > "$tmp/c/d${i}a.txt"
  printf 'b%sp b%sq b%sr.\n%s.\nb%sx b%sy b%sz.\n' "$i" "$i" "$i" "$u" "$i" "$i" "$i" > "$tmp/c/d${i}b.txt"
done
"$build/doppel" sweep --no-model --all-pairs "$tmp/c" -o "$tmp/r.html" 2> /dev/null
python3 "$here/html_open.py" "$tmp/r.html" --reps "$reps"
