#!/usr/bin/env bash
# Sharded indexes: `mpirun -np N doppel index add --mpi` writes one shard per rank and a
# manifest; the sharded index, queried by one process, swept by one process or by N
# ranks, and merged into one file (`index merge`), equals the index one process builds
# from the same documents: the merged file byte for byte, queries and sweeps line for
# line. Also: uneven splits (3 ranks on 7 documents, 4 ranks on 2), a second add on
# top (new shard names, the old ones removed), ids already in another rank's shard,
# a job that fails (a rank that cannot write its shard, a rank killed) leaving the
# index as it was. Built without MPI, --mpi says so (and the rest is skipped).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

if [ "${DOPPEL_MPI:-0}" != 1 ]; then
  "$bin" index create "$tmp/ix.dpx" --no-model >/dev/null
  expect 2 "$bin" index add --mpi "$tmp/ix.dpx" "$src/corpora/demo/submissions"
  grep -q 'built without MPI' "$tmp/err" || fail "no 'built without MPI' message"
  echo "SKIP: this doppel was built without MPI; only its refusal of index add --mpi was checked"
  exit 77
fi

run() { mpirun --oversubscribe --allow-run-as-root -np "$@"; }
norm() { sed -E 's/"seconds":[0-9.e+-]+,//' "$1" | sort; }
same_report() { diff <(norm "$1") <(norm "$2") >&2 || fail "$3"; }

# 60 generated documents (planted copies among them) and an empty one, a skipped entry
python3 "$src/bench/gen_corpus.py" --docs 60 --seed 13 --jsonl "$tmp/gen.jsonl" >/dev/null
echo '{"id":"empty","text":""}' >>"$tmp/gen.jsonl"
head -n 40 "$tmp/gen.jsonl" >"$tmp/a.jsonl"
tail -n +41 "$tmp/gen.jsonl" >"$tmp/b.jsonl"
python3 - "$tmp/gen.jsonl" "$tmp/q.txt" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1])]
# a query that takes passages from two documents of different shards
open(sys.argv[2], "w").write(docs[3]["text"][:1500] + "\n\n" + docs[50]["text"][:1500])
PY

# build NAME NP JSONL...: one process into NAME.one.dpx, NP ranks into NAME.dpx
build() {
  local name=$1 np=$2; shift 2
  "$bin" index create "$tmp/$name.one.dpx" >/dev/null
  "$bin" index create "$tmp/$name.dpx" >/dev/null
  for f in "$@"; do
    "$bin" index add "$tmp/$name.one.dpx" -j 1 --jsonl "$f" >/dev/null 2>&1
    run "$np" "$bin" index add --mpi "$tmp/$name.dpx" -j 1 --jsonl "$f" >"$tmp/out" 2>"$tmp/err" ||
      { cat "$tmp/err" >&2; fail "$name: index add --mpi on $np ranks failed"; }
  done
  grep -q "in $np shards" "$tmp/out" || { cat "$tmp/out" >&2; fail "$name: not $np shards"; }
}

# check NAME NP: the sharded index answers as the one-process index does
check() {
  local name=$1 np=$2
  "$bin" index query "$tmp/$name.one.dpx" "$tmp/q.txt" -j 1 -f jsonl -o "$tmp/$name.q1.jsonl"
  "$bin" index query "$tmp/$name.dpx" "$tmp/q.txt" -j 1 -f jsonl -o "$tmp/$name.qs.jsonl"
  same_report "$tmp/$name.q1.jsonl" "$tmp/$name.qs.jsonl" "$name: a query of the sharded index differs"
  "$bin" index sweep "$tmp/$name.one.dpx" -j 1 --all-pairs-limit 20 -o "$tmp/$name.s1.jsonl" 2>/dev/null
  "$bin" index sweep "$tmp/$name.dpx" -j 1 --all-pairs-limit 20 -o "$tmp/$name.ss.jsonl" 2>/dev/null
  same_report "$tmp/$name.s1.jsonl" "$tmp/$name.ss.jsonl" "$name: one process's sweep of the sharded index differs"
  run "$np" "$bin" index sweep "$tmp/$name.dpx" --mpi -j 1 --all-pairs-limit 20 -o "$tmp/$name.sm.jsonl" 2>"$tmp/err" ||
    { cat "$tmp/err" >&2; fail "$name: index sweep --mpi failed"; }
  same_report "$tmp/$name.s1.jsonl" "$tmp/$name.sm.jsonl" "$name: index sweep --mpi on $np ranks differs"
  "$bin" index merge "$tmp/$name.dpx" -o "$tmp/$name.merged.dpx" >/dev/null
}

