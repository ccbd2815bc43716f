#!/usr/bin/env bash
# doppel train and doppel eval: usage errors, warnings that name FILE and line, a run that
# learns, bit-identical results across thread counts and through --resume, SIGTERM.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
data=$src/tests/train/data

num() { sed -n 's/.*"'"$1"'":\([-0-9.e]*\).*/\1/p' "$tmp/out"; }

tiny=(--embed-dim 16 --hidden 16 --out-dim 32 --buckets 8192)

# usage errors
expect 2 "$bin" train
expect 2 "$bin" train --data "$data/pairs.tsv:csv" --out "$tmp/m.dpm"
grep -q "FILE:FORMAT" "$tmp/err" || fail "bad format not explained"
expect 2 "$bin" train --data "$data/pairs.tsv:tsv:1:hinge" --out "$tmp/m.dpm"
grep -q "unknown loss 'hinge'" "$tmp/err" || fail "bad loss not named"
expect 2 "$bin" train --data "$data/pairs.tsv:tsv" --out "$tmp/m.dpm" --threads 3
expect 2 "$bin" train --bogus
grep -q "unknown option '--bogus'" "$tmp/err" || fail "unknown option not named"
expect 2 "$bin" eval --data "$data/pairs.tsv"
expect 0 "$bin" train --help
grep -q -- "--checkpoint-minutes" "$tmp/out" || fail "train --help"
expect 0 "$bin" eval --help

# a missing data file is a runtime error naming it
expect 3 "$bin" train --data "$tmp/none.tsv:tsv" --out "$tmp/m.dpm" "${tiny[@]}"
grep -q "none.tsv" "$tmp/err" || fail "missing file not named"

# malformed lines: warned with file and line, skipped, counted
expect 0 "$bin" train --data "$data/stsb_slice.tsv:stsb" --data "$data/triplets.tsv:triplets:0.5" \
  --out "$tmp/s.dpm" --steps 3 --batch 4 "${tiny[@]}"
grep -q "warning: $data/stsb_slice.tsv: line 9: stsb: label is not a number, line skipped" "$tmp/err" ||
  fail "line 9 warning: $(cat "$tmp/err")"
grep -q "warning: $data/stsb_slice.tsv: line 10: stsb: too few columns" "$tmp/err" || fail "line 10 warning"
grep -q "warning: $data/stsb_slice.tsv: line 12: stsb: label out of range" "$tmp/err" || fail "line 12 warning"
grep -q "$data/stsb_slice.tsv: 8 pairs (stsb), 3 malformed lines skipped" "$tmp/err" || fail "counts"
grep -q "source 2: $data/triplets.tsv, weight 0.5, loss triplet" "$tmp/err" || fail "source summary"

# paraphrase groups with hard negatives: multipos by default, the same model on 1 or 2
# threads, and the bad lines named
grp=(--data "$data/groups.tsv:groups" --data "$data/stsb_slice.tsv:stsb" --steps 4 --batch 4 --curriculum 0.5 "${tiny[@]}")
expect 0 "$bin" train "${grp[@]}" --threads 2 --out "$tmp/g2.dpm"
grep -q "source 1: $data/groups.tsv, weight 1, loss multipos" "$tmp/err" || fail "groups source: $(cat "$tmp/err")"
grep -q "groups.tsv: line 6: groups: group is not a whole number below 2^32, line skipped" "$tmp/err" ||
  fail "bad group not named: $(cat "$tmp/err")"
expect 0 "$bin" train "${grp[@]}" --threads 1 --out "$tmp/g1.dpm"
cmp -s "$tmp/g1.dpm" "$tmp/g2.dpm" || fail "groups: threads 1 and 2 differ"
expect 2 "$bin" eval --data "$data/groups.tsv" --format groups

