#!/usr/bin/env bash
# Documents on one topic that share no text give no passage at the default settings, even
# with every compared pair reported (-t 0): sentences of the same subject are moderately
# similar in meaning, and a lone such sentence pair is not a passage. tests/cli/data/topic:
# two short essays on programming languages written for this test (parallel sentences such
# as "Python is an interpreted ... language" / "Java is a compiled ... language"), and the
# opening paragraphs of two Brown corpus documents of each of three categories (learned,
# government, religion; the corpus's licence: corpora/demo/LICENCE.md).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
data=$src/tests/cli/data/topic

for opts in "" "--no-model"; do
  # shellcheck disable=SC2086
  expect 0 "$bin" sweep $opts "$data" -f jsonl
  grep -q '"pairs_reported":0,' "$tmp/out" || fail "sweep $opts: pairs reported: $(grep '"pair"' "$tmp/out" | cut -c1-300)"
  # shellcheck disable=SC2086
  expect 0 "$bin" sweep $opts -t 0 "$data" -f jsonl
  same "$(grep -c '"type":"pair"' "$tmp/out")" 28 "sweep $opts -t 0: pairs compared"
  same "$(grep -c '"passages":\[\]' "$tmp/out")" 28 "sweep $opts -t 0: pairs without passages"
done
