#!/usr/bin/env bash
# The README's main job: a sweep of the demo class set with the shipped default model.
# Every planted case (verbatim, edited, paraphrased) must be reported, with passages
# covering at least half of its planted span in both files (the checker's default overlap),
# and no unrelated, template-only or hard-negative pair may be reported
# (corpora/demo/check_sweep.py, whose own logic is tested by --self-test).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo

python3 "$demo/check_sweep.py" --self-test
"$bin" sweep --by-dir --template "$demo/template.txt" "$demo/submissions" -o "$tmp/report.jsonl"
python3 "$demo/check_sweep.py" "$tmp/report.jsonl" "$demo/truth.jsonl"
