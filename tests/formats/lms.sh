#!/usr/bin/env bash
# LMS exports (--lms): one class as a Moodle, a Canvas and a Blackboard zip (essays as
# docx, odt, pdf, html, md, ipynb, txt) reports the same student pairs as the class as
# plain .txt files, with passages covering the same text; the latest attempt counts by
# default and --attempts all never compares one student's attempts; Blackboard receipts
# are not submissions; a bad file inside an export is skipped with its reason and the
# rest compared. Fixtures: tests/formats/mklms.py.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
command -v pdftotext >/dev/null || fail "these tests need pdftotext (Debian poppler-utils): two students hand in PDFs"
python3 "$src/tests/formats/mklms.py" "$src/corpora/demo/submissions" "$tmp"
(cd "$tmp" && expect 0 "$bin" sweep -f jsonl -o "$tmp/txt.jsonl" txt)
col=1
for sys in moodle canvas blackboard; do
  expect 0 "$bin" sweep --lms auto -f jsonl --dump-text "$tmp/d-$sys" -o "$tmp/$sys.jsonl" "$tmp/$sys.zip"
  (cd "$tmp" && python3 "$src/tests/formats/samepairs.py" txt.jsonl txt "$sys.jsonl" "d-$sys" students.tsv $col) ||
    fail "$sys export: not what the plain-text class gives"
  grep -q '"documents":9,"skipped":0' "$tmp/$sys.jsonl" || fail "$sys: $(tail -1 "$tmp/$sys.jsonl")"
  col=$((col + 1))
done
# students are named (Blackboard: the full name its receipt gives), never archive paths;
# offsets index the joined extracted text
grep -q '"a":"Ada Lovelace (alovelace)","b":"Brook Taylor (btaylor)"' "$tmp/blackboard.jsonl" ||
  fail "blackboard: students not named from the receipts: $(head -2 "$tmp/blackboard.jsonl")"
grep -q '"a":"Ada Lovelace","b":"Brook Taylor",.*"a_offsets":"extracted","b_offsets":"extracted"' "$tmp/moodle.jsonl" ||
  fail "moodle: pair not named after the students: $(head -2 "$tmp/moodle.jsonl")"

# the unpacked export reads as the zip does; naming the system works as auto does
mkdir "$tmp/bb" && (cd "$tmp/bb" && python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall('.')" "$tmp/blackboard.zip")
expect 0 "$bin" sweep --lms blackboard -f jsonl "$tmp/bb"
same "$(grep '"type":"pair"' "$tmp/out" | cut -d, -f2-3)" "$(grep '"type":"pair"' "$tmp/blackboard.jsonl" | cut -d, -f2-3)" "blackboard from its folder"

# --attempts all: Hal Clement's first attempt (Ida Noddack's essay and half his own) pairs
# with Ida, never with his own later attempt
for sys in canvas blackboard; do
  expect 0 "$bin" sweep --lms $sys --attempts all -f jsonl "$tmp/$sys.zip"
  grep -q '"documents":10' "$tmp/out" || fail "$sys --attempts all: $(tail -1 "$tmp/out")"
  grep -Eq '"a":"(clementhal \(attempt 0\)|Hal Clement \(hclement\) \(attempt 2026-11-18-22-40-00\))","b":"(noddackida|Ida Noddack \(inoddack\)) ' "$tmp/out" ||
    fail "$sys --attempts all: the first attempt's copy not found: $(grep pair "$tmp/out")"
  ! grep -Eq '"a":"(clementhal|Hal Clement) [^"]*","b":"(clementhal|Hal Clement) ' "$tmp/out" || fail "$sys: one student's attempts compared"
done

# bad files inside an export: skipped with reasons naming export and file; the rest compared
python3 - "$tmp/moodle.zip" "$tmp/bad.zip" "$src/tests/formats" <<'PY'
import shutil, sys, zipfile
sys.path.insert(0, sys.argv[3])
import mkdocs
shutil.copy(sys.argv[1], sys.argv[2])
mkdocs.bad("bomb", "/tmp/lms-bomb-%d.docx" % id(sys))
with zipfile.ZipFile(sys.argv[2], "a", zipfile.ZIP_DEFLATED) as z:
    z.write("/tmp/lms-bomb-%d.docx" % id(sys), "Zed Bomb_4300_assignsubmission_file_/essay.docx")
    z.writestr("Yan Spaces_4301_assignsubmission_file_/essay.txt", " " * (8 << 20))
    z.writestr("stray notes.txt", "not named as Moodle names submissions")
    z.writestr("Ann Lee_4400_assignsubmission_file_/a.txt", "Tides follow the moon across the harbour.")
    z.writestr("Ann Lee_4401_assignsubmission_file_/b.txt", "Bread rises faster in a warm kitchen.")
PY
rm -f /tmp/lms-bomb-*.docx
expect 0 "$bin" sweep --lms moodle -f jsonl "$tmp/bad.zip"
grep -qF "{\"type\":\"skipped\",\"id\":\"$tmp/bad.zip:Zed Bomb_4300_assignsubmission_file_/essay.docx\",\"reason\":\"docx: word/document.xml: inflates more than 200 times its compressed size (zip bomb limit)\"}" "$tmp/out" ||
  fail "bomb in a docx in an export: $(grep skipped "$tmp/out")"
grep -qF "{\"type\":\"skipped\",\"id\":\"Zed Bomb\",\"reason\":\"empty: no readable submission files\"}" "$tmp/out" || fail "student with no readable file"
grep -qF "{\"type\":\"skipped\",\"id\":\"$tmp/bad.zip:Yan Spaces_4301_assignsubmission_file_/essay.txt\",\"reason\":\"Yan Spaces_4301_assignsubmission_file_/essay.txt: inflates more than 200 times its compressed size (zip bomb limit)\"}" "$tmp/out" ||
  fail "bomb member of an export: $(grep skipped "$tmp/out")"
grep -qF "{\"type\":\"skipped\",\"id\":\"$tmp/bad.zip:stray notes.txt\",\"reason\":\"not named as a moodle export file" "$tmp/out" || fail "unnamed file"
same "$(grep -c '"type":"pair"' "$tmp/out")" 5 "pairs beside the bad files"
grep -q '"documents":11,' "$tmp/out" || fail "two students of one name: $(tail -1 "$tmp/out")"
expect 0 "$bin" sweep --lms moodle --dump-text "$tmp/dl" -f jsonl "$tmp/bad.zip"
[ -f "$tmp/dl/Ann Lee (4400).txt" ] && [ -f "$tmp/dl/Ann Lee (4401).txt" ] || fail "two students of one name not told apart: $(ls "$tmp/dl")"

# what is not an export
expect 3 "$bin" sweep --lms auto "$tmp/txt"
grep -q "txt: not recognised as a Moodle, Canvas or Blackboard export" "$tmp/err" || fail "not an export: $(cat "$tmp/err")"
head -c 300 "$tmp/canvas.zip" >"$tmp/cut.zip"
expect 3 "$bin" sweep --lms canvas "$tmp/cut.zip"
grep -q "cut.zip: corrupt zip archive" "$tmp/err" || fail "corrupt export: $(cat "$tmp/err")"
expect 2 "$bin" sweep --lms d2l "$tmp/canvas.zip"
echo "lms: ok"
