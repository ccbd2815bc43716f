#!/usr/bin/env bash
# This tree's encoder against an older commit's, alternated in one run on the same machine
# (a shared machine's load falls on both alike): builds COMMIT's encode_bench in a scratch
# directory (its own sources, timed as --cpu-time does here when MODE=cpu), then runs
#   old: encode_bench --int8 --reps R --tokens T          (COMMIT's default arithmetic)
#   new: BUILD/bench/encode_bench --int8 --reps R --tokens T   (this tree's default: --precision auto)
# RUNS times each, alternating, and prints for every (threads, batch, length) the median
# tok/s of each and new/old.
#
#   bench/encode_vs_commit.sh [BUILD_DIR] [COMMIT]    (default build, dc0310a;
#                                                      env RUNS=3, REPS=3, TOKENS=8192,
#                                                      MODE=cpu|wall, default cpu)
# MODE=cpu counts the process's CPU seconds (a pass on n workers: CPU / n), for machines
# other jobs share; MODE=wall is the plain wall-clock rate, for a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
commit=${2:-dc0310a}
runs=${RUNS:-3} reps=${REPS:-3} tokens=${TOKENS:-8192} mode=${MODE:-cpu}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
git -C "$root" archive "$commit" | tar -x -C "$work/src"
# COMMIT's bench, timed like this one's --cpu-time when DOPPEL_CPU_TIME is set
sed -i -e 's/clock_gettime(CLOCK_MONOTONIC, &ts);/clock_gettime(getenv("DOPPEL_CPU_TIME") ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, \&ts);/' \
    -e 's/return now() - t0;/return (now() - t0) \/ (getenv("DOPPEL_CPU_TIME") ? nth : 1);/' "$work/src/bench/encode_bench.c"
grep -q DOPPEL_CPU_TIME "$work/src/bench/encode_bench.c" || { echo "cannot time $commit's bench in CPU seconds" >&2; exit 1; }
(cd "$work/src" && meson setup "$work/b" -Dtests=false >/dev/null && meson compile -C "$work/b" bench/encode_bench >/dev/null)
flags=(--int8 --reps "$reps" --tokens "$tokens")
newflags=("${flags[@]}")
if [[ $mode == cpu ]]; then
    export DOPPEL_CPU_TIME=1
    newflags+=(--cpu-time)
fi
for r in $(seq 1 "$runs"); do
    "$work/b/bench/encode_bench" "${flags[@]}" >"$work/old.$r" 2>/dev/null
    "$build/bench/encode_bench" "${newflags[@]}" >"$work/new.$r" 2>"$work/new.err"
done
echo "# $commit against $(git -C "$root" rev-parse --short HEAD) (this tree's $(head -n 1 "$work/new.err" | sed 's/^encode_bench: //')), $runs alternations, MODE=$mode"
printf 'threads\tbatch\tlen\told_tok/s\tnew_tok/s\tnew/old\n'
awk -F'\t' '
    FNR == 1 { side = FILENAME ~ /old/ ? "old" : "new"; next }
    { k = $1 "\t" $2 "\t" $3; v[side, k, ++n[side, k]] = $4; keys[k] = 1 }
    function med(side, k,   m, i, j, t, a) {
        m = n[side, k]; for (i = 1; i <= m; i++) a[i] = v[side, k, i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return a[int((m + 1) / 2)]
    }
    END { for (k in keys) { o = med("old", k); w = med("new", k); printf "%s\t%.0f\t%.0f\t%.2fx\n", k, o, w, w / o } }
' "$work"/old.* "$work"/new.* | sort -t$'\t' -k1,1n -k2,2n -k3,3n
