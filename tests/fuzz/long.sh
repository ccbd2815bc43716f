#!/usr/bin/env bash
# A longer fuzz run than CI's, outside CI: a random seed (printed, so a finding can be
# replayed) and FUZZ_SECONDS per target (default 600), no input cap. CI's run.sh uses a
# fixed seed and 150,000 inputs, so it never looks further than that; run this before a
# release or after changing a reader, niced on a shared machine:
#   nice -n 10 bash tests/fuzz/long.sh                      # every target, 10 min each
#   FUZZ_SECONDS=300 FUZZ_TARGETS=index bash tests/fuzz/long.sh
# A finding is kept in build-fuzz/findings/<target>/; replay it with
#   build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/findings/<target>/crash-...
# and, once fixed, commit it to tests/fuzz/corpus/<target>/regress-<hash> so every CI run
# tries it again.
set -euo pipefail
seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "fuzz seed $seed (replay with FUZZ_SEED=$seed)"
FUZZ_SEED=$seed FUZZ_SECONDS=${FUZZ_SECONDS:-600} FUZZ_RUNS=${FUZZ_RUNS:-2000000000} \
  exec bash "$(dirname "$0")/run.sh"
