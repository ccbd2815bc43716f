#!/usr/bin/env bash
# What becomes a document, and what an index file keeps (issue 16, items 1-3):
# `index create` never replaces an existing index unless --force; --include/--exclude;
# doppel's own reports skipped with a note; one document per real file; a repeated
# --jsonl id skipped with FILE:LINE; nothing to compare is an error (exit 3), not an
# all-clear.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
subs=$src/corpora/demo/submissions

# ---- 1. index create refuses an existing file --------------------------------
"$bin" index create "$tmp/a.dpx" --no-model
"$bin" index add "$tmp/a.dpx" --by-dir "$subs" > /dev/null
before=$(sha256sum < "$tmp/a.dpx")
expect 3 "$bin" index create "$tmp/a.dpx" --no-model
grep -q "a.dpx: already exists (nothing written)" "$tmp/err" || fail "index create: no message: $(cat "$tmp/err")"
same "$(sha256sum < "$tmp/a.dpx")" "$before" "index create over an index: the file changed"
echo "not an index" > "$tmp/other"
expect 3 "$bin" index create "$tmp/other" --no-model
same "$(cat "$tmp/other")" "not an index" "index create over another file"
expect 0 "$bin" index create "$tmp/a.dpx" --no-model --force
"$bin" index sweep "$tmp/a.dpx" -o "$tmp/forced.jsonl" 2> "$tmp/forced.err" || true
grep -q "0 documents: nothing to compare" "$tmp/forced.err" || fail "--force: the index was not replaced by an empty one"

# ---- 2. what becomes a document -----------------------------------------------
mkdir -p "$tmp/c/sub"
for s in s01 s02 s12 s39; do cp "$subs/$s/essay.txt" "$tmp/c/$s.txt"; done
cp "$subs/s05/essay.txt" "$tmp/c/sub/s05.md"
# --include / --exclude (names, or whole paths when the pattern has a '/')
"$bin" sweep --no-model --include '*.md' --include 's0*' "$tmp/c" -o "$tmp/inc.jsonl"
grep -q '"type":"summary","documents":3,' "$tmp/inc.jsonl" || fail "--include: $(tail -n 1 "$tmp/inc.jsonl")"
! grep -q 's12.txt\|s39.txt' "$tmp/inc.jsonl" || fail "--include took a file it does not match"
"$bin" sweep --no-model --exclude '*/sub/*' --exclude 's01.txt' "$tmp/c" -o "$tmp/exc.jsonl"
grep -q '"type":"summary","documents":3,' "$tmp/exc.jsonl" || fail "--exclude: $(tail -n 1 "$tmp/exc.jsonl")"
! grep -q 's01.txt\|s05.md' "$tmp/exc.jsonl" || fail "--exclude kept a file it matches"
"$bin" index create "$tmp/inc.dpx" --no-model
out=$("$bin" index add "$tmp/inc.dpx" --exclude '*.md' "$tmp/c")
same "$out" "added 4, skipped 0; $tmp/inc.dpx holds 4 documents" "index add --exclude"

# doppel's own reports (HTML, JSON Lines, CSV), this version's and an earlier HTML one,
# are skipped with a note, never compared
"$bin" sweep --no-model "$tmp/c" -o "$tmp/r.html"
"$bin" sweep --no-model "$tmp/c" -o "$tmp/r.jsonl"
"$bin" sweep --no-model "$tmp/c" -o "$tmp/r.csv"
cp "$tmp/r.html" "$tmp/r.jsonl" "$tmp/r.csv" "$tmp/c/"
printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<title>doppel sweep report</title>\n' > "$tmp/c/old.html"
cat "$tmp/r.html" >> "$tmp/c/old.html"
"$bin" sweep --no-model "$tmp/c" -o "$tmp/own.jsonl" 2> "$tmp/own.err"
grep -q '"type":"summary","documents":5,"skipped":4,' "$tmp/own.jsonl" || fail "own reports: $(tail -n 1 "$tmp/own.jsonl")"
for f in r.html old.html; do
  grep -qF "$tmp/c/$f: skipped: a report written by doppel (HTML), not a document" "$tmp/own.err" || fail "$f: no note"
done
grep -qF "$tmp/c/r.jsonl: skipped: a report written by doppel (JSON Lines), not a document" "$tmp/own.err" || fail "jsonl: no note"
grep -qF "$tmp/c/r.csv: skipped: a report written by doppel (CSV), not a document" "$tmp/own.err" || fail "csv: no note"
! grep -q '"a":"[^"]*\(r\.html\|r\.csv\|r\.jsonl\|old\.html\)"\|"b":"[^"]*\(r\.html\|r\.csv\|r\.jsonl\|old\.html\)"' "$tmp/own.jsonl" \
  || fail "a report was compared"
rm "$tmp/c/"r.* "$tmp/c/old.html"

