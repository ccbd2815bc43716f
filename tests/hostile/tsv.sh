#!/usr/bin/env bash
# doppel eval and doppel pairs on a TSV with missing columns, non-numeric and
# out-of-range labels and an empty text: each bad line is named by file and line
# number, the good lines are still scored, the exit codes are the documented ones.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
cd "$tmp"

"$bin" init-model -o m.dpm --buckets 512 --embed-dim 8 --hidden 4 --out-dim 4 >/dev/null
printf 'text_a\ttext_b\tlabel\ncat on mat\ta cat on a mat\t1\nonly one column\nx\ty\tmaybe\nfoo\tbar\t0\nbig\tlabel\t1e300\n\tempty first\t1\ndog\tpuppy\t1\n' >bad.tsv

expect 0 "$bin" eval --model m.dpm --data bad.tsv --format tsv
same "$(cat err)" "doppel: warning: bad.tsv: line 3: tsv: too few columns, line skipped
doppel: warning: bad.tsv: line 4: tsv: label is not a number, line skipped
doppel: warning: bad.tsv: line 6: tsv: label out of range, line skipped
doppel: warning: bad.tsv: line 7: tsv: empty text, line skipped
doppel: bad.tsv: 3 pairs (tsv), 4 malformed lines skipped" "eval warnings"
grep -q '"data":"bad.tsv","format":"tsv","pairs":3,' out || fail "eval scored the 3 good pairs: $(cat out)"

# pairs: one output line per input line; a line without a tab is nan and named
expect 0 "$bin" pairs --model m.dpm bad.tsv
same "$(wc -l <out)" 8 "pairs output lines"
same "$(sed -n 3p out)" nan "pairs line 3"
[ "$(grep -c nan out)" = 1 ] || fail "only line 3 is nan: $(cat out)"
same "$(cat err)" "doppel: warning: bad.tsv: line 3: no tab between text_a and text_b; printing nan" "pairs warning"

# nothing usable, a missing file, an unknown format
printf 'a\n' >allbad.tsv
expect 3 "$bin" eval --model m.dpm --data allbad.tsv --format tsv
same "$(tail -n 1 err)" "doppel: allbad.tsv: input is empty" "eval with no pair"
expect 3 "$bin" eval --model m.dpm --data missing.tsv --format tsv
same "$(cat err)" "doppel: missing.tsv: cannot open: No such file or directory" "eval, missing file"
expect 2 "$bin" eval --model m.dpm --data bad.tsv --format bogus
: >empty.tsv
expect 0 "$bin" pairs --model m.dpm empty.tsv
same "$(cat out err)" "" "pairs on an empty file"
echo ok
