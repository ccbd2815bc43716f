#!/usr/bin/env bash
# Runs doppel commands under valgrind memcheck on committed inputs and fails on any
# invalid read or write, use of uninitialised memory, or byte definitely lost (still
# reachable blocks, e.g. OpenBLAS's thread buffers, are not ours and are allowed).
# Uses ./build/doppel (built if missing), or $DOPPEL_BIN.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${DOPPEL_BIN:-}" ]; then
  [ -f build/build.ninja ] || meson setup build >/dev/null
  meson compile -C build -j2 doppel:executable >/dev/null
  DOPPEL_BIN=$root/build/doppel
fi
here=tests/valgrind
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=1
unset DOPPEL_MODEL

status=0
n=0
# vg WANT_EXIT ARGS...: doppel ARGS under memcheck must exit WANT_EXIT with a clean report
vg() {
  local want=$1; shift
  local log=$tmp/vg.$((n += 1)).log got=0
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --track-origins=yes --error-exitcode=99 --log-file="$log" "$DOPPEL_BIN" "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  local lost
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d ,)
  if [ "$got" != "$want" ] || ! grep -q 'ERROR SUMMARY: 0 errors' "$log" || [ "${lost:-0}" != 0 ]; then
    echo "FAIL: doppel $* (exit $got, expected $want; definitely lost: ${lost:-0} bytes)" >&2
    grep -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|  (at|by) |[0-9,]+ bytes in)' "$log" | head -40 >&2
    cat "$tmp/err" >&2
    status=1
  else
    echo "ok: doppel $*"
  fi
}

vg 0 tokenize $here/sample.txt
vg 0 tokenize --offsets --strip-accents $here/sample.txt
vg 0 sentences $here/sample.txt
vg 0 init-model -o "$tmp/m.dpm" --buckets 2048 --embed-dim 16 --hidden 8 --out-dim 8 --dtype int8
vg 0 info --model "$tmp/m.dpm"
vg 0 embed --model "$tmp/m.dpm" --threads 2 $here/sample.txt
vg 0 pairs --model "$tmp/m.dpm" --threads 2 $here/pairs.tsv
vg 0 compare --model "$tmp/m.dpm" $here/sample.txt $here/pairs.tsv
# the main job: a sweep of the demo corpus with the default model, every report format
vg 0 sweep --by-dir --template corpora/demo/template.txt --clusters corpora/demo/submissions -o "$tmp/r.html"
vg 0 sweep --no-model --by-dir corpora/demo/submissions -f csv -o "$tmp/r.csv"
vg 0 sweep --no-model --by-dir corpora/demo/submissions -f table -o "$tmp/r.txt"
# error paths free what they allocated too
vg 3 tokenize "$tmp/missing.txt"
head -c 1000 "$tmp/m.dpm" >"$tmp/trunc.dpm"
vg 3 info --model "$tmp/trunc.dpm"
vg 3 embed --model "$tmp/trunc.dpm" $here/sample.txt
vg 2 tokenize --no-such-option
exit $status
