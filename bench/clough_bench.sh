#!/usr/bin/env bash
# The Clough-style grading check: generate the short-answer sets of a development seed and a
# reported seed (bench/clough_gen.py), sweep each set's answers against its sources with the
# model and with --no-model, and score how the pair scores grade the four levels
# (bench/clough_eval.py): the 4-level cuts are fitted on the development seed and applied to
# the reported one. bench/README.md records the figures.
#   bench/clough_bench.sh BUILD_DIR [DEV_SEED REPORT_SEED [WORK_DIR]]
set -euo pipefail
build=${1:?usage: bench/clough_bench.sh BUILD_DIR [DEV_SEED REPORT_SEED [WORK_DIR]]}
dev=${2:-1}
rep=${3:-2}
work=${4:-/tmp/doppel-clough}
here=$(cd "$(dirname "$0")" && pwd)
for run in model no-model; do
  opts=()
  [ "$run" = no-model ] && opts=(--no-model)
  cuts=
  for seed in "$dev" "$rep"; do
    w=$work/$seed
    [ -f "$w/truth.tsv" ] || python3 "$here/clough_gen.py" --seed "$seed" --out "$w"
    "$build/doppel" sweep --reference "$w/src" "${opts[@]}" --all-pairs --threshold 0 "$w/answers" \
      -f jsonl -o "$w/report-$run.jsonl" 2>/dev/null
    echo "== $run, seed $seed"
    if [ -z "$cuts" ]; then
      python3 "$here/clough_eval.py" "$w/truth.tsv" "$w/report-$run.jsonl"
      cuts=$(python3 "$here/clough_eval.py" "$w/truth.tsv" "$w/report-$run.jsonl" --json |
             python3 -c 'import json,sys; print(",".join("%.6f" % c for c in json.load(sys.stdin)["cuts"]))')
    else
      python3 "$here/clough_eval.py" "$w/truth.tsv" "$w/report-$run.jsonl" --cuts="$cuts"
    fi
  done
done