# a run that learns: held-out Spearman well above the random model's
expect 0 "$bin" init-model -o "$tmp/init.dpm" "${tiny[@]}"
expect 0 "$bin" eval --model "$tmp/init.dpm" --data "$data/stsb_dev_200.tsv" --format stsb
before=$(num spearman)
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/a.dpm" --steps 200 --batch 32 \
  --lr 0.005 --seed 3 --threads 2 --checkpoint "$tmp/a.ckpt" --dev-stsb "$data/stsb_dev_200.tsv" "${tiny[@]}"
grep -q "step 200/200 .*dev spearman" "$tmp/err" || fail "no final progress line: $(cat "$tmp/err")"
grep -q "pairs/s" "$tmp/err" || fail "no throughput"
expect 0 "$bin" eval --model "$tmp/a.dpm" --data "$data/stsb_dev_200.tsv" --format stsb
after=$(num spearman)
grep -q '^{"model":"'"$tmp"'/a.dpm","data":"'"$data"'/stsb_dev_200.tsv","format":"stsb","pairs":200,"spearman":' \
  "$tmp/out" || fail "eval JSON: $(cat "$tmp/out")"
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a >= b + 0.05) }' || fail "Spearman $before -> $after"

# --pooling attnmax continues a meanmax model: with equal token weights it ranks as before
# (a learning rate of 1e-12 keeps the weights), and it trains
expect 0 "$bin" train --init "$tmp/a.dpm" --pooling attnmax --data "$data/stsb_train_600.tsv:stsb" \
  --out "$tmp/attn0.dpm" --steps 1 --lr 1e-12 --batch 32
expect 0 "$bin" eval --model "$tmp/attn0.dpm" --data "$data/stsb_dev_200.tsv" --format stsb
[ "$(num spearman)" = "$after" ] || fail "attnmax from meanmax: Spearman $(num spearman), was $after"
expect 0 "$bin" train --init "$tmp/a.dpm" --pooling attnmax --data "$data/stsb_train_600.tsv:stsb" \
  --out "$tmp/attn.dpm" --steps 50 --lr 0.005 --batch 32
expect 0 "$bin" info --model "$tmp/attn.dpm"
grep -q '"pooling":"attnmax"' "$tmp/out" || fail "attnmax info: $(cat "$tmp/out")"
expect 2 "$bin" train --init "$tmp/a.dpm" --pooling max --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/x.dpm"
grep -q -- "--pooling max cannot change --init $tmp/a.dpm's meanmax pooling (only meanmax becomes attnmax)" \
  "$tmp/err" || fail "pooling change: $(cat "$tmp/err")"

# the same run on one thread gives the same bytes; so does resuming its final checkpoint
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/b.dpm" --steps 200 --batch 32 \
  --lr 0.005 --seed 3 --threads 1 "${tiny[@]}"
cmp -s "$tmp/a.dpm" "$tmp/b.dpm" || fail "threads 1 and 2 differ"
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/c.dpm" --steps 200 --batch 32 \
  --lr 0.005 --seed 3 --resume "$tmp/a.ckpt" "${tiny[@]}"
cmp -s "$tmp/a.dpm" "$tmp/c.dpm" || fail "resumed model differs"
# a checkpoint of another run is refused
expect 3 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/c.dpm" --steps 200 --batch 16 \
  --seed 3 --resume "$tmp/a.ckpt" "${tiny[@]}"
grep -q "a.ckpt" "$tmp/err" || fail "mismatched checkpoint not named"

# binary labels: ROC-AUC and accuracy
expect 0 "$bin" eval --model "$tmp/a.dpm" --data "$data/paws_slice.tsv" --format paws
grep -q '"pairs":5,"roc_auc":.*"accuracy":.*"threshold":' "$tmp/out" || fail "paws eval: $(cat "$tmp/out")"
grep -q "paws_slice.tsv: line 7: paws: label is not a number" "$tmp/err" || fail "eval warnings"

# SIGTERM: checkpoint written, exit 3, and the checkpoint resumes
"$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/d.dpm" --steps 100000000 --batch 8 \
  --checkpoint "$tmp/d.ckpt" --threads 1 "${tiny[@]}" 2>"$tmp/err" &
