#!/usr/bin/env bash
# Format extraction (src/io): the text of .docx .odt .html .ipynb .md .pdf, offsets
# (extracted text, or bytes of an HTML file), a docx paragraph found in another
# student's PDF, HTML boilerplate not pairing essays, and every bad input skipped with
# its reason while the rest is still compared. Fixtures come from tests/formats/mkdocs.py.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
mk="python3 $src/tests/formats/mkdocs.py"
demo=$src/corpora/demo/submissions
have_pdf=0
command -v pdftotext >/dev/null && have_pdf=1
nopdf="pdf: PDF needs pdftotext (Debian package poppler-utils), which is not installed"

# 1. What each format keeps and drops, byte for byte (--dump-text writes the text).
mkdir "$tmp/f"
$mk features "$tmp/f"
expect 0 "$bin" sweep --no-model -f jsonl --dump-text "$tmp/fd" "$tmp/f/f.docx" "$tmp/f/f.odt" "$tmp/f/f.html" "$tmp/f/f.ipynb"
for x in docx odt html ipynb; do
  d="$tmp/fd/${tmp//\//%}%f%f.$x.txt"
  cmp "$d" "$tmp/f/f.$x.expected" || fail "extracted text of f.$x: $(od -c "$d" | head -5)"
done
expect 0 "$bin" sweep --no-model -f jsonl --ignore-code --dump-text "$tmp/fm" "$tmp/f/f.md" "$tmp/f/f.ipynb"
cmp "$tmp/fm/${tmp//\//%}%f%f.md.txt" "$tmp/f/f.md.expected" || fail "--ignore-code: fenced code not blanked in f.md"
same "$(cat "$tmp/fm/${tmp//\//%}%f%f.ipynb.txt")" "$(printf '# Notes\nSome text.')" "--ignore-code: a notebook's code cells"
# --dump-text never overwrites
expect 3 "$bin" sweep --no-model -f jsonl --ignore-code --dump-text "$tmp/fm" "$tmp/f/f.md"
grep -q "exists (--dump-text never overwrites)" "$tmp/err" || fail "--dump-text overwrote a file: $(cat "$tmp/err")"

# 2. A class in several formats: s39 (docx) was copied by s29 (pdf) and s12 (html, CRLF).
mkdir "$tmp/c"
mkdir "$tmp/h" "$tmp/ht" "$tmp/b"
{
  echo "docx $tmp/c/s39.docx $demo/s39/essay.txt"
  echo "pdf $tmp/c/s29.pdf $demo/s29/essay.txt"
  echo "html $tmp/c/s12.html $demo/s12/essay.txt"
  echo "odt $tmp/c/s01.odt $demo/s01/essay.txt"
  echo "ipynb $tmp/c/s02.ipynb $demo/s02/essay.txt"
  for s in s04 s05 s06 s07; do echo "html $tmp/h/$s.html $demo/$s/essay.txt"; done
  echo "txt $tmp/b/s12.txt $demo/s12/essay.txt"
  for k in bomb laughs malformed corrupt-zip encrypted-zip encrypted-odt corrupt-pdf encrypted-pdf scan-pdf; do
    case $k in *pdf) e=pdf ;; *odt) e=odt ;; *) e=docx ;; esac
    echo "bad $k $tmp/b/bad-$k.$e"
  done
} | $mk -
sed -i 's/$/\r/' "$tmp/c/s12.html"
planted=$(python3 -c "import re,sys; print(' '.join(re.findall(r'[a-z0-9]+', open(sys.argv[1]).read()[767:1361].lower())))" "$demo/s39/essay.txt")
(cd "$tmp/c" && expect 0 "$bin" sweep -f jsonl --dump-text "$tmp/cd" -o "$tmp/c.jsonl" .)
(cd "$tmp/c" && python3 "$src/tests/formats/passages.py" "$tmp/c.jsonl" "$tmp/cd") >"$tmp/c.tsv"
# docx and odt, ipynb, pdf pairs say their offsets index extracted text; an HTML file's do not
grep -q '"a":"./s29.pdf","b":"./s39.docx".*"a_offsets":"extracted","b_offsets":"extracted"' "$tmp/c.jsonl" ||
  [ $have_pdf = 0 ] || fail "the pdf/docx pair does not say its offsets are extracted: $(cat "$tmp/c.jsonl")"