build two 2 "$tmp/gen.jsonl"
[ -f "$tmp/two.dpx.0" ] && [ -f "$tmp/two.dpx.1" ] || fail "no shards two.dpx.0 and .1"
check two 2
grep -q '"type":"pair"' "$tmp/two.q1.jsonl" || fail "the query found nothing: nothing was compared"
grep -q '"type":"skipped"' "$tmp/two.sm.jsonl" || fail "the empty document is not reported as skipped"
cmp "$tmp/two.merged.dpx" "$tmp/two.one.dpx" || fail "the merged index is not the one-process index"

# uneven: 3 ranks on 7 documents, 4 ranks on 2 (two empty shards); swept by other counts
head -n 7 "$tmp/gen.jsonl" >"$tmp/seven.jsonl"
build seven 3 "$tmp/seven.jsonl"
check seven 2
cmp "$tmp/seven.merged.dpx" "$tmp/seven.one.dpx" || fail "3 ranks on 7 documents: merged index differs"
head -n 2 "$tmp/gen.jsonl" >"$tmp/pair.jsonl"
build pair 4 "$tmp/pair.jsonl"
check pair 3
cmp "$tmp/pair.merged.dpx" "$tmp/pair.one.dpx" || fail "4 ranks on 2 documents: merged index differs"