pid=$!
for _ in $(seq 50); do grep -q "loss" "$tmp/err" && break; sleep 0.1; done
kill -TERM "$pid"
got=0; wait "$pid" || got=$?
[ "$got" = 3 ] || fail "SIGTERM exit $got"
grep -q "interrupted at step [0-9]*; checkpoint written to $tmp/d.ckpt" "$tmp/err" || fail "$(cat "$tmp/err")"
[ -f "$tmp/d.ckpt" ] && [ ! -f "$tmp/d.dpm" ] || fail "checkpoint/model files after SIGTERM"
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/d.dpm" --steps 1 --batch 8 \
  --resume "$tmp/d.ckpt" "${tiny[@]}"
[ -f "$tmp/d.dpm" ] || fail "no model from the resumed checkpoint"
grep -q "d.ckpt: saved by a run of 100000000 steps; with --steps 1 the learning-rate schedule" "$tmp/err" \
  || fail "another length not warned: $(cat "$tmp/err")"

# --dtype: the embedding table stored as int8 (per-row scale), read back as such
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/q.dpm" --steps 2 --batch 8 \
  --dtype int8 "${tiny[@]}"
expect 0 "$bin" info --model "$tmp/q.dpm"
grep -q '"dtype":"int8"' "$tmp/out" || fail "--dtype int8 not stored: $(cat "$tmp/out")"
expect 2 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --out "$tmp/q.dpm" --dtype int4
# --dev-paws: ROC-AUC and accuracy printed at every evaluation, the same as doppel eval's
expect 0 "$bin" train --data "$data/stsb_train_600.tsv:stsb" --dev-paws "$data/paws_dev_200.tsv" --out "$tmp/w.dpm" \
  --steps 6 --eval-every 3 --batch 8 --threads 1 "${tiny[@]}"
[ "$(grep -c "paws auc [0-9.]* acc [0-9.]*" "$tmp/err")" = 2 ] || fail "paws progress: $(cat "$tmp/err")"
line=$(grep "^step 6/6 " "$tmp/err")
expect 0 "$bin" eval --model "$tmp/w.dpm" --data "$data/paws_dev_200.tsv" --format paws
want=$(awk -v a="$(num roc_auc)" -v b="$(num accuracy)" 'BEGIN { printf "paws auc %.4f acc %.4f", a, b }')
case "$line" in *"$want"*) ;; *) fail "progress '$line' lacks '$want'" ;; esac
grep -q -- "--dev-paws" <("$bin" train --help) || fail "train --help lacks --dev-paws"

# prose and brown sources: pairs made from raw text, an exclusion list, a WordNet directory
printf 'ca02\n# the demo sources\n' >"$tmp/exclude.txt"
expect 0 "$bin" train --data "$data/brown:brown" --exclude-file "$tmp/exclude.txt" --wordnet "$data/wordnet" \
  --out "$tmp/p.dpm" --steps 2 --batch 2 --seed 5 "${tiny[@]}"
grep -q "^doppel: $data/wordnet: 5 WordNet words with synonyms$" "$tmp/err" || fail "wordnet: $(cat "$tmp/err")"
grep -q "^doppel: $data/brown: 1 files (1 excluded), 7 sentences, [1-7] pairs (brown); edits in" "$tmp/err" ||
  fail "brown summary: $(cat "$tmp/err")"
grep -q "source 1: $data/brown, weight 1, loss inbatch" "$tmp/err" || fail "brown loss"
expect 0 "$bin" train --data "$data/prose.txt:prose:1:triplet" --wordnet "$data/wordnet" \
  --out "$tmp/p.dpm" --steps 1 --batch 2 "${tiny[@]}"
grep -q "prose.txt: 1 files (0 excluded), 3 sentences" "$tmp/err" || fail "prose summary: $(cat "$tmp/err")"
expect 3 "$bin" train --data "$data/prose.txt:prose" --wordnet "$tmp" --out "$tmp/p.dpm" "${tiny[@]}"
grep -q "no WordNet index.POS/data.POS files" "$tmp/err" || fail "bad --wordnet: $(cat "$tmp/err")"
expect 3 "$bin" train --data "$data/prose.txt:prose" --exclude-file "$tmp/none" --out "$tmp/p.dpm" "${tiny[@]}"
expect 2 "$bin" eval --data "$data/prose.txt" --format prose --tfidf
grep -q -- "--exclude-file" <("$bin" train --help) || fail "train --help lacks --exclude-file"

