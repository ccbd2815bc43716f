#!/usr/bin/env bash
# doppel index end to end on the demo corpus: create/add/query/remove/sweep without a
# model and with one from `doppel init-model`; a query equals the sweep's pairs, an
# index sweep equals doppel sweep, another model is refused, damaged files refused,
# 1 and 2 threads give the same report.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo
subs=$demo/submissions
nosum() { grep -v '"type":"summary"' "$1"; }

# ---- lexical index -------------------------------------------------------
"$bin" index create "$tmp/lex.dpx" --no-model --template "$demo/template.txt"
out=$("$bin" index add "$tmp/lex.dpx" --by-dir "$subs")
[ "$out" = "added 40, skipped 0; $tmp/lex.dpx holds 40 documents" ] || fail "add: $out"
# adding again: every id is already there, nothing changes
"$bin" index add "$tmp/lex.dpx" --by-dir "$subs" > "$tmp/again.out" 2> "$tmp/again.err"
[ "$(cat "$tmp/again.out")" = "added 0, skipped 40; $tmp/lex.dpx holds 40 documents" ] || fail "re-add: $(cat "$tmp/again.out")"
grep -q "s01: skipped: '$subs/s01' is already in the index" "$tmp/again.err" || fail "re-add warning"

# index sweep == doppel sweep of the same corpus (all but the timing)
"$bin" index sweep "$tmp/lex.dpx" > "$tmp/isweep.jsonl"
"$bin" sweep --no-model --by-dir --template "$demo/template.txt" "$subs" > "$tmp/sweep.jsonl"
diff <(nosum "$tmp/isweep.jsonl") <(nosum "$tmp/sweep.jsonl") || fail "index sweep differs from sweep"
grep -q '"type":"summary","documents":40,"skipped":0,"pairs_compared":780,"pairs_reported":9,' "$tmp/isweep.jsonl" \
    || fail "index sweep summary: $(tail -n 1 "$tmp/isweep.jsonl")"

# remove s39, then query its essay: the verbatim partners s12 and s29, with the sweep's
# scores and passages (the query is side a; s39, last, is aligned the same way round)
out=$("$bin" index remove "$tmp/lex.dpx" "$subs/s39")
[ "$out" = "removed 1; $tmp/lex.dpx holds 39 documents" ] || fail "remove: $out"
cp "$subs/s39/essay.txt" "$tmp/new.txt"
"$bin" index query "$tmp/lex.dpx" "$tmp/new.txt" > "$tmp/q.jsonl"
grep -q '"type":"summary","documents":39,"skipped":0,"pairs_compared":39,"pairs_reported":2,' "$tmp/q.jsonl" \
    || fail "query summary: $(tail -n 1 "$tmp/q.jsonl")"
python3 - "$tmp/q.jsonl" "$tmp/sweep.jsonl" "$subs" "$tmp/new.txt" <<'PY'
import json, sys
q = [json.loads(l) for l in open(sys.argv[1])][:-1]
sweep = {}
for l in open(sys.argv[2]):
    o = json.loads(l)
    if o["type"] == "pair":
        sweep[frozenset((o["a"], o["b"]))] = o
subs, new = sys.argv[3], sys.argv[4]
assert sorted(p["b"] for p in q) == [subs + "/s12", subs + "/s29"], [p["b"] for p in q]
for p in q:
    assert p["a"] == new
    s = sweep[frozenset((subs + "/s39", p["b"]))]
    swap = s["b"] == subs + "/s39"
    assert p["score"] == s["score"]
    assert p["a_coverage"] == (s["b_coverage"] if swap else s["a_coverage"])
    def side(x, a):
        return (x["b_start"], x["b_end"], x["a_start"], x["a_end"]) if a else (x["a_start"], x["a_end"], x["b_start"], x["b_end"])
    assert [side(x, False) for x in p["passages"]] == [side(x, swap) for x in s["passages"]]
    assert all(x["kind"] == "verbatim" for x in p["passages"])
PY
# the same through doppel sweep --reference INDEX: references come from the file
"$bin" sweep --no-model --reference "$tmp/lex.dpx" "$tmp/new.txt" > "$tmp/ref.jsonl"
diff <(nosum "$tmp/ref.jsonl" | sed 's/"a":"[^"]*"//') <(nosum "$tmp/q.jsonl" | sed 's/"a":"[^"]*"//') \
    || fail "sweep --reference INDEX differs from index query"
grep -q '"type":"summary","documents":40,"skipped":0,"pairs_compared":39,"pairs_reported":2,' "$tmp/ref.jsonl" \
    || fail "sweep --reference summary: $(tail -n 1 "$tmp/ref.jsonl")"
# csv and table formats
"$bin" index query "$tmp/lex.dpx" "$tmp/new.txt" -f csv > "$tmp/q.csv"
[ "$(wc -l < "$tmp/q.csv")" = 3 ] || fail "csv rows"

# removing an unknown id changes nothing
cp "$tmp/lex.dpx" "$tmp/before.dpx"
set +e
"$bin" index remove "$tmp/lex.dpx" "$subs/s01" nope 2> "$tmp/rm.err"; rc=$?
set -e
[ $rc = 3 ] && grep -q "no document 'nope' in the index" "$tmp/rm.err" || fail "remove unknown: $rc"
cmp -s "$tmp/lex.dpx" "$tmp/before.dpx" || fail "failed remove changed the index"