# --list files split in byte ranges: each rank adds the files of the lines in its range
# (folders walked, a file named again in another rank's range added once)
sub=$src/corpora/demo/submissions
{ ls -d "$sub"/* | head -n 9; echo; echo "$sub/s01/essay.txt"; } >"$tmp/files.list"
"$bin" index create --no-model "$tmp/list.one.dpx" >/dev/null
"$bin" index create --no-model "$tmp/list.dpx" >/dev/null
"$bin" index add "$tmp/list.one.dpx" -j 1 --list "$tmp/files.list" >"$tmp/out.one" 2>/dev/null
grep -q "added 10, skipped 1;" "$tmp/out.one" || { cat "$tmp/out.one" >&2; fail "--list: not 10 added, 1 skipped"; }
run 3 "$bin" index add --mpi "$tmp/list.dpx" -j 1 --list "$tmp/files.list" >"$tmp/out" 2>"$tmp/err" ||
  { cat "$tmp/err" >&2; fail "index add --mpi --list on 3 ranks failed"; }
grep -q "added 10, skipped 1; .* in 3 shards" "$tmp/out" || { cat "$tmp/out" >&2; fail "--list: not as one process on 3 ranks"; }
"$bin" index merge "$tmp/list.dpx" -o "$tmp/list.merged.dpx" >/dev/null
cmp "$tmp/list.merged.dpx" "$tmp/list.one.dpx" || fail "--list on 3 ranks: merged index differs"

# a second add on top: new shard files, the old ones gone; ids already in the index
# (two of them held by the other rank's shard) are skipped as one process skips them
build twice 2 "$tmp/a.jsonl" "$tmp/b.jsonl"
sed -n 29,31p "$tmp/a.jsonl" >"$tmp/again.jsonl"
head -n 3 "$tmp/a.jsonl" >>"$tmp/again.jsonl"
"$bin" index add "$tmp/twice.one.dpx" -j 1 --jsonl "$tmp/again.jsonl" >/dev/null 2>&1
run 2 "$bin" index add --mpi "$tmp/twice.dpx" -j 1 --jsonl "$tmp/again.jsonl" >"$tmp/out" 2>"$tmp/err"
grep -q "added 0, skipped 6; .* holds 60 documents in 2 shards" "$tmp/out" || { cat "$tmp/out" >&2; fail "ids already in the index were added"; }
[ "$(grep -c 'already in the index' "$tmp/err")" = 6 ] || { cat "$tmp/err" >&2; fail "not 6 warnings for ids already in the index"; }
[ -f "$tmp/twice.dpx.0" ] && [ -f "$tmp/twice.dpx.1" ] || fail "the third generation is not named twice.dpx.0 and .1"
[ ! -e "$tmp/twice.dpx.0.g2" ] || fail "the second generation's shards were left"
check twice 2
cmp "$tmp/twice.merged.dpx" "$tmp/twice.one.dpx" || fail "three adds on 2 ranks: merged index differs"

# a job that fails leaves the index as it was: a rank that cannot write its shard ...
cp "$tmp/twice.dpx" "$tmp/before.dpx"
mkdir "$tmp/twice.dpx.1.g4"
st=0
run 2 "$bin" index add --mpi "$tmp/twice.dpx" -j 1 "$src/corpora/demo/submissions" >/dev/null 2>"$tmp/err" || st=$?
[ "$st" != 0 ] || fail "the add whose rank 1 cannot write succeeded"
grep -q 'rank 1 of 2 failed' "$tmp/err" || { cat "$tmp/err" >&2; fail "the failing rank is not named"; }
cmp "$tmp/twice.dpx" "$tmp/before.dpx" || fail "the manifest changed in a failed add"
[ ! -e "$tmp/twice.dpx.0.g4" ] || fail "rank 0's shard of a failed add was left"
rmdir "$tmp/twice.dpx.1.g4"
# ... and a rank killed outright
st=0
run 2 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then (sleep 0.3; kill -KILL $$) & fi; exec "$0" "$@"' \
  "$bin" index add --mpi "$tmp/twice.dpx" -j 1 --jsonl "$tmp/gen.jsonl" >/dev/null 2>"$tmp/err" || st=$?
[ "$st" != 0 ] || fail "the add with a killed rank succeeded"
cmp "$tmp/twice.dpx" "$tmp/before.dpx" || fail "the manifest changed when a rank was killed"
"$bin" index query "$tmp/twice.dpx" "$tmp/q.txt" -j 1 -f jsonl -o "$tmp/after.jsonl"
same_report "$tmp/twice.q1.jsonl" "$tmp/after.jsonl" "the index answers otherwise after failed adds"

# one process does not change a sharded index by itself, nor reads a shard changed
# behind the manifest
expect 3 "$bin" index add "$tmp/twice.dpx" -j 1 --jsonl "$tmp/b.jsonl"
grep -q 'sharded index' "$tmp/err" || fail "index add of a sharded index: no reason given"
expect 3 "$bin" index remove "$tmp/twice.dpx" d000001
cmp "$tmp/twice.dpx" "$tmp/before.dpx" || fail "a refused add or remove changed the manifest"
cp "$tmp/two.dpx.0" "$tmp/twice.dpx.0"
expect 3 "$bin" index query "$tmp/twice.dpx" "$tmp/q.txt"
grep -q 'twice.dpx.0 is not the one the manifest names' "$tmp/err" || { cat "$tmp/err" >&2; fail "a replaced shard was not refused"; }

# merged in place: one file, the shards removed
"$bin" index merge "$tmp/two.dpx" >/dev/null
cmp "$tmp/two.dpx" "$tmp/two.one.dpx" || fail "the index merged in place differs"
[ ! -e "$tmp/two.dpx.0" ] && [ ! -e "$tmp/two.dpx.1" ] || fail "merging in place left the shards"
expect 3 "$bin" index merge "$tmp/seven.dpx" -o "$tmp/seven.one.dpx"
grep -q 'already exists' "$tmp/err" || fail "index merge -o over an existing file: no refusal"

# written over: index create --force and index merge -o FILE --force replace a sharded
# index with one file and remove its shards (after the file is in place); a file a
# manifest names that is no index file is never removed
"$bin" index merge "$tmp/seven.dpx" -o "$tmp/pair.dpx" --force >/dev/null
cmp "$tmp/pair.dpx" "$tmp/seven.merged.dpx" || fail "index merge -o over a sharded index: not the merged index"
for r in 0 1 2 3; do [ ! -e "$tmp/pair.dpx.$r" ] || fail "index merge -o --force left the shard pair.dpx.$r"; done
expect 3 "$bin" index create "$tmp/seven.dpx" --no-model
[ -f "$tmp/seven.dpx.2" ] || fail "a refused index create touched the shards"
"$bin" index create --force "$tmp/seven.dpx" --no-model >/dev/null
[ "$(head -c 8 "$tmp/seven.dpx" | tr -d '\0')" = DOPPELX ] || fail "index create --force over a sharded index: not one index file"
for r in 0 1 2; do [ ! -e "$tmp/seven.dpx.$r" ] || fail "index create --force left the shard seven.dpx.$r"; done
build keep 2 "$tmp/pair.jsonl"
echo "not an index" >"$tmp/keep.dpx.0" # the manifest's shard replaced by another file
"$bin" index create --force "$tmp/keep.dpx" --no-model >/dev/null
[ -f "$tmp/keep.dpx.0" ] && [ ! -e "$tmp/keep.dpx.1" ] || fail "index create --force removed a file that is no shard, or left a shard"

echo "ok: sharded indexes built by 2-4 ranks equal one process's index (merged, queried, swept)"