# --curriculum: hard batches counted in the log as p ramps to 0.5; the same bytes on 1 and 2
# threads and through --resume; a checkpoint of another curriculum is refused
cur=(--data "$data/brown:brown" --data "$data/kjvweb_slice.tsv:kjvweb" --wordnet "$data/wordnet" --steps 40
  --batch 4 --seed 2 --curriculum 0.5 "${tiny[@]}")
expect 0 "$bin" train "${cur[@]}" --threads 2 --checkpoint "$tmp/k.ckpt" --out "$tmp/k.dpm"
grep -q "^step 10/40  loss [0-9.]*  lr [0-9.e+-]*  hard [0-9]* (p 0.23)  " "$tmp/err" || fail "curriculum log: $(cat "$tmp/err")"
grep -q "^step 40/40  .*  hard [0-9]* (p 0.50)  " "$tmp/err" || fail "curriculum p at the end: $(cat "$tmp/err")"
hard=$(sed -n 's/.* hard \([0-9]*\) (p.*/\1/p' "$tmp/err" | awk '{ n += $1 } END { print n }')
[ "$hard" -ge 3 ] && [ "$hard" -le 26 ] || fail "hard batches $hard, expected the sum of p(s), 14.75 (sd 2.9)"
expect 0 "$bin" train "${cur[@]}" --threads 1 --out "$tmp/k1.dpm"
cmp -s "$tmp/k.dpm" "$tmp/k1.dpm" || fail "curriculum: threads 1 and 2 differ"
expect 0 "$bin" train "${cur[@]}" --resume "$tmp/k.ckpt" --out "$tmp/k2.dpm"
cmp -s "$tmp/k.dpm" "$tmp/k2.dpm" || fail "curriculum: resumed model differs"
expect 3 "$bin" train "${cur[@]}" --curriculum 0.25 --resume "$tmp/k.ckpt" --out "$tmp/k2.dpm"
grep -q "curriculum 0.5" "$tmp/err" || fail "curriculum mismatch not explained: $(cat "$tmp/err")"
expect 2 "$bin" train "${cur[@]}" --curriculum 2 --out "$tmp/k2.dpm"
grep -q -- "--curriculum FRAC" <("$bin" train --help) || fail "train --help lacks --curriculum"

# --baseline tfidf reproduces corpora/models/tfidf_baseline.py (numbers committed by
# tests/train/data/make_tfidf_expected.sh); Pearson differs by the labels' float storage
expect 2 "$bin" eval --baseline bm25 --data "$data/stsb_dev_200.tsv" --format stsb
grep -q "baseline expects tfidf, got 'bm25'" "$tmp/err" || fail "bad baseline not named"
expect 2 "$bin" eval --tfidf --model "$tmp/a.dpm" --data "$data/stsb_dev_200.tsv" --format stsb
while read -r fmt file want; do
  expect 0 "$bin" eval --baseline tfidf --data "$data/$file" --format "$fmt"
  grep -q '^{"baseline":"tfidf","data":' "$tmp/out" || fail "tfidf JSON: $(cat "$tmp/out")"
  for key in pairs spearman roc_auc accuracy pearson; do
    w=$(echo "$want" | sed -n 's/.*"'"$key"'": \([-0-9.e]*\).*/\1/p')
    [ -n "$w" ] || continue
    tol=1e-9; [ "$key" = pearson ] && tol=1e-7
    awk -v a="$(num "$key")" -v b="$w" -v t="$tol" 'BEGIN { d = a - b; exit !(a != "" && d <= t && -d <= t) }' ||
      fail "tfidf $file $key: $(num "$key") vs $w"
  done
done <"$data/tfidf_expected.txt"

echo ok
