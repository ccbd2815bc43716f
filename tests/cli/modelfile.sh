#!/usr/bin/env bash
# doppel init-model and doppel info: exact JSON values, and errors that name the file.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

expect 0 "$bin" init-model -o "$tmp/m.dpm" --embed-dim 16 --hidden 8 --layers 2 --out-dim 12 \
  --buckets 1000 --pooling max --minn 2 --maxn 4 --seed 7 --hash-seed 99 --dtype int8
expect 0 "$bin" info --model "$tmp/m.dpm"
# params: embed 1000*16 + l0 2*(24*16+24*8+48) + l1 2*(24*16+24*8+48) + proj 12*16+12
# memory_bytes: the int8 table 1000*16 + its scales 4*1000 + 4 * (18700 - 1000*16) fp32 others
want='{"file":"'"$tmp"'/m.dpm","format_version":1,"embed_dim":16,"hidden":8,"layers":2,"out_dim":12,"buckets":1000,"params":18700,"memory_bytes":30800,"pooling":"max","dtype":"int8","hash_seed":99,"minn":2,"maxn":4,"strip_accents":false,"metadata":"doppel init-model: untrained random weights, seed 7"}'
[ "$(cat "$tmp/out")" = "$want" ] || fail "info printed $(cat "$tmp/out")"

# the bag pooling: proj takes [mean ; max] of the states and the token mean: 12*(32+16)+12 of 17836
expect 0 "$bin" init-model -o "$tmp/bag.dpm" --embed-dim 16 --hidden 8 --out-dim 12 --buckets 1000 --pooling meanmaxbag
expect 0 "$bin" info --model "$tmp/bag.dpm"
grep -q '"params":17836,.*"pooling":"meanmaxbag"' "$tmp/out" || fail "bag model: $(cat "$tmp/out")"
# attention pooling: meanmax's 17644 parameters and the 16 of the token-weight vector
expect 0 "$bin" init-model -o "$tmp/attn.dpm" --embed-dim 16 --hidden 8 --out-dim 12 --buckets 1000 --pooling attnmax
expect 0 "$bin" info --model "$tmp/attn.dpm"
grep -q '"params":17660,.*"pooling":"attnmax"' "$tmp/out" || fail "attnmax model: $(cat "$tmp/out")"
expect 2 "$bin" init-model -o "$tmp/x.dpm" --pooling sum
grep -q -- "--pooling expects mean, max, meanmax, meanmaxbag or attnmax, got 'sum'" "$tmp/err" || fail "bad pooling: $(cat "$tmp/err")"

# the same model through $DOPPEL_MODEL; --model wins over it
DOPPEL_MODEL="$tmp/m.dpm" expect 0 "$bin" info
grep -q '"dtype":"int8"' "$tmp/out" || fail "info via \$DOPPEL_MODEL"
expect 0 "$bin" init-model -o "$tmp/f16.dpm" --buckets 64 --embed-dim 4 --hidden 2 --out-dim 3 --dtype fp16
DOPPEL_MODEL="$tmp/m.dpm" expect 0 "$bin" info -m "$tmp/f16.dpm"
grep -q '"dtype":"fp16","hash_seed":7237126754247913521' "$tmp/out" || fail "--model over \$DOPPEL_MODEL: $(cat "$tmp/out")"

# corrupt, truncated, foreign files: exit 3, message names the file
size=$(stat -c %s "$tmp/m.dpm")
head -c $((size / 2)) "$tmp/m.dpm" >"$tmp/trunc.dpm"
expect 3 "$bin" info --model "$tmp/trunc.dpm"
grep -q "^doppel: $tmp/trunc.dpm: byte $((size / 2)): file ends at byte $((size / 2))" "$tmp/err" || fail "truncated: $(cat "$tmp/err")"
cp "$tmp/m.dpm" "$tmp/flip.dpm"
printf '\x55' | dd of="$tmp/flip.dpm" bs=1 seek=2000 conv=notrunc status=none
expect 3 "$bin" info --model "$tmp/flip.dpm"
grep -q "^doppel: $tmp/flip.dpm: .*checksum mismatch" "$tmp/err" || fail "flipped: $(cat "$tmp/err")"
printf 'just some text\n' >"$tmp/foreign.dpm"
expect 3 "$bin" info --model "$tmp/foreign.dpm"
grep -q "^doppel: $tmp/foreign.dpm: .*not a doppel model file" "$tmp/err" || fail "foreign: $(cat "$tmp/err")"
expect 3 "$bin" info --model "$tmp/absent.dpm"
grep -q "^doppel: $tmp/absent.dpm: " "$tmp/err" || fail "absent: $(cat "$tmp/err")"

