#!/usr/bin/env bash
# doppel compare FILE FILE is the sweep's verdict on that pair (score, coverage, passages)
# with the files decoded as the sweep decodes them; doppel embed and pairs decode too; a
# text without a word scores 0 (--text, embed) and an empty file is an error (issue 16, item 4).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
subs=$src/corpora/demo/submissions
m="$tmp/m.dpm"
"$bin" init-model -o "$m" --buckets 2048 --embed-dim 16 --hidden 12 --out-dim 24 --seed 3 > /dev/null

# the same essay in UTF-8 and in UTF-16 (with a BOM): one document, a verbatim copy of all of it
cp "$subs/s12/essay.txt" "$tmp/a.txt"
python3 -c "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], 'rb').read().decode().encode('utf-16'))" \
  "$tmp/a.txt" "$tmp/a16.txt"
"$bin" compare -m "$m" -f jsonl "$tmp/a.txt" "$tmp/a16.txt" > "$tmp/same.jsonl"
python3 - "$tmp/same.jsonl" "$(stat -c %s "$tmp/a.txt")" "$(stat -c %s "$tmp/a16.txt")" <<'PY'
import json, sys
p = json.loads(open(sys.argv[1]).readline())
assert p["type"] == "pair" and p["score"] == 1 and p["a_coverage"] == 1 and p["b_coverage"] == 1, p
(x,) = p["passages"]
assert x["kind"] == "verbatim" and x["a_start"] == 0 and x["b_start"] == 2, x   # after the BOM
assert x["a_end"] <= int(sys.argv[2]) and x["b_end"] <= int(sys.argv[3]), x
PY

# a pair of the demo: compare gives the sweep's record of that pair, with and without a model
# (the random model's sentences all resemble the template's, so the template is for --no-model)
for opt in "-m $m" "--no-model --template $src/corpora/demo/template.txt"; do
  # shellcheck disable=SC2086  # the option and its argument are two words
  "$bin" compare $opt -f jsonl "$subs/s12/essay.txt" "$subs/s39/essay.txt" \
    | grep '"type":"pair"' > "$tmp/c.jsonl"
  # shellcheck disable=SC2086
  "$bin" sweep $opt -t 0 "$subs/s12/essay.txt" "$subs/s39/essay.txt" \
    | grep '"type":"pair"' > "$tmp/s.jsonl"
  [ -s "$tmp/c.jsonl" ] || fail "compare $opt: no pair"
  cmp -s "$tmp/c.jsonl" "$tmp/s.jsonl" || fail "compare $opt differs from the sweep: $(cat "$tmp/c.jsonl") vs $(cat "$tmp/s.jsonl")"
  grep -q '"passages":\[{' "$tmp/c.jsonl" || fail "compare $opt: the planted copy is not a passage"
done
grep -q '"kind":"verbatim"' "$tmp/c.jsonl" || fail "compare -m: the planted copy is not a verbatim passage"
# unrelated essays: a low score, still printed (the pair is the answer whatever its score)
"$bin" compare --no-model -f jsonl "$subs/s01/essay.txt" "$subs/s02/essay.txt" > "$tmp/u.jsonl"
grep -q '"type":"pair"' "$tmp/u.jsonl" || fail "an unrelated pair is not reported"
# the terminal table shows the same pair
"$bin" compare --no-model -f table "$tmp/a.txt" "$tmp/a16.txt" > "$tmp/t.txt"
grep -q "a16.txt  *1.000" "$tmp/t.txt" || fail "compare table: $(cat "$tmp/t.txt")"

# an empty or binary file is an error, said, not a score
: > "$tmp/empty.txt"
expect 3 "$bin" compare --no-model "$tmp/a.txt" "$tmp/empty.txt"
grep -q "empty.txt: empty: nothing to compare" "$tmp/err" || fail "empty file: $(cat "$tmp/err")"

# --text stays the sentence cosine; a text without a word scores 0
t=$("$bin" compare -m "$m" --text "the cat sat" "the cat sat")
[ "$t" = "1.000000" ] || fail "--text identical: $t"
for e in "" "   "; do
  t=$("$bin" compare -m "$m" --text "$e" "the cat sat on the mat")
  [ "$t" = "0.000000" ] || fail "--text '$e' vs a sentence: $t, not 0"
done

# embed and pairs decode: the UTF-16 and UTF-8 lines give the same vectors
printf 'the cat sat on the mat\nUne phrase en français, déjà vue.\n' > "$tmp/l8.txt"
python3 -c "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], 'rb').read().decode().encode('utf-16'))" \
  "$tmp/l8.txt" "$tmp/l16.txt"
printf 'Une phrase en fran\xe7ais, d\xe9j\xe0 vue.\n' > "$tmp/l1252.txt"
"$bin" embed -m "$m" "$tmp/l8.txt" > "$tmp/v8.tsv"
"$bin" embed -m "$m" "$tmp/l16.txt" > "$tmp/v16.tsv"
"$bin" embed -m "$m" "$tmp/l1252.txt" > "$tmp/v1252.tsv"
cmp -s "$tmp/v8.tsv" "$tmp/v16.tsv" || fail "embed: UTF-16 lines encode differently from UTF-8"
[ "$(sed -n 2p "$tmp/v8.tsv")" = "$(cat "$tmp/v1252.tsv")" ] || fail "embed: Windows-1252 line encodes differently"
printf 'caf\xe9 cr\xe8me\tcaf\xe9 cr\xe8me\n' > "$tmp/p1252.tsv"
[ "$("$bin" pairs -m "$m" "$tmp/p1252.tsv")" = "1.000000" ] || fail "pairs: a Windows-1252 file"
echo "compare: ok"
