#!/usr/bin/env bash
# doppel sweep end to end on the demo corpus, lexical evidence only (no model needed):
# the verbatim plants are found with spans inside the planted ones, reports in every
# format, skipped documents listed, exit codes.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo

"$bin" sweep --no-model --by-dir --template "$demo/template.txt" "$demo/submissions" -o "$tmp/r.jsonl"
summary=$(tail -n 1 "$tmp/r.jsonl")
[[ $summary == *'"type":"summary","documents":40,"skipped":0,"pairs_compared":780'* ]] || fail "summary: $summary"
# every verbatim plant is reported, and its passage lies on the planted bytes
python3 - "$tmp/r.jsonl" "$demo/truth.jsonl" <<'PY'
import json, sys
pairs = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "pair":
        key = tuple(sorted((o["a"].split("/")[-1], o["b"].split("/")[-1])))
        pairs[key] = o
plants = [json.loads(l) for l in open(sys.argv[2])][1:]
verbatim = [p for p in plants if p["kind"] == "verbatim"]
assert len(verbatim) == 5, len(verbatim)
for p in verbatim:
    a, b = p["a"]["student"], p["b"]["student"]
    o = pairs.get(tuple(sorted((a, b))))
    assert o, f"verbatim plant {a}-{b} not reported"
    swap = o["a"].split("/")[-1] != a
    pa, pb = (p["b"], p["a"]) if swap else (p["a"], p["b"])
    ok = any(x["a_start"] < pa["end"] and x["a_end"] > pa["start"] and
             x["b_start"] < pb["end"] and x["b_end"] > pb["start"] and x["kind"] == "verbatim"
             for x in o["passages"])
    assert ok, f"{a}-{b}: no verbatim passage on the planted span"
negatives = {tuple(sorted((p["a"]["student"], p["b"]["student"]))) for p in plants if p["kind"] in ("hard_negative", "template")}
positives = {tuple(sorted((p["a"]["student"], p["b"]["student"]))) for p in plants if p["kind"] in ("verbatim", "edited", "paraphrase")}
for key in pairs:
    assert key in positives, f"unplanted pair reported: {key}"
PY

# threshold 0 reports every compared pair
"$bin" sweep --no-model --by-dir -t 0 "$demo/submissions" > "$tmp/all.jsonl"
[ "$(grep -c '"type":"pair"' "$tmp/all.jsonl")" = 780 ] || fail "threshold 0 should report all 780 pairs"

# --exit-code: 1 when something is found
set +e
"$bin" sweep --no-model --by-dir --exit-code "$demo/submissions" > /dev/null
rc=$?
set -e
[ $rc = 1 ] || fail "--exit-code gave $rc"

# CSV and HTML
"$bin" sweep --no-model --by-dir "$demo/submissions" -f csv -o "$tmp/r.csv"
head -n 1 "$tmp/r.csv" | tr -d '\r' | grep -qx 'a,b,score,passages,a_coverage,b_coverage' || fail "csv header"
"$bin" sweep --no-model --by-dir "$demo/submissions" -o "$tmp/r.html"
grep -q 'class="hl' "$tmp/r.html" || fail "html has no highlights"
! grep -qE '(src|href)="https?:' "$tmp/r.html" || fail "html loads external assets"