# no model anywhere: the message lists every place looked at (only checkable while the
# source tree has no default model)
if [ ! -e "$src/corpora/models/default.dpm" ]; then
  expect 3 "$bin" info
  grep -q '\$DOPPEL_MODEL (not set)' "$tmp/err" || fail "missing: $(cat "$tmp/err")"
  grep -qF "$src/corpora/models/default.dpm (no such file)" "$tmp/err" || fail "missing: $(cat "$tmp/err")"
  grep -q '/default.dpm (no such file)' "$tmp/err" || fail "missing: $(cat "$tmp/err")"
fi

# usage errors
expect 2 "$bin" init-model --dtype fp8 -o "$tmp/x.dpm"
grep -q "fp8" "$tmp/err" || fail "bad dtype message"
# doppel average: weight 0 is the first model (the same vectors), the metadata says the weight;
# another architecture, a missing file and a weight outside [0, 1] are refused
small="--buckets 500 --embed-dim 8 --hidden 4 --out-dim 6"
expect 0 "$bin" init-model -o "$tmp/a.dpm" $small --seed 1
expect 0 "$bin" init-model -o "$tmp/b.dpm" $small --seed 2
printf 'a cat sat on the mat\nthe dog ran home\n' >"$tmp/texts"
expect 0 "$bin" average "$tmp/a.dpm" "$tmp/b.dpm" --weight 0 --dtype fp32 -o "$tmp/w0.dpm"
expect 0 "$bin" embed -m "$tmp/a.dpm" "$tmp/texts"; cp "$tmp/out" "$tmp/va"
expect 0 "$bin" embed -m "$tmp/w0.dpm" "$tmp/texts"
cmp -s "$tmp/out" "$tmp/va" || fail "average --weight 0 changed the vectors"
expect 0 "$bin" info -m "$tmp/w0.dpm"
grep -q '"dtype":"fp32",.*"metadata":"doppel average: weight 0 of the second model"' "$tmp/out" || fail "average info: $(cat "$tmp/out")"
expect 0 "$bin" average "$tmp/a.dpm" "$tmp/b.dpm" --weight 0.5 -o "$tmp/w5.dpm"
expect 0 "$bin" embed -m "$tmp/w5.dpm" "$tmp/texts"
cmp -s "$tmp/out" "$tmp/va" && fail "average --weight 0.5 gave the first model's vectors"
expect 0 "$bin" init-model -o "$tmp/c.dpm" --buckets 500 --embed-dim 8 --hidden 5 --out-dim 6
expect 3 "$bin" average "$tmp/a.dpm" "$tmp/c.dpm" --weight 0.5 -o "$tmp/x.dpm"
grep -q "^doppel: average: the two models differ in architecture" "$tmp/err" || fail "average mismatch: $(cat "$tmp/err")"
expect 3 "$bin" average "$tmp/a.dpm" "$tmp/none.dpm" --weight 0.5 -o "$tmp/x.dpm"
grep -q "^doppel: $tmp/none.dpm: " "$tmp/err" || fail "average missing file: $(cat "$tmp/err")"
expect 2 "$bin" average "$tmp/a.dpm" "$tmp/b.dpm" --weight 2 -o "$tmp/x.dpm"
[ ! -e "$tmp/x.dpm" ] || fail "a refused average wrote a file"

expect 2 "$bin" init-model
expect 2 "$bin" info --bogus
grep -q "unknown option '--bogus'" "$tmp/err" || fail "unknown option message"
expect 0 "$bin" info --help
echo ok