if grep '"\./s12\.html"' "$tmp/c.jsonl" | grep -q '"[ab]_offsets":"extracted","passages".*s12'; then
  fail "an HTML file's offsets marked as extracted"
fi
covers() { # covers A B: a verbatim passage of pair (A, B) holds the planted words on both sides
  awk -F'\t' -v a="$1" -v b="$2" -v w="$planted" '$1==a && $2==b && $3=="verbatim" && index($4,w) && index($5,w) {f=1} END {exit !f}' "$tmp/c.tsv"
}
covers ./s12.html ./s39.docx || fail "docx/html(CRLF) pair without the planted passage at the right offsets: $(cat "$tmp/c.tsv")"
if [ $have_pdf = 1 ]; then
  covers ./s29.pdf ./s39.docx || fail "the docx paragraph in the pdf is not a verbatim passage: $(cat "$tmp/c.tsv")"
  covers ./s12.html ./s29.pdf || fail "html/pdf pair without the planted passage: $(cat "$tmp/c.tsv")"
else
  grep -q "\"id\":\"./s29.pdf\",\"reason\":\"$nopdf\"" "$tmp/c.jsonl" || fail "no pdftotext: s29.pdf not skipped with the reason"
fi
pairs=$(grep -c '"type":"pair"' "$tmp/c.jsonl" || true)
same "$pairs" $((have_pdf ? 3 : 1)) "pairs reported in the mixed-format class"
# The same text read as .txt gives the same passage offsets as the docx's extracted text.
python3 -c "
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r['type']=='pair' and r['b']=='./s39.docx':
        p=r['passages'][0]; t=open(sys.argv[2]).read()
        d=open(sys.argv[3]).read()
        assert d[p['b_start']:p['b_end']].split()==t[767:1361].split(), (d[p['b_start']:p['b_end']], t[767:1361])
" "$tmp/c.jsonl" "$demo/s39/essay.txt" "$tmp/cd/s39.docx.txt" || fail "docx passage offsets do not index its extracted text"

# The planted passage in three or four documents (a copy of s39.docx too) is common with
# --max-docs 2: docx and pdf members index their extracted text, the HTML member its bytes.
cp "$tmp/c/s39.docx" "$tmp/s39-copy.docx"
(cd "$tmp/c" && expect 0 "$bin" sweep --no-model --max-docs 2 -f jsonl -o "$tmp/common.jsonl" s39.docx ../s39-copy.docx s12.html s29.pdf)
python3 - "$tmp/common.jsonl" "$tmp/c/s12.html" "$planted" "$have_pdf" <<'PY' || fail "common passage members: $(grep common "$tmp/common.jsonl")"
import html, json, re, sys
rec = [json.loads(l) for l in open(sys.argv[1]) if '"type":"common"' in l and '"s12.html"' in l]
assert len(rec) == 1, rec
m = {x["id"]: x for x in rec[0]["members"]}
assert m["s39.docx"]["offsets"] == "extracted" and "offsets" not in m["s12.html"], m
if sys.argv[4] == "1":
    assert m["s29.pdf"]["offsets"] == "extracted", m
span = open(sys.argv[2], "rb").read()[m["s12.html"]["start"]:m["s12.html"]["end"]].decode()
words = " ".join(re.findall(r"[a-z0-9]+", html.unescape(re.sub(r"<[^>]*>", " ", span)).lower()))
assert sys.argv[3] in words, (span, sys.argv[3])
PY

# 3. Unrelated essays in the same HTML page: paired as raw text, not once the markup is out.
for s in s04 s05 s06 s07; do cp "$tmp/h/$s.html" "$tmp/ht/$s.txt"; done
expect 0 "$bin" sweep -f jsonl -t 0.04 "$tmp/ht"
grep -q '"type":"pair"' "$tmp/out" || fail "the boilerplate test cannot fail: the markup alone does not pair the .txt copies"
expect 0 "$bin" sweep -f jsonl -t 0.04 "$tmp/h"
! grep -q '"type":"pair"' "$tmp/out" || fail "HTML essays paired by their shared markup: $(grep pair "$tmp/out")"

