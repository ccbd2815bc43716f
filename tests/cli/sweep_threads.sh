#!/usr/bin/env bash
# doppel sweep aligns pairs on 1 or 2 threads with identical output bytes (the summary's
# "seconds" aside): the demo corpus at --threshold 0 (780 pairs, several chunks), with the
# default model and lexical only; --timings names every stage on stderr. Then a corpus of
# 160 documents read in blocks (documents prepared on the workers together) that takes
# the candidates, with a malformed line and a document without words among them: both
# skipped and reported, in order, and the same report on 1 and 2 threads.
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

# documents of 3-6 demo paragraphs in a seeded order (paragraphs recur across documents),
# line 41 malformed, line 97 without words
awk 'BEGIN { RS = ""; } { gsub(/\\/, " "); gsub(/"/, "'\''"); gsub(/[\t\r\n]+/, " "); print }' \
    "$demo"/submissions/*/essay.txt >"$tmp/paras"
awk -v n=160 'BEGIN { srand(7) } { p[NR] = $0 } END {
    for (d = 1; d <= n; d++) {
        if (d == 41) { print "{\"id\":\"bad\",\"text\":"; continue }
        if (d == 97) { print "{\"id\":\"d97\",\"text\":\"-- ... --\"}"; continue }
        t = ""; k = 3 + int(rand() * 4)
        for (i = 0; i < k; i++) t = t (i ? " " : "") p[1 + int(rand() * NR)]
        printf "{\"id\":\"d%d\",\"text\":\"%s\"}\n", d, t
    } }' "$tmp/paras" >"$tmp/c.jsonl"
for mode in "-m $model" "--no-model"; do
    for j in 1 2; do
        # shellcheck disable=SC2086
        "$bin" sweep $mode -j $j --all-pairs-limit 20 --jsonl "$tmp/c.jsonl" -o "$tmp/b$j.jsonl" 2>"$tmp/err$j" ||
            fail "$mode -j $j: $(cat "$tmp/err$j")"
    done
    cmp <(no_seconds "$tmp/b1.jsonl") <(no_seconds "$tmp/b2.jsonl") || fail "$mode: 1 and 2 threads differ (blocks)"
    cmp <(grep warning "$tmp/err1") <(grep warning "$tmp/err2") || fail "$mode: 1 and 2 threads warn differently"
    [[ $(grep -c warning "$tmp/err1") == 2 ]] || fail "$mode: warnings: $(cat "$tmp/err1")"
    summary=$(tail -n 1 "$tmp/b1.jsonl")
    grep -q '"documents":158,' <<<"$summary" || fail "$mode: documents: $summary"
    grep -q '"skipped":2,' <<<"$summary" || fail "$mode: skipped: $summary"
    compared=$(sed -E 's/.*"pairs_compared":([0-9]+).*/\1/' <<<"$summary")
    ((compared < 158 * 157 / 2)) || fail "$mode: every pair compared, not the candidates: $summary"
    grep -q '"type":"pair"' "$tmp/b1.jsonl" || fail "$mode: no pair reported"
    same "$(grep -o '"type":"skipped","id":"[^"]*"' "$tmp/b1.jsonl" | tr '\n' ' ')" \
        "\"type\":\"skipped\",\"id\":\"$tmp/c.jsonl:41\" \"type\":\"skipped\",\"id\":\"d97\" " "$mode: skipped entries"
done
echo ok
