#!/usr/bin/env bash
# Two doppel programs (or one) on the same corpora, alternated RUNS times in one run, so a
# shared machine's load falls on both alike: median wall and CPU seconds and the
# --timings stages of `doppel sweep --jsonl CORPUS -j J` with the default model, and
# whether the reports are the same bytes (the summary's seconds aside).
#
#   bench/sweep_ab.sh A_BIN B_BIN CORPUS.jsonl...   (env RUNS=3, J=2, ARGS: more options)
# Prints one markdown row per (corpus, program); ratios B/A in the last rows.
set -euo pipefail
runs=${RUNS:-3} j=${J:-2}
a=$1 b=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
model=$root/corpora/models/default.dpm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
stage() { sed -nE "s/.*$1 ([0-9.]+) s.*/\\1/p" "$2"; }
no_seconds() { sed -E 's/"seconds":[0-9.e+-]+/"seconds":X/' "$1"; }
echo "| corpus | program | runs | wall s | CPU s | read+prepare+encode s | fingerprints s | candidates s | alignment s | pairs compared |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# every run of every corpus and program before the next run: the load falls on all alike
for r in $(seq 1 "$runs"); do
    for c in $(seq 1 $#); do
        corpus=${!c}
        for p in a b; do
            bin=${!p}
            # shellcheck disable=SC2086
            /usr/bin/time -f "%e %U %S" -o "$work/time.$c.$p.$r" "$bin" sweep -m "$model" -j "$j" --timings \
                ${ARGS:-} --jsonl "$corpus" -o "$work/r.$c.$p.$r.jsonl" 2>"$work/err.$c.$p.$r"
        done
    done
done
for c in $(seq 1 $#); do
    corpus=${!c}
    cmp -s <(no_seconds "$work/r.$c.a.1.jsonl") <(no_seconds "$work/r.$c.b.1.jsonl") && same=same || same=DIFFERENT
    for p in a b; do
        w=() u=() e=() f=() k=() l=()
        for r in $(seq 1 "$runs"); do
            read -r wall user sys <"$work/time.$c.$p.$r"
            w+=("$wall") u+=("$(awk -v a="$user" -v b="$sys" 'BEGIN { printf "%.2f", a + b }')")
            t=$work/err.$c.$p.$r
            e+=("$(stage 'read\+prepare\+encode' "$t")") f+=("$(stage fingerprints "$t")")
            k+=("$(stage candidates "$t")") l+=("$(stage alignment "$t")")
        done
        m() { printf '%s\n' "$@" | median; }
        pairs=$(tail -n 1 "$work/r.$c.$p.1.jsonl" | sed -E 's/.*"pairs_compared":([0-9]+).*/\1/')
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(basename "$corpus")" "$p" "$runs" \
            "$(m "${w[@]}")" "$(m "${u[@]}")" "$(m "${e[@]}")" "$(m "${f[@]}")" "$(m "${k[@]}")" "$(m "${l[@]}")" "$pairs"
    done
    echo "$(basename "$corpus"): reports of a and b: $same" >&2
done