# one document per real file: named twice, reached through a symlink
ln -s "$tmp/c/s12.txt" "$tmp/c/sub/link.txt"
"$bin" sweep --no-model "$tmp/c" "$tmp/c/s01.txt" -o "$tmp/real.jsonl" 2> "$tmp/real.err"
grep -q '"type":"summary","documents":5,"skipped":2,' "$tmp/real.jsonl" || fail "real files: $(tail -n 1 "$tmp/real.jsonl")"
grep -qF "$tmp/c/s01.txt: skipped: the same file as $tmp/c/s01.txt" "$tmp/real.err" || fail "named twice: $(cat "$tmp/real.err")"
grep -qF "$tmp/c/sub/link.txt: skipped: the same file as $tmp/c/s12.txt" "$tmp/real.err" || fail "symlink: $(cat "$tmp/real.err")"
python3 - "$tmp/real.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "pair":
        assert o["a"] != o["b"], o
        assert o["score"] < 0.999, ("a file compared with itself", o["a"], o["b"], o["score"])
PY
rm "$tmp/c/sub/link.txt"
# a --by-dir submission reached twice (a symlink to its directory)
mkdir "$tmp/d"; cp -r "$subs/s01" "$subs/s02" "$tmp/d/"; ln -s "$tmp/d/s01" "$tmp/d/s03"
"$bin" sweep --no-model --by-dir "$tmp/d" -o "$tmp/bd.jsonl" 2> "$tmp/bd.err"
grep -q '"type":"summary","documents":2,"skipped":1,' "$tmp/bd.jsonl" || fail "by-dir twice: $(tail -n 1 "$tmp/bd.jsonl")"
grep -qF "$tmp/d/s03: skipped: the same file as $tmp/d/s01" "$tmp/bd.err" || fail "by-dir twice: $(cat "$tmp/bd.err")"

# a repeated --jsonl id: the later line skipped, named by FILE:LINE with the first's
python3 - "$tmp/dup.jsonl" "$subs" <<'PY'
import json, sys
t = lambda s: open(f"{sys.argv[2]}/{s}/essay.txt").read()
with open(sys.argv[1], "w") as f:
    for i, s in [("x", "s12"), ("y", "s39"), ("x", "s01"), ("z", "s02")]:
        f.write(json.dumps({"id": i, "text": t(s)}) + "\n")
PY
"$bin" sweep --no-model --jsonl "$tmp/dup.jsonl" -o "$tmp/dup.out.jsonl" 2> "$tmp/dup.err"
grep -qF "$tmp/dup.jsonl:3: skipped: duplicate id \"x\" (first at $tmp/dup.jsonl:1)" "$tmp/dup.err" || fail "dup id: $(cat "$tmp/dup.err")"
grep -q '"type":"summary","documents":3,"skipped":1,' "$tmp/dup.out.jsonl" || fail "dup id: $(tail -n 1 "$tmp/dup.out.jsonl")"
grep -q '"a":"x","b":"y"' "$tmp/dup.out.jsonl" || fail "dup id: the first x (s12) no longer matches y (s39)"
! grep -q '"a":"x","b":"x"' "$tmp/dup.out.jsonl" || fail "dup id: x compared with x"

# ---- 3. nothing to compare is not an all-clear --------------------------------
mkdir "$tmp/empty" "$tmp/one"
cp "$subs/s01/essay.txt" "$tmp/one/"
expect 3 "$bin" sweep --no-model "$tmp/empty"
grep -q "0 documents: nothing to compare" "$tmp/err" || fail "empty folder: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "empty folder: a report was written"
expect 3 "$bin" sweep --no-model "$tmp/one" -o "$tmp/one.html"
grep -q "1 document: nothing to compare" "$tmp/err" || fail "one document: $(cat "$tmp/err")"
[ ! -e "$tmp/one.html" ] || fail "one document: a report was written"
printf '\0\1\2\3binary' > "$tmp/empty/x.bin"
expect 3 "$bin" sweep --no-model "$tmp/empty"
grep -q "0 documents (1 skipped): nothing to compare" "$tmp/err" || fail "only skipped: $(cat "$tmp/err")"
expect 3 "$bin" sweep --no-model --reference "$tmp/one" "$tmp/empty"
grep -q "0 documents besides 1 reference (1 skipped): nothing to compare" "$tmp/err" || fail "refs only: $(cat "$tmp/err")"
expect 0 "$bin" sweep --no-model --reference "$tmp/c/s01.txt" "$tmp/one"
"$bin" index create "$tmp/e.dpx" --no-model
expect 3 "$bin" index query "$tmp/e.dpx" "$tmp/one/essay.txt"
grep -q "holds 0 documents: nothing to compare" "$tmp/err" || fail "empty index query: $(cat "$tmp/err")"
expect 3 "$bin" index sweep "$tmp/e.dpx"
# two unrelated documents: compared, nothing found, said so
printf 'The river ran high all spring.\n' > "$tmp/u1.txt"; printf 'Bread rises when yeast is warm.\n' > "$tmp/u2.txt"
expect 0 "$bin" sweep --no-model -f table "$tmp/u1.txt" "$tmp/u2.txt"
grep -q "no similar pairs among 2 documents (1 pairs compared)" "$tmp/out" || fail "table all-clear: $(cat "$tmp/out")"
echo "inputs: ok"
