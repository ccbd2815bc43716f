#!/usr/bin/env bash
# The sweep benchmark: corpora of N ~500-word documents (bench/gen_corpus.py, seed 7),
# `doppel sweep --jsonl` with the default model and --timings, RUNS runs each (median),
# peak RSS (/usr/bin/time -v), documents/s, memory per document beyond the model file,
# and the all-pairs stage's GFLOP/s next to OpenBLAS sgemm on the same shapes (one
# BLAS thread, as the sweep runs it), measured in the same run.
#
#   bench/sweep_bench.sh [BUILD_DIR]      (default build; env SIZES="1000 10000", RUNS=3,
#                                          WORK=/tmp/doppel-sweep-bench)
# Prints one markdown table row per size on stdout; logs go to $WORK.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bin=$build/doppel
peak=$build/bench/sweep_sgemm_peak
model=$root/corpora/models/default.dpm
sizes=${SIZES:-1000 10000}
runs=${RUNS:-3}
work=${WORK:-/tmp/doppel-sweep-bench}
py=/usr/bin/python3
mkdir -p "$work"
model_kb=$(( $(stat -c %s "$model") / 1024 ))
dim=256

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { sed -E "s/.*$1 ([0-9.]+) s.*/\\1/" "$2"; }

echo "| documents | runs | total s (median) | read+prepare+encode s | fingerprints s | candidates s | all-pairs s | alignment s | pairs aligned | docs/s | peak RSS MB | KiB/doc beyond model | all-pairs GFLOP/s | sgemm GFLOP/s (same shapes) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
    corpus=$work/c$n.jsonl
    [[ -s $corpus ]] || "$py" "$root/bench/gen_corpus.py" --docs "$n" --seed 7 --jsonl "$corpus" >/dev/null
    for r in $(seq 1 "$runs"); do
        /usr/bin/time -v "$bin" sweep -m "$model" --timings --jsonl "$corpus" -o "$work/r$n.jsonl" \
            2>"$work/err$n.$r"
    done
    tot=() enc=() fp=() cand=() ap=() al=() rss=() gf=()
    for r in $(seq 1 "$runs"); do
        e=$work/err$n.$r
        grep '^doppel: timings' "$e" >"$e.t"
        tot+=("$(field total "$e.t")") enc+=("$(field 'read\+prepare\+encode' "$e.t")")
        fp+=("$(field fingerprints "$e.t")") cand+=("$(field candidates "$e.t")")
        ap+=("$(field 'all-pairs GEMM' "$e.t")") al+=("$(field alignment "$e.t")")
        rss+=("$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$e")")
        gf+=("$(grep -oE '[0-9.]+ GFLOP/s' "$e.t" | cut -d' ' -f1 || echo -)")
    done
    m() { printf '%s\n' "$@" | median; }
    t=$(m "${tot[@]}") kb=$(m "${rss[@]}")
    pairs=$(tail -n 1 "$work/r$n.jsonl" | sed -E 's/.*"pairs_compared":([0-9]+).*/\1/')
    sg=$("$peak" "$n" "$dim" 1024 1 | sed -E 's/.*, ([0-9.]+) GFLOP.*/\1/')
    apg=$(m "${gf[@]}")
    [[ ${ap[0]} == 0.000 ]] && apg="- (every pair compared)"
    printf '| %s | %s | %.1f | %.1f | %.2f | %.2f | %.2f | %.1f | %s | %.0f | %.0f | %.1f | %s | %s |\n' \
        "$n" "$runs" "$t" "$(m "${enc[@]}")" "$(m "${fp[@]}")" "$(m "${cand[@]}")" "$(m "${ap[@]}")" \
        "$(m "${al[@]}")" "$pairs" "$(echo "$n / $t" | bc -l)" "$(echo "$kb / 1024" | bc -l)" \
        "$(echo "($kb - $model_kb) / $n" | bc -l)" "$apg" "$sg"
done
