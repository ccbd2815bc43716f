#!/usr/bin/env bash
# doppel sweep aligns pairs on 1 or 2 threads with identical output bytes (the summary's
# "seconds" aside): the demo corpus at --threshold 0 (780 pairs, several chunks), with the
# default model and lexical only; --timings names every stage on stderr.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo
model=$src/corpora/models/default.dpm
no_seconds() { sed -E 's/"seconds":[0-9.e+-]+/"seconds":X/' "$1"; }

for mode in "-m $model" "--no-model"; do
    for j in 1 2; do
        # shellcheck disable=SC2086
        "$bin" sweep $mode -j $j -t 0 --by-dir --template "$demo/template.txt" "$demo/submissions" \
            -o "$tmp/r$j.jsonl" --timings 2>"$tmp/err$j"
    done
    [[ $(grep -c '"type":"pair"' "$tmp/r1.jsonl") == 780 ]] || fail "$mode: not every pair reported"
    cmp <(no_seconds "$tmp/r1.jsonl") <(no_seconds "$tmp/r2.jsonl") || fail "$mode: 1 and 2 threads differ"
    grep -Eq '^doppel: timings: model [0-9.]+ s, read\+prepare\+encode [0-9.]+ s, fingerprints [0-9.]+ s, candidates [0-9.]+ s \(all-pairs GEMM [0-9.]+ s\), alignment [0-9.]+ s, report [0-9.]+ s, total [0-9.]+ s$' "$tmp/err2" ||
        fail "timings line: $(cat "$tmp/err2")"
done
echo ok
