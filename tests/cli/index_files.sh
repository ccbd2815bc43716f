#!/usr/bin/env bash
# An index's documents and their files: reports of an index read from another working
# directory show the texts (each document's file is recorded relative to the index's
# folder), a file changed since it was indexed is said so and not shown, --texts gives
# the texts of a JSONL-built index, a file re-added by another name (absolute path,
# symlink, hard link) is not a second document, a format-2 index is read and upgraded
# when written, other versions are refused naming the file and version, and index add /
# query read the formats the sweep reads (.docx).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
subs=$src/corpora/demo/submissions
mkdir -p "$tmp/course" "$tmp/idx" "$tmp/elsewhere"
for s in s01 s12 s39; do cp "$subs/$s/essay.txt" "$tmp/course/$s.txt"; done
# panes without their text, in an HTML report
unshown() { grep -o 'text not available[^<]*' "$1" || true; }

# ---- built in one folder, read from another ----------------------------------
# the ids are paths as given, relative to where the index was built (course/); the index
# lives in idx/; the report is written from elsewhere/
(cd "$tmp/course" && "$bin" index create ../idx/a.dpx --no-model > /dev/null &&
  "$bin" index add ../idx/a.dpx s01.txt s12.txt s39.txt > /dev/null)
(cd "$tmp/elsewhere" && "$bin" index sweep ../idx/a.dpx -o a.html 2> /dev/null)
same "$(unshown "$tmp/elsewhere/a.html")" "" "texts of an index swept from another folder"
grep -qF 'A parallel function for philosophy' "$tmp/elsewhere/a.html" || fail "s12's text is not in the report"
# and a query from there (the query file as given, the indexed ones by their record)
cp "$subs/s29/essay.txt" "$tmp/elsewhere/new.txt"
(cd "$tmp/elsewhere" && "$bin" index query ../idx/a.dpx new.txt -f html -o q.html 2> /dev/null)
grep -q 'class="pair' "$tmp/elsewhere/q.html" || fail "query: no pair"
same "$(unshown "$tmp/elsewhere/q.html")" "" "texts of an index queried from another folder"

# ---- one document per file -----------------------------------------------------
ln -s "$tmp/course/s01.txt" "$tmp/elsewhere/link.txt"
ln "$tmp/course/s12.txt" "$tmp/elsewhere/hard.txt"
(cd "$tmp/course" && "$bin" index add ../idx/a.dpx "$tmp/course/s39.txt" ./s01.txt ../elsewhere/link.txt \
  "$tmp/elsewhere/hard.txt" > "$tmp/readd.out" 2> "$tmp/readd.err")
same "$(cat "$tmp/readd.out")" "added 0, skipped 4; ../idx/a.dpx holds 3 documents" "re-adding by other names"
grep -qF "$tmp/course/s39.txt: skipped: the same file is in the index as 's39.txt'" "$tmp/readd.err" || fail "absolute path"
grep -qF "./s01.txt: skipped: the same file is in the index as 's01.txt'" "$tmp/readd.err" || fail "./ path"
# named twice in one command: the corpus keeps the first, the index keeps none of them
grep -qF "../elsewhere/link.txt: skipped: the same file as ./s01.txt" "$tmp/readd.err" || fail "symlink: $(cat "$tmp/readd.err")"
grep -qF "$tmp/elsewhere/hard.txt: skipped: the same file is in the index as 's12.txt'" "$tmp/readd.err" || fail "hard link"
# and another name is no skipped document of the index
"$bin" index sweep "$tmp/idx/a.dpx" > "$tmp/a.jsonl" 2> /dev/null
grep -q '"type":"summary","documents":3,"skipped":0,' "$tmp/a.jsonl" || fail "index after re-adding: $(tail -n 1 "$tmp/a.jsonl")"

