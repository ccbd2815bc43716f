#!/bin/bash
# doppel's encoder against PyTorch on the same batches, one row per configuration:
#   bench/run_encode.sh [BUILD_DIR] [--reps N] [--tokens N]
# BUILD_DIR (default build) must have been configured with -Dbench=true. Prints
# encode_bench's table with PyTorch's tokens/s and the ratio doppel/PyTorch appended.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=build
if [[ $# -gt 0 && $1 != --* ]]; then
    build=$1
    shift
fi
reps=7
tokens=16384
while [[ $# -gt 0 ]]; do
    case $1 in
    --reps) reps=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    *) echo "usage: $0 [BUILD_DIR] [--reps N] [--tokens N]" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/encode_bench" --reps "$reps" --tokens "$tokens" --dump "$tmp" >"$tmp/doppel.tsv"
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$here/torch_encode.py" "$tmp" --reps "$reps" >"$tmp/torch.tsv"
awk -F'\t' -v OFS='\t' '
    NR == FNR { if (FNR > 1) torch[$1 "/" $2 "/" $3] = $4; next }
    FNR == 1 { print $0, "torch_tok/s", "doppel/torch"; next }
    { t = torch[$1 "/" $2 "/" $3]; print $0, t, sprintf("%.2fx", $4 / t) }
' "$tmp/torch.tsv" "$tmp/doppel.tsv"
