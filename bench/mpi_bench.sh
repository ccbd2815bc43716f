#!/usr/bin/env bash
# The sweep split across MPI ranks (doppel sweep --mpi): the same corpus of N ~500-word
# documents (bench/gen_corpus.py, seed 7, as bench/sweep_bench.sh) swept by 1 rank and by
# 2 ranks of one thread each (-j 1, one BLAS thread), RUNS runs each, alternating, under
# nice; the median wall time of each, the speed-up, each phase (slowest rank) from
# --timings (a rank's wait for the others' alignment apart from the merge), the bytes
# sent between ranks, and whether the 2-rank report equals the 1-rank one (sorted, the
# summary's seconds aside). The load average is printed at the start and the end: the
# machine may be shared.
#
#   bench/mpi_bench.sh [BUILD_DIR]     (default build; env N=10000, RUNS=3,
#                                       WORK=/tmp/doppel-mpi-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
bin=$build/doppel
model=$root/corpora/models/default.dpm
n=${N:-10000}
runs=${RUNS:-3}
work=${WORK:-/tmp/doppel-mpi-bench}
mkdir -p "$work"
corpus=$work/c$n.jsonl
[[ -s $corpus ]] || /usr/bin/python3 "$root/bench/gen_corpus.py" --docs "$n" --seed 7 --jsonl "$corpus" >/dev/null
export OPENBLAS_NUM_THREADS=1
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { grep -oE "$1 [0-9.]+" "$2" | head -n 1 | awk '{print $NF}'; }

for r in $(seq 1 "$runs"); do
  for np in 1 2; do
    start=$(date +%s.%N)
    nice -n 10 mpirun --oversubscribe --allow-run-as-root -np "$np" "$bin" sweep --mpi -j 1 -m "$model" --timings \
      --jsonl "$corpus" -o "$work/r$np.jsonl" 2>"$work/err$np.$r"
    echo "$(date +%s.%N) - $start" | bc -l >"$work/wall$np.$r"
  done
done
norm() { sed -E 's/"seconds":[0-9.e+-]+,//' "$1" | sort; }
if diff -q <(norm "$work/r1.jsonl") <(norm "$work/r2.jsonl") >/dev/null; then same=yes; else same=NO; fi

echo "| ranks x threads | runs | wall s (median) | CPU s of the busiest rank | read+prepare+encode s | fingerprint counts s | GEMM blocks s | candidate exchange s | document fetch s | alignment s | wait s | merge s | MB sent | pairs aligned |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for np in 1 2; do
  m() { for r in $(seq 1 "$runs"); do "$@" "$r"; done | median; }
  wall() { cat "$work/wall$np.$1"; }
  ph() { field "$2" "$work/err$np.$1"; }
  enc() { ph "$1" 'read\+prepare\+encode'; }
  cnt() { ph "$1" 'fingerprint counts'; }
  gemm() { ph "$1" 'GEMM blocks'; }
  route() { ph "$1" 'candidate exchange'; }
  fetch() { ph "$1" 'document fetch'; }
  al() { ph "$1" 'alignment'; }
  wt() { ph "$1" 'other ranks'; }
  mer() { ph "$1" 'merge'; }
  mb() { grep -oE '[0-9.]+ MB sent' "$work/err$np.$1" | cut -d' ' -f1; }
  cpu() { grep -oE 'CPU [0-9.]+' "$work/err$np.$1" | cut -d' ' -f2; }
  w=$(m wall) c=$(m cpu)
  eval "w$np=$w c$np=$c"
  pairs=$(tail -n 1 "$work/r$np.jsonl" | sed -E 's/.*"pairs_compared":([0-9]+).*/\1/')
  printf '| %s x 1 | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f | %s |\n' "$np" "$runs" "$w" "$c" \
    "$(m enc)" "$(m cnt)" "$(m gemm)" "$(m route)" "$(m fetch)" "$(m al)" "$(m wt)" "$(m mer)" "$(m mb)" "$pairs"
done
echo
printf '2 ranks / 1 rank: wall time %.2fx, busiest rank CPU time %.2fx; 2-rank report equal to the 1-rank one: %s\n' \
  "$(echo "$w2 / $w1" | bc -l)" "$(echo "$c2 / $c1" | bc -l)" "$same"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