# ---- a file changed since it was indexed --------------------------------------
printf 'A sentence added after indexing.\n' >> "$tmp/course/s39.txt"
(cd "$tmp/elsewhere" && "$bin" index sweep ../idx/a.dpx -o changed.html 2> changed.err)
same "$(unshown "$tmp/elsewhere/changed.html")" \
  "text not available: ../idx/../course/s39.txt changed since it was indexed (not shown: offsets would point at other words))" \
  "the changed file's pane"
grep -qF 'warning: ../idx/../course/s39.txt: changed since it was indexed' "$tmp/elsewhere/changed.err" ||
  fail "no warning of the changed file: $(cat "$tmp/elsewhere/changed.err")"
grep -qF 'A parallel function for philosophy' "$tmp/elsewhere/changed.html" || fail "the unchanged side is not shown"
# gone: where it was tried
rm "$tmp/course/s39.txt"
(cd "$tmp/elsewhere" && "$bin" index sweep ../idx/a.dpx -o gone.html 2> /dev/null)
same "$(unshown "$tmp/elsewhere/gone.html")" \
  "text not available: no readable file at ../idx/../course/s39.txt (where it was indexed) nor at s39.txt)" \
  "the missing file's pane"

# ---- an index built from JSONL: --texts --------------------------------------
python3 - "$subs" "$tmp/docs.jsonl" "$tmp/other.jsonl" <<'PY'
import json, sys
subs, out, other = sys.argv[1:]
docs = {s: open(f"{subs}/{s}/essay.txt", encoding="utf-8").read() for s in ("s12", "s29", "s39")}
with open(out, "w") as f:
    for k, v in docs.items():
        f.write(json.dumps({"id": k, "text": v}) + "\n")
with open(other, "w") as f:  # the same ids, s39's text edited
    f.write(json.dumps({"id": "unrelated", "text": "Not in the index."}) + "\n")
    for k, v in docs.items():
        f.write(json.dumps({"id": k, "text": v + ("Edited.\n" if k == "s39" else "")}) + "\n")
PY
"$bin" index create "$tmp/j.dpx" --no-model > /dev/null
"$bin" index add "$tmp/j.dpx" --jsonl "$tmp/docs.jsonl" > /dev/null
"$bin" index sweep "$tmp/j.dpx" -o "$tmp/j0.html" 2> /dev/null
[ "$(unshown "$tmp/j0.html" | grep -c 'indexed from JSONL, and no --texts FILE.jsonl gave its text')" -ge 2 ] ||
  fail "JSONL index without --texts: $(unshown "$tmp/j0.html")"
"$bin" index sweep "$tmp/j.dpx" --texts "$tmp/docs.jsonl" -o "$tmp/j1.html" 2> /dev/null
same "$(unshown "$tmp/j1.html")" "" "JSONL index with --texts"
grep -qF 'A parallel function for philosophy' "$tmp/j1.html" || fail "--texts: s12's text is not shown"
"$bin" index sweep "$tmp/j.dpx" --texts "$tmp/other.jsonl" -o "$tmp/j2.html" 2> /dev/null
unshown "$tmp/j2.html" | grep -qF "its text in $tmp/other.jsonl differs from the indexed text" ||
  fail "--texts with an edited text: $(unshown "$tmp/j2.html")"
"$bin" index query "$tmp/j.dpx" "$tmp/elsewhere/new.txt" --texts "$tmp/docs.jsonl" -f html -o "$tmp/jq.html" 2> /dev/null
same "$(unshown "$tmp/jq.html")" "" "index query --texts"
expect 2 "$bin" sweep --no-model --texts "$tmp/docs.jsonl" "$tmp/course"
grep -q -- '--texts gives the texts of an index' "$tmp/err" || fail "--texts without an index"

