#!/usr/bin/env bash
# The ABI of libdoppel 1.x against the one recorded at 1.0 (abi/libdoppel.abi, abidw from
# Debian's abigail-tools): an incompatible change (a function removed, a public struct
# or signature changed) fails; additions pass and are listed.
#   bash .ci/abi.sh BUILD_DIR            compare BUILD_DIR/libdoppel.so
#   bash .ci/abi.sh BUILD_DIR --record   rewrite abi/libdoppel.abi (a new major version only)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: .ci/abi.sh BUILD_DIR [--record]}
lib=$build/libdoppel.so
[ -f "$lib" ] || { echo ".ci/abi.sh: no $lib" >&2; exit 1; }
if [ "${2:-}" = --record ]; then
  # no build paths or source lines in the record: it depends on the headers' types only
  abidw --no-corpus-path --no-show-locs --headers-dir include --drop-private-types "$lib" \
    | sed -E "s| comp-dir-path='[^']*'||" >abi/libdoppel.abi
  echo "recorded abi/libdoppel.abi"
  exit 0
fi
st=0
abidiff --headers-dir2 include abi/libdoppel.abi "$lib" || st=$?
# abidiff's status bits: 1 error, 2 usage, 4 ABI changed, 8 incompatible change
if (( st & 11 )); then
  echo "FAIL: libdoppel's ABI is incompatible with the 1.0 record (abi/libdoppel.abi)" >&2
  exit 1
fi
echo "libdoppel ABI: compatible with 1.0"