# bad documents are skipped and reported, the rest is compared
mkdir -p "$tmp/c"
cp "$demo/submissions/s03/essay.txt" "$tmp/c/one.txt"
cp "$demo/submissions/s31/essay.txt" "$tmp/c/two.txt"
printf '\x00\x01\x02binary\x00\x00' > "$tmp/c/blob.bin"
: > "$tmp/c/empty.txt"
ln -s . "$tmp/c/loop"
"$bin" sweep --no-model "$tmp/c" > "$tmp/c.jsonl" 2> "$tmp/c.err"
grep -q '"type":"skipped","id":"[^"]*blob.bin","reason":"binary"' "$tmp/c.jsonl" || fail "binary not listed"
grep -q '"type":"skipped","id":"[^"]*empty.txt","reason":"empty"' "$tmp/c.jsonl" || fail "empty not listed"
grep -q 'blob.bin: skipped: binary' "$tmp/c.err" || fail "no warning on stderr"
grep -q '"type":"pair"' "$tmp/c.jsonl" || fail "the good pair was not compared"
# a document with invalid UTF-8 (not cp1252 either) is compared, with a warning naming the byte
printf 'caf\xc3\xa9 \x81\x8d and then the rest of it\n' > "$tmp/c/inv.txt"
"$bin" sweep --no-model "$tmp/c" > /dev/null 2> "$tmp/inv.err"
grep -qxF "doppel: warning: $tmp/c/inv.txt: byte 6: 2 invalid byte sequences replaced by U+FFFD" "$tmp/inv.err" ||
  fail "no invalid UTF-8 warning: $(cat "$tmp/inv.err")"
rm "$tmp/c/inv.txt"
# CSV has no row for them: they are listed on stderr, once each
"$bin" sweep --no-model "$tmp/c" -f csv > "$tmp/c.csv" 2> "$tmp/c.csv.err"
[ "$(grep -c 'blob.bin' "$tmp/c.csv.err")" = 1 ] || fail "CSV stderr should list blob.bin once: $(cat "$tmp/c.csv.err")"

# usage errors name the problem; a missing path is a runtime error naming it
set +e
"$bin" sweep --no-model --bogus x 2> "$tmp/e1"; r1=$?
"$bin" sweep --no-model "$tmp/nope" 2> "$tmp/e2"; r2=$?
set -e
[ $r1 = 2 ] && grep -q "unknown option '--bogus'" "$tmp/e1" || fail "unknown option: $r1 $(cat "$tmp/e1")"
[ $r2 = 3 ] && grep -q "$tmp/nope" "$tmp/e2" || fail "missing path: $r2 $(cat "$tmp/e2")"
echo "sweep CLI: all checks passed"

# The default thresholds were calibrated with the shipped model: another model's sweep warns,
# unless both thresholds are given; the shipped model's does not.
"$bin" init-model -o "$tmp/rand.dpm" --buckets 512 --embed-dim 8 --hidden 8 --out-dim 8
"$bin" sweep -m "$tmp/rand.dpm" --by-dir "$demo/submissions" -o "$tmp/rand.jsonl" 2> "$tmp/rand.err"
grep -qF "doppel: warning: $tmp/rand.dpm: the default --threshold and --sentence-threshold were calibrated with the shipped model" "$tmp/rand.err" ||
  fail "no calibration warning: $(cat "$tmp/rand.err")"
"$bin" sweep -m "$tmp/rand.dpm" -t 0.05 --sentence-threshold 0.8 --by-dir "$demo/submissions" -o "$tmp/rand.jsonl" 2> "$tmp/rand.err"
! grep -q "calibrated" "$tmp/rand.err" || fail "warned with both thresholds given: $(cat "$tmp/rand.err")"
"$bin" index create "$tmp/rand.dpx" -m "$tmp/rand.dpm" > /dev/null
"$bin" index add "$tmp/rand.dpx" -m "$tmp/rand.dpm" "$demo/submissions/s02/essay.txt" > /dev/null  # (an empty index: nothing to compare)
"$bin" index query "$tmp/rand.dpx" -m "$tmp/rand.dpm" "$demo/submissions/s01/essay.txt" -o "$tmp/q.jsonl" 2> "$tmp/q.err"
grep -qF "doppel: warning: $tmp/rand.dpx: the default --threshold" "$tmp/q.err" || fail "index query: no calibration warning"
if [ -e "$src/corpora/models/default.dpm" ]; then
  "$bin" sweep --by-dir "$demo/submissions" -o "$tmp/def.jsonl" 2> "$tmp/def.err"
  ! grep -q "calibrated" "$tmp/def.err" || fail "the shipped model warned: $(cat "$tmp/def.err")"
fi