# ---- format versions ------------------------------------------------------------
# a format-2 index (written by doppel before format 3): read, its texts found from its
# folder by the ids it was built with; written as format 3 when changed
v2=$src/tests/cli/data/index_v2
(cd "$tmp/elsewhere" && "$bin" index sweep "$v2/v2.dpx" -o v2.html 2> /dev/null)
grep -q 'class="pair' "$tmp/elsewhere/v2.html" || fail "format 2: no pair"
same "$(unshown "$tmp/elsewhere/v2.html")" "" "format 2: texts"
cp "$v2/v2.dpx" "$tmp/v2.dpx"
same "$(od -An -tu4 -j8 -N4 "$tmp/v2.dpx" | tr -d ' ')" 2 "the fixture's version"
"$bin" index add "$tmp/v2.dpx" "$tmp/elsewhere/new.txt" > /dev/null
same "$(od -An -tu4 -j8 -N4 "$tmp/v2.dpx" | tr -d ' ')" 3 "an old index written back"
"$bin" index sweep "$tmp/v2.dpx" > "$tmp/v2.jsonl" 2> /dev/null
grep -q '"type":"summary","documents":4,"skipped":0,' "$tmp/v2.jsonl" || fail "upgraded index: $(tail -n 1 "$tmp/v2.jsonl")"
# version 1 and a future version: refused, naming the file and the version
for v in 1 4; do
  cp "$v2/v2.dpx" "$tmp/v$v.dpx"
  printf "\\x0$v" | dd of="$tmp/v$v.dpx" bs=1 seek=8 conv=notrunc status=none
  expect 3 "$bin" index sweep "$tmp/v$v.dpx"
  grep -qF "$tmp/v$v.dpx: byte 8: index format version $v (this doppel reads 2 to 3)" "$tmp/err" || fail "version $v: $(cat "$tmp/err")"
done
grep -qF 'written by a newer doppel' "$tmp/err" || fail "version 4: $(cat "$tmp/err")"

# ---- formats: a .docx is read as the sweep reads it --------------------------------
python3 "$src/tests/formats/mkdocs.py" docx "$tmp/course/s29.docx" "$subs/s29/essay.txt"
"$bin" index create "$tmp/d.dpx" --no-model > /dev/null
"$bin" index add "$tmp/d.dpx" "$tmp/course/s12.txt" "$tmp/course/s29.docx" > "$tmp/docx.out" 2> "$tmp/docx.err"
same "$(cat "$tmp/docx.out")" "added 2, skipped 0; $tmp/d.dpx holds 2 documents" "index add of a .docx ($(cat "$tmp/docx.err"))"
python3 "$src/tests/formats/mkdocs.py" docx "$tmp/new.docx" "$subs/s39/essay.txt"
"$bin" index query "$tmp/d.dpx" "$tmp/new.docx" -f html -o "$tmp/docx.html" 2> /dev/null
"$bin" index query "$tmp/d.dpx" "$tmp/new.docx" > "$tmp/docx.jsonl" 2> /dev/null
python3 - "$tmp/docx.jsonl" "$tmp/course/s29.docx" <<'PY'
import json, sys
pairs = [json.loads(l) for l in open(sys.argv[1]) if '"type":"pair"' in l]
# s39's essay shares verbatim passages with s12 and s29 (the demo's planted copies)
assert any(p["b"] == sys.argv[2] for p in pairs), [p["b"] for p in pairs]
# offsets into the text extracted from a .docx say so, the query's and the indexed one's
for p in pairs:
    assert p.get("a_offsets") == "extracted", p
    assert p.get("b_offsets") == ("extracted" if p["b"].endswith(".docx") else None), p
PY
# both docx panes show their extracted text
same "$(unshown "$tmp/docx.html")" "" "the .docx panes"
# a folder as the query: one submission, its files named in its pane
mkdir -p "$tmp/dave"
cp "$subs/s39/essay.txt" "$tmp/dave/essay.txt"
printf 'Notes on the essay.\n' > "$tmp/dave/notes.txt"
"$bin" index query "$tmp/d.dpx" "$tmp/dave" -f html -o "$tmp/dave.html" 2> /dev/null
for f in essay.txt notes.txt; do
  grep -qF "<span class=\"part\" title=\"a file of this submission\">$f</span>" "$tmp/dave.html" ||
    fail "query of a folder: $f not named in its pane"
done
echo "index files: all checks passed"
