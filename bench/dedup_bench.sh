#!/usr/bin/env bash
# The near-duplicate benchmark: doppel sweep --dedup (default model, and --no-model) and
# datasketch's MinHash LSH (bench/datasketch_dedup.py, at t=0.5 and t=0.2, one core) on the
# same generated corpora (bench/dedup_gen.py), one after the other in one run: wall and CPU
# seconds, peak RSS, RSS per document (model included), precision and recall of the planted
# near-duplicate pairs (bench/dedup_score.py), and doppel's wall time over datasketch's at
# t=0.5.
#
#   DATASKETCH=/path/to/datasketch bench/dedup_bench.sh [BUILD_DIR]
#       env SIZES="1000 10000" (documents), SEED=2 (the seed that checks; the defaults were
#       chosen on seed 1), THREADS=2 (doppel's -j), WORK=/tmp/doppel-dedup-bench
#
# DATASKETCH is the directory holding the datasketch package (it needs python3-numpy and
# python3-scipy); nothing of it is in doppel. Prints one markdown row per run on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bin=$build/doppel
sizes=${SIZES:-1000 10000}
seed=${SEED:-2}
threads=${THREADS:-2}
work=${WORK:-/tmp/doppel-dedup-bench}
ds=${DATASKETCH:?give the datasketch directory in DATASKETCH}
py=/usr/bin/python3
mkdir -p "$work"

# run NAME CMD...: times CMD into $work/NAME.time (GNU time: wall, user, system, max RSS)
run() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" 2>"$work/$name.err" >/dev/null ||
        { cat "$work/$name.err" >&2; exit 1; }
}

echo "| documents | run | wall s | CPU s | peak RSS MiB | KB/doc | precision | recall | wall / datasketch t=0.5 |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
    c=$work/s${seed}_$n.jsonl t=$work/s${seed}_$n.truth.jsonl
    [[ -s $c && -s $t ]] || "$py" "$root/bench/dedup_gen.py" --docs "$n" --seed "$seed" --jsonl "$c" --truth "$t"
    names=(datasketch_t0.5 datasketch_t0.2 doppel_dedup doppel_dedup_no_model)
    run "$n.datasketch_t0.5" env PYTHONPATH="$ds" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        "$py" "$root/bench/datasketch_dedup.py" "$c" "$work/$n.datasketch_t0.5.tsv" --threshold 0.5
    run "$n.datasketch_t0.2" env PYTHONPATH="$ds" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        "$py" "$root/bench/datasketch_dedup.py" "$c" "$work/$n.datasketch_t0.2.tsv" --threshold 0.2
    rm -f "$work/$n".doppel_dedup*.jsonl
    run "$n.doppel_dedup" "$bin" sweep --dedup -j "$threads" --jsonl "$c" -o "$work/$n.doppel_dedup.jsonl"
    run "$n.doppel_dedup_no_model" "$bin" sweep --dedup --no-model -j "$threads" --jsonl "$c" \
        -o "$work/$n.doppel_dedup_no_model.jsonl"
    read -r ds_wall _ < "$work/$n.datasketch_t0.5.time"
    for name in "${names[@]}"; do
        read -r wall user sys kb < "$work/$n.$name.time"
        out=$(ls "$work/$n.$name".tsv "$work/$n.$name".jsonl 2>/dev/null || true)
        read -r p r _ < <("$py" "$root/bench/dedup_score.py" "$t" "$out")
        printf '| %s | %s | %.1f | %.1f | %.0f | %.1f | %s | %s | %.2f |\n' "$n" "$name" "$wall" \
            "$(echo "$user + $sys" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(echo "$kb * 1024 / $n / 1000" | bc -l)" \
            "$p" "$r" "$(echo "$wall / $ds_wall" | bc -l)"
    done
done
