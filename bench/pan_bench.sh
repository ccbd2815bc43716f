#!/usr/bin/env bash
# The PAN-style text-alignment benchmark: generate the corpus of one seed (bench/pan_gen.py),
# sweep its suspicious documents against its sources with the model and with --no-model
# (-f pan), and score both (bench/plagdet.py). bench/README.md records the figures.
#   bench/pan_bench.sh BUILD_DIR SEED [WORK_DIR] [-- extra sweep options]
set -euo pipefail
build=${1:?usage: bench/pan_bench.sh BUILD_DIR SEED [WORK_DIR] [-- sweep options]}
seed=${2:?seed}
work=${3:-/tmp/doppel-pan-$seed}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$work/truth" ] || python3 "$here/pan_gen.py" --seed "$seed" --out "$work"
for run in model no-model; do
  opts=()
  [ "$run" = no-model ] && opts=(--no-model)
  start=$(date +%s.%N)
  "$build/doppel" sweep --reference "$work/src" "${opts[@]}" "$@" "$work/susp" -f pan -o "$work/det-$run" --force
  end=$(date +%s.%N)
  echo "== $run ($(echo "$end - $start" | bc) s)"
  python3 "$here/plagdet.py" "$work/truth" "$work/det-$run"
done