# 4. Bad input: each skipped with its reason, naming the file; the good pair still found.
cp "$tmp/c/s39.docx" "$tmp/b/"
printf 'not a notebook' >"$tmp/b/bad-json.ipynb"
expect 0 "$bin" sweep --no-model -f jsonl "$tmp/b"
reason() { # reason FILE TEXT: FILE was skipped with TEXT in its reason (JSONL and stderr)
  grep -F "\"id\":\"$tmp/b/$1\",\"reason\":\"" "$tmp/out" | grep -qF "$2" || fail "$1: no skip with [$2]: $(grep -F "$1" "$tmp/out")"
  grep -F "$tmp/b/$1: skipped: " "$tmp/err" | grep -qF "$2" || fail "$1: no warning with [$2] on stderr"
}
reason bad-bomb.docx "docx: word/document.xml: inflates more than 200 times its compressed size (zip bomb limit)"
reason bad-laughs.docx "docx: word/document.xml: declares XML entities (refused: entity expansion)"
reason bad-malformed.docx "docx: word/document.xml: malformed XML at line 1:"
reason bad-corrupt-zip.docx "docx: corrupt zip archive:"
reason bad-encrypted-zip.docx "docx: word/document.xml: encrypted (password-protected)"
reason bad-encrypted-odt.odt "odt: encrypted (password-protected)"
reason bad-json.ipynb "ipynb: malformed notebook JSON at line 1:"
if [ $have_pdf = 1 ]; then
  reason bad-corrupt-pdf.pdf "pdf: unreadable PDF (pdftotext: "
  reason bad-encrypted-pdf.pdf "pdf: encrypted (password-protected) PDF (pdftotext: "
  reason bad-scan-pdf.pdf "pdf: PDF without a text layer (a scan?): no text to compare"
else
  for f in bad-corrupt-pdf.pdf bad-encrypted-pdf.pdf bad-scan-pdf.pdf; do reason $f "$nopdf"; done
fi
grep -q "\"a\":\"$tmp/b/s12.txt\",\"b\":\"$tmp/b/s39.docx\"" "$tmp/out" || fail "the good pair was not compared beside the bad files"
same "$(grep -c '"type":"skipped"' "$tmp/out")" 10 "skipped files"

# 5. Without pdftotext a PDF is skipped with that reason (whether or not it is installed here).
DOPPEL_PDFTOTEXT=/nonexistent/pdftotext expect 0 "$bin" sweep --no-model -f jsonl "$tmp/c/s29.pdf" "$tmp/c/s39.docx" "$tmp/c/s12.html"
grep -qF "{\"type\":\"skipped\",\"id\":\"$tmp/c/s29.pdf\",\"reason\":\"$nopdf\"}" "$tmp/out" || fail "missing pdftotext: $(cat "$tmp/out")"
# 6. Files read on several threads at once (-j): the same pairs, offsets (HTML bytes, extracted
# text), skipped files and reasons, in the same order, as on one thread.
for j in 1 3; do
  (cd "$tmp" && expect 0 "$bin" sweep --no-model -j $j -f jsonl -o "$tmp/j$j.jsonl" c b h s39-copy.docx)
done
cmp <(sed -E 's/"seconds":[0-9.e+-]+//' "$tmp/j1.jsonl") <(sed -E 's/"seconds":[0-9.e+-]+//' "$tmp/j3.jsonl") ||
  fail "-j 1 and -j 3 read the files differently"
grep -q '"a_offsets":"extracted"' "$tmp/j1.jsonl" || fail "-j: no pair of extracted text to compare"
[ "$(grep -c '"type":"skipped"' "$tmp/j1.jsonl")" -ge 9 ] || fail "-j: the bad files are not among them"
echo "formats: ok"
