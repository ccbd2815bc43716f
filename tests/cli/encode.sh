#!/usr/bin/env bash
# doppel embed, pairs and compare on an init-model model: shapes, identities, symmetry.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

m="$tmp/m.dpm"
"$bin" init-model -o "$m" --buckets 2048 --embed-dim 16 --hidden 12 --out-dim 24 --seed 3
printf 'the cat sat on the mat\n\nUne phrase en français, déjà vue.\nthe cat sat on the mat\r\n' >"$tmp/in.txt"

# tsv: one line of 24 fields per input line; equal texts (CRLF or not) give equal vectors
"$bin" embed --model "$m" "$tmp/in.txt" >"$tmp/v.tsv"
[ "$(wc -l <"$tmp/v.tsv")" = 4 ] || fail "embed: $(wc -l <"$tmp/v.tsv") lines"
awk -F'\t' 'NF != 24 { exit 1 }' "$tmp/v.tsv" || fail "embed: a line without 24 fields"
[ "$(sed -n 1p "$tmp/v.tsv")" = "$(sed -n 4p "$tmp/v.tsv")" ] || fail "embed: same text, different vectors"
# unit vectors, but for the empty line 2: the zero vector (its cosine with anything is 0)
awk -F'\t' 'NR != 2 { s = 0; for (i = 1; i <= NF; i++) s += $i * $i; if (s < 0.99999 || s > 1.00001) exit 1 }' "$tmp/v.tsv" \
  || fail "embed: not unit vectors"
awk -F'\t' 'NR == 2 { for (i = 1; i <= NF; i++) if ($i != 0) exit 1 }' "$tmp/v.tsv" || fail "embed: the empty line is not the zero vector"
# from stdin, to a file (-o), 1 thread: same bits as 2 threads
"$bin" embed -m "$m" -j 1 -o "$tmp/v1.tsv" - <"$tmp/in.txt"
cmp -s "$tmp/v.tsv" "$tmp/v1.tsv" || fail "embed: -j 1 -o differs from -j 2 stdout"
# f32: 4 lines x 24 floats x 4 bytes; jsonl: 4 arrays of 24
"$bin" embed -m "$m" --format f32 "$tmp/in.txt" >"$tmp/v.f32"
[ "$(stat -c %s "$tmp/v.f32")" = $((4 * 24 * 4)) ] || fail "f32 size $(stat -c %s "$tmp/v.f32")"
"$bin" embed -m "$m" --format jsonl "$tmp/in.txt" >"$tmp/v.jsonl"
[ "$(wc -l <"$tmp/v.jsonl")" = 4 ] || fail "jsonl lines"
[ "$(head -1 "$tmp/v.jsonl" | tr -cd ',' | wc -c)" = 23 ] || fail "jsonl: not 24 values"
# the f32 bytes are the tsv values
first=$(od -An -t f4 -N 4 "$tmp/v.f32" | tr -d ' ')
awk -v f="$first" -F'\t' 'NR == 1 { d = $1 - f; if (d < 0) d = -d; exit !(d < 1e-6) }' "$tmp/v.tsv" \
  || fail "f32 first value $first disagrees with tsv"

# pairs: identical texts give 1, line alignment kept, a line without a tab gives nan + warning
printf 'a b c\ta b c\textra column\nthe cat\tla chatte\nno tab here\nx\tx\n' >"$tmp/pairs.tsv"
"$bin" pairs -m "$m" "$tmp/pairs.tsv" >"$tmp/p.out" 2>"$tmp/p.err"
[ "$(wc -l <"$tmp/p.out")" = 4 ] || fail "pairs: $(wc -l <"$tmp/p.out") lines"
awk 'NR == 1 || NR == 4 { d = $1 - 1; if (d < 0) d = -d; if (d > 1e-6) exit 1 }' "$tmp/p.out" || fail "pairs: identical != 1"
[ "$(sed -n 3p "$tmp/p.out")" = nan ] || fail "pairs: line 3 should be nan"
grep -q "^doppel: warning: $tmp/pairs.tsv: line 3: no tab" "$tmp/p.err" || fail "pairs warning: $(cat "$tmp/p.err")"
p2=$(sed -n 2p "$tmp/p.out")

# compare --text: symmetric, equals the pairs value (files are compared as the sweep does: compare.sh)
ab=$("$bin" compare -m "$m" --text "the cat" "la chatte")
ba=$("$bin" compare -m "$m" --text "la chatte" "the cat")
[ "$ab" = "$ba" ] || fail "compare not symmetric: $ab vs $ba"
[ "$ab" = "$p2" ] || fail "compare $ab != pairs $p2"
printf 'the cat' >"$tmp/a.txt"

# errors
rc=0; "$bin" compare -m "$m" "$tmp/a.txt" 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "compare with one file: exit $rc"
rc=0; "$bin" embed -m "$m" "$tmp/none.txt" 2>"$tmp/e.err" || rc=$?
[ $rc = 3 ] && grep -q "$tmp/none.txt" "$tmp/e.err" || fail "embed missing input: $rc $(cat "$tmp/e.err")"
rc=0; "$bin" embed --format xml -m "$m" 2>/dev/null </dev/null || rc=$?
[ $rc = 2 ] || fail "bad format: exit $rc"
echo ok
