#!/usr/bin/env bash
# The README's main job: a sweep of the demo class set with the shipped default model.
# Every planted case (verbatim, edited, paraphrased) must be reported, with passages
# covering at least 40% of its planted span in both files, and no unrelated, template-only
# or hard-negative pair may be reported (corpora/demo/check_sweep.py, whose own logic is
# tested by --self-test). 40%, not the checker's default 50%: in the s28/s37 paraphrase one
# long KJV sentence is three WEB sentences, and sentence matching is one-to-one.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo

python3 "$demo/check_sweep.py" --self-test
"$bin" sweep --by-dir --template "$demo/template.txt" "$demo/submissions" -o "$tmp/report.jsonl"
python3 "$demo/check_sweep.py" --overlap 0.4 "$tmp/report.jsonl" "$demo/truth.jsonl"
