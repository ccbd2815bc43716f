#!/usr/bin/env bash
# doppel sweep --dedup: clusters of near-duplicates (an exact copy, a copy with a few words
# changed, the original with a paragraph added) and which to keep (the most words), as JSON
# Lines, CSV and a table, the same on 1 and 2 threads, --timings naming the stages (the
# model's meaning pass too); unrelated essays stay out;
# formats other than jsonl/csv/table are refused; a model that strips accents reads the
# words of the lexical pass too.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo/submissions
model=$src/corpora/models/default.dpm
mkdir "$tmp/c"
cp "$demo/s05/essay.txt" "$tmp/c/orig.txt"
cp "$demo/s05/essay.txt" "$tmp/c/copy.txt"
sed -E 's/\bthe\b/a/; s/\band\b/or/; s/\bof\b/in/' "$demo/s05/essay.txt" >"$tmp/c/edited.txt"
{ cat "$demo/s05/essay.txt"; echo; echo "A closing paragraph was added to this copy, so it is the longest one of the group."; } >"$tmp/c/longer.txt"
for s in s01 s02 s08 s13; do cp "$demo/$s/essay.txt" "$tmp/c/$s.txt"; done
cmp -s "$tmp/c/orig.txt" "$tmp/c/edited.txt" && fail "the edit changed nothing"

for mode in "-m $model" "--no-model"; do
    for j in 1 2; do
        # shellcheck disable=SC2086
        expect 0 "$bin" sweep --dedup $mode -j $j --timings "$tmp/c" -o "$tmp/d$j.jsonl"
    done
    # --timings: every stage, and with a model the meaning pass's
    pat='^doppel: timings: model [0-9.]+ s, read\+prepare\+encode [0-9.]+ s, fingerprints [0-9.]+ s, candidates [0-9.]+ s \(all-pairs GEMM [0-9.]+ s\), alignment [0-9.]+ s, '
    [[ $mode == --no-model ]] || pat+='meaning pass [0-9.]+ s \(alignment [0-9.]+ s\), '
    grep -Eq "${pat}report [0-9.]+ s, total [0-9.]+ s$" "$tmp/err" || fail "$mode: timings: $(cat "$tmp/err")"
    cmp "$tmp/d1.jsonl" "$tmp/d2.jsonl" || fail "$mode: 1 and 2 threads differ"
    [[ $(grep -c '"type":"cluster"' "$tmp/d1.jsonl") == 1 ]] || fail "$mode: not one cluster: $(cat "$tmp/d1.jsonl")"
    line=$(grep '"type":"cluster"' "$tmp/d1.jsonl")
    same "$(sed -E 's/.*"keep":"([^"]*)".*/\1/' <<<"$line")" "$tmp/c/longer.txt" "$mode: kept"
    same "$(grep -o '"drop":\[[^]]*\]' <<<"$line")" "\"drop\":[\"$tmp/c/copy.txt\",\"$tmp/c/edited.txt\",\"$tmp/c/orig.txt\"]" "$mode: dropped"
    grep -q '"s01\|s02\|s08\|s13' "$tmp/d1.jsonl" && fail "$mode: an unrelated essay in a cluster"
    grep -q '"type":"summary","mode":"dedup","documents":8,"skipped":0,"clusters":1,"dropped":3,' "$tmp/d1.jsonl" ||
        fail "$mode: summary: $(tail -n 1 "$tmp/d1.jsonl")"
done

# CSV: one row per member, the kept one first
expect 0 "$bin" sweep --dedup --no-model "$tmp/c" -o "$tmp/d.csv"
same "$(head -n 1 "$tmp/d.csv" | tr -d '\r')" "cluster,id,action,words,similarity" "csv header"
same "$(tail -n +2 "$tmp/d.csv" | cut -d, -f1-3 | tr -d '\r' | tr '\n' ' ')" \
    "1,$tmp/c/longer.txt,keep 1,$tmp/c/copy.txt,drop 1,$tmp/c/edited.txt,drop 1,$tmp/c/orig.txt,drop " "csv rows"
# the table, and a threshold above what a light edit keeps (edited.txt leaves the cluster)
expect 0 "$bin" sweep --dedup --no-model -t 1 -f table "$tmp/c"
grep -q "^cluster 1: keep $tmp/c/longer.txt" "$tmp/out" || fail "table: $(cat "$tmp/out")"
grep -q "edited.txt" "$tmp/out" && fail "-t 1 kept a light edit in the cluster: $(cat "$tmp/out")"
# a model that strips accents: the lexical pass reads words as the model does, so a copy
# written with accents is an exact copy (its words went to the model unstripped before)
"$bin" init-model -o "$tmp/strip.dpm" --buckets 2048 --embed-dim 16 --hidden 12 --out-dim 24 --seed 3 \
    --strip-accents >/dev/null
mkdir "$tmp/acc"
cp "$demo/s05/essay.txt" "$tmp/acc/orig.txt"
sed 's/e/\xc3\xa9/g' "$demo/s05/essay.txt" >"$tmp/acc/accented.txt"
cp "$demo/s01/essay.txt" "$tmp/acc/s01.txt"
expect 0 "$bin" sweep --dedup -m "$tmp/strip.dpm" "$tmp/acc" -o "$tmp/acc.jsonl"
grep -q "\"id\":\"$tmp/acc/accented.txt\",\"words\":[0-9]*,\"similarity\":1," "$tmp/acc.jsonl" ||
    fail "the accented copy is not an exact copy: $(cat "$tmp/acc.jsonl")"
# a file in another format, read again by the meaning pass: an HTML copy is in the
# cluster, on 1 and 2 threads alike
mkdir "$tmp/fm"
cp "$demo/s05/essay.txt" "$tmp/fm/orig.txt"
{ echo "<html><head><title>Essay</title></head><body><p>"; sed 's/&/\&amp;/g; s/</\&lt;/g' "$demo/s05/essay.txt"; echo "</p></body></html>"; } >"$tmp/fm/copy.html"
cp "$demo/s01/essay.txt" "$tmp/fm/s01.txt"
cp "$demo/s13/essay.txt" "$tmp/fm/s13.txt"
for j in 1 2; do
    expect 0 "$bin" sweep --dedup -m "$model" -j $j "$tmp/fm" -o "$tmp/fm$j.jsonl"
done
cmp "$tmp/fm1.jsonl" "$tmp/fm2.jsonl" || fail "formats: 1 and 2 threads differ"
grep -q "\"type\":\"cluster\".*\"drop\":\[\"$tmp/fm/[a-z]*\.[a-z]*\"\]" "$tmp/fm1.jsonl" &&
    grep -q "copy.html" "$tmp/fm1.jsonl" || fail "formats: the HTML copy is not in a cluster: $(cat "$tmp/fm1.jsonl")"
expect 2 "$bin" sweep --dedup --no-model -f html "$tmp/c"
grep -q -- "--dedup writes its clusters" "$tmp/err" || fail "html refused without a reason"
echo ok