# damaged files are refused with the file named
head -c 1000 "$tmp/lex.dpx" > "$tmp/cut.dpx"
cp "$tmp/lex.dpx" "$tmp/flip.dpx"
printf '\x5a' | dd of="$tmp/flip.dpx" bs=1 seek=5000 conv=notrunc status=none
set +e
"$bin" index query "$tmp/cut.dpx" "$tmp/new.txt" 2> "$tmp/cut.err"; r1=$?
"$bin" index query "$tmp/flip.dpx" "$tmp/new.txt" 2> "$tmp/flip.err"; r2=$?
"$bin" index query "$tmp/new.txt" "$tmp/new.txt" 2> "$tmp/not.err"; r3=$?
set -e
[ $r1 = 3 ] && grep -q "$tmp/cut.dpx" "$tmp/cut.err" && grep -q "cut short" "$tmp/cut.err" || fail "truncated: $r1 $(cat "$tmp/cut.err")"
[ $r2 = 3 ] && grep -q "checksum" "$tmp/flip.err" || fail "flipped: $r2 $(cat "$tmp/flip.err")"
[ $r3 = 3 ] && grep -q "not a doppel index file" "$tmp/not.err" || fail "not an index: $r3 $(cat "$tmp/not.err")"

# ---- with a model ---------------------------------------------------------
small=(--embed-dim 16 --hidden 16 --out-dim 32 --buckets 4096)
"$bin" init-model -o "$tmp/m1.dpm" --seed 1 "${small[@]}" > /dev/null
"$bin" init-model -o "$tmp/m2.dpm" --seed 2 "${small[@]}" > /dev/null
"$bin" index create "$tmp/mod.dpx" -m "$tmp/m1.dpm" --template "$demo/template.txt"
out=$("$bin" index add "$tmp/mod.dpx" -m "$tmp/m1.dpm" --by-dir "$subs")
[ "$out" = "added 40, skipped 0; $tmp/mod.dpx holds 40 documents" ] || fail "model add: $out"
# index sweep (no model needed: vectors are stored) == doppel sweep with the model, 1 or 2 threads
"$bin" index sweep "$tmp/mod.dpx" -t 0 > "$tmp/misweep.jsonl"
"$bin" sweep -m "$tmp/m1.dpm" -j 1 -t 0 --by-dir --template "$demo/template.txt" "$subs" > "$tmp/msweep1.jsonl"
"$bin" sweep -m "$tmp/m1.dpm" -j 2 -t 0 --by-dir --template "$demo/template.txt" "$subs" > "$tmp/msweep2.jsonl"
[ "$(grep -c '"type":"pair"' "$tmp/msweep1.jsonl")" = 780 ] || fail "threshold 0 with a model"
diff <(nosum "$tmp/msweep1.jsonl") <(nosum "$tmp/msweep2.jsonl") || fail "1 and 2 threads differ"
diff <(sed 's/"seconds":[^,]*,//' "$tmp/msweep1.jsonl") <(sed 's/"seconds":[^,]*,//' "$tmp/msweep2.jsonl") \
    || fail "1 and 2 threads: summaries differ"
diff <(nosum "$tmp/misweep.jsonl") <(nosum "$tmp/msweep1.jsonl") || fail "model index sweep differs from sweep"
# a query with the model that built the index works; another model is refused by name
"$bin" index query "$tmp/mod.dpx" -m "$tmp/m1.dpm" -t 0 "$tmp/new.txt" > "$tmp/mq.jsonl"
grep -q '"type":"summary","documents":40,"skipped":0,"pairs_compared":40,"pairs_reported":40,' "$tmp/mq.jsonl" \
    || fail "model query summary: $(tail -n 1 "$tmp/mq.jsonl")"
set +e
"$bin" index query "$tmp/mod.dpx" -m "$tmp/m2.dpm" "$tmp/new.txt" 2> "$tmp/mm.err"; r1=$?
"$bin" index query "$tmp/lex.dpx" -m "$tmp/m1.dpm" "$tmp/new.txt" 2> "$tmp/mm2.err"; r2=$?
"$bin" sweep --no-model --reference "$tmp/mod.dpx" "$tmp/new.txt" 2> "$tmp/mm3.err"; r3=$?
set -e
[ $r1 = 3 ] && grep -q "$tmp/mod.dpx: the index was built with a different model" "$tmp/mm.err" || fail "other model: $r1 $(cat "$tmp/mm.err")"
[ $r2 = 3 ] && grep -q "built without a model" "$tmp/mm2.err" || fail "model on a lexical index: $r2 $(cat "$tmp/mm2.err")"
[ $r3 = 2 ] && grep -q "was built with a model" "$tmp/mm3.err" || fail "--no-model with a model index: $r3"

# ---- usage ----------------------------------------------------------------
set +e
"$bin" index 2> /dev/null; r1=$?
"$bin" index bogus 2> "$tmp/u.err"; r2=$?
"$bin" index query "$tmp/lex.dpx" 2> /dev/null; r3=$?
set -e
[ $r1 = 2 ] && [ $r2 = 2 ] && [ $r3 = 2 ] || fail "usage exit codes: $r1 $r2 $r3"
grep -q "unknown subcommand 'bogus'" "$tmp/u.err" || fail "unknown subcommand message"
"$bin" index --help >"$tmp/help" # (not piped into grep -q, which may stop reading before the end)
grep -q '^Usage: doppel index create' "$tmp/help" || fail "help"
echo "index CLI: all checks passed"
