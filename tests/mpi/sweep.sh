#!/usr/bin/env bash
# doppel sweep --mpi under `mpirun -np 1..4` gives the report of one process, line for line
# once sorted (the summary's seconds aside): the demo class set (--by-dir, --template), a
# generated corpus past the all-pairs limit (fingerprint and document-vector candidates,
# --clusters; common passages), --reference, an index (alone, with new documents, as a
# reference; each rank reads the index file and keeps its share), a corpus with fewer documents than ranks and a skipped file,
# ids repeated across the ranks' shares, the CSV and table reports, documents extracted from
# other formats, and the HTML and PAN reports.
# (The demo and the generated corpus on 1, 2, 3 and 4 ranks, the other cases on 2 and 4.)
# The ranks share the sentence vectors they encode (each encoded once in the job).
# A rank killed mid-run, or one failing by itself, ends the job non-zero with no report.
# Built without MPI, --mpi says so (and the rest is skipped).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
demo=$src/corpora/demo

if [ "${DOPPEL_MPI:-0}" != 1 ]; then
  expect 2 "$bin" sweep --mpi "$demo/submissions"
  grep -q 'built without MPI' "$tmp/err" || fail "no 'built without MPI' message"
  echo "SKIP: this doppel was built without MPI; only its refusal of --mpi was checked"
  exit 77
fi

run() { mpirun --oversubscribe --allow-run-as-root -np "$@"; }
# the report without the summary's wall time, sorted
norm() { sed -E 's/"seconds":[0-9.e+-]+,//' "$1" | sort; }

# same_as_one NAME ARGS...: one process, then $nps ranks (1..4 unless set), the same report
same_as_one() {
  local name=$1; shift
  local nps=${nps:-1 2 3 4}
  "$bin" sweep -j 1 "$@" -o "$tmp/$name.one.jsonl"
  grep -q '"type":"pair"' "$tmp/$name.one.jsonl" || [ "$name" = tiny ] || fail "$name: no pair reported"
  for np in $nps; do
    run "$np" "$bin" sweep --mpi -j 1 "$@" -o "$tmp/$name.$np.jsonl" 2>"$tmp/err" ||
      { cat "$tmp/err" >&2; fail "$name: mpirun -np $np failed"; }
    diff <(norm "$tmp/$name.one.jsonl") <(norm "$tmp/$name.$np.jsonl") >&2 ||
      fail "$name: $np ranks differ from one process"
  done
}

same_as_one demo --by-dir --template "$demo/template.txt" "$demo/submissions"

python3 "$src/bench/gen_corpus.py" --docs 60 --seed 13 --jsonl "$tmp/gen.jsonl" >/dev/null
same_as_one candidates --all-pairs-limit 20 --clusters --jsonl "$tmp/gen.jsonl"
# the candidate path was taken: fewer pairs aligned than the 1770 of every pair
compared=$(tail -n 1 "$tmp/candidates.one.jsonl" | sed -E 's/.*"pairs_compared":([0-9]+).*/\1/')
[ "$compared" -lt 1770 ] || fail "the generated corpus compared every pair ($compared)"

# a paragraph in 12 documents (more than --max-docs 10): a common passage, not evidence
python3 - "$tmp/gen.jsonl" "$tmp/common.jsonl" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1])]
para = " ".join(docs[-1]["text"].split(". ")[:4]) + "."
for i in range(12):
    docs[i * 4]["text"] += "\n\n" + para
lines = [json.dumps(d) for d in docs]
lines[10:10] = ["not json", ""]  # a skipped line and a blank one: line numbers must hold in every share
open(sys.argv[2], "w").write("\n".join(lines))  # the last line without its line end
PY
nps="2 4" same_as_one common --all-pairs-limit 20 --jsonl "$tmp/common.jsonl"
grep -q '"type":"common"' "$tmp/common.one.jsonl" || fail "no common passage in the corpus made to have one"

# an index: swept alone (`index sweep` runs `sweep --index`), with new documents, as a reference
"$bin" index create "$tmp/ix.dpx" >/dev/null
head -n 40 "$tmp/gen.jsonl" >"$tmp/gen40.jsonl"
tail -n 20 "$tmp/gen.jsonl" >"$tmp/gen20.jsonl"
"$bin" index add "$tmp/ix.dpx" -j 1 --jsonl "$tmp/gen40.jsonl" >/dev/null
nps="2 4" same_as_one index --all-pairs-limit 20 --index "$tmp/ix.dpx"
"$bin" index sweep "$tmp/ix.dpx" -j 1 --all-pairs-limit 20 -o "$tmp/index_sweep.one.jsonl"
run 2 "$bin" index sweep "$tmp/ix.dpx" --mpi -j 1 --all-pairs-limit 20 -o "$tmp/index_sweep.2.jsonl"
diff <(norm "$tmp/index_sweep.one.jsonl") <(norm "$tmp/index_sweep.2.jsonl") >&2 || fail "index sweep --mpi differs"
nps="2 4" same_as_one index_new --all-pairs-limit 20 --index "$tmp/ix.dpx" --jsonl "$tmp/gen20.jsonl"
nps="2 4" same_as_one index_ref --all-pairs-limit 20 --reference "$tmp/ix.dpx" --jsonl "$tmp/gen20.jsonl"

# the ranks share the sentence vectors they encode: 128 documents of sentences found
# nowhere else, the last 32 copies (new ids) of the first 32, which rank 0 encodes before
# the ranks' first exchange (every 32 documents) while rank 1 encodes documents 64-95.
# With the exchange rank 1 encodes none of the copies' sentences: the job encodes as many
# sentence vectors on 2 ranks as on 1 (without it, 160 more), and reports the same.
python3 - "$tmp/shared.jsonl" <<'PY'
import json, random, sys
rng = random.Random(5)
letters = "bcdfghjklmnprstvz"
word = lambda: "".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
docs = [" ".join(" ".join(word() for _ in range(12)).capitalize() + "." for _ in range(5)) for _ in range(96)]
docs += docs[:32]
open(sys.argv[1], "w").write("".join(json.dumps({"id": "s%03d" % i, "text": t}) + "\n" for i, t in enumerate(docs)))
PY
for np in 1 2; do
  run "$np" "$bin" sweep --mpi -j 1 --timings --jsonl "$tmp/shared.jsonl" -o "$tmp/shared.$np.jsonl" 2>"$tmp/err" ||
    { cat "$tmp/err" >&2; fail "shared sentences: mpirun -np $np failed"; }
  grep -oE '[0-9]+ sentence vectors encoded' "$tmp/err" | cut -d' ' -f1 >"$tmp/encoded.$np"
done
[ -s "$tmp/encoded.1" ] || fail "no count of sentence vectors encoded"
[ "$(cat "$tmp/encoded.2")" = "$(cat "$tmp/encoded.1")" ] ||
  fail "2 ranks encoded $(cat "$tmp/encoded.2") sentence vectors, 1 rank $(cat "$tmp/encoded.1"): not shared"
diff <(norm "$tmp/shared.1.jsonl") <(norm "$tmp/shared.2.jsonl") >&2 || fail "shared sentences: 2 ranks differ from 1"

mkdir "$tmp/refs"
for s in $(ls "$demo/submissions" | head -n 4); do cp -r "$demo/submissions/$s" "$tmp/refs/old_$s"; done
nps="2 4" same_as_one reference --by-dir --template "$demo/template.txt" "$demo/submissions" --reference "$tmp/refs"

mkdir "$tmp/tiny"
first=$(ls "$demo/submissions" | head -n 1)
cat "$demo/submissions/$first"/* >"$tmp/tiny/a.txt"
cp "$tmp/tiny/a.txt" "$tmp/tiny/b.txt"
: >"$tmp/tiny/empty.txt"
nps="2 4" same_as_one tiny "$tmp/tiny"
grep -q '"type":"skipped"' "$tmp/tiny.4.jsonl" || fail "the empty file is not reported as skipped"

# --list files are split in byte ranges too (laid end to end): each rank adds the paths
# of the lines that start in its range, walking only those; the same report. Lines name
# files and folders, blank lines (CRLF too), a missing path (skipped once, by the rank
# whose range holds it), a file named again in another rank's range (skipped as the same
# file); a folder given on the command line comes first; a list of two lines on 4 ranks.
ls -d "$demo/submissions"/* | head -n 12 >"$tmp/l1.txt"
{ printf '\n%s\r\n\n' "$demo/submissions/s13"; ls -d "$demo/submissions"/*/* | sed -n '14,30p'
  echo "$tmp/no/such.txt"; echo "$demo/submissions/s02/essay.txt"; ls -d "$demo/submissions"/* | tail -n 8; } >"$tmp/l2.txt"
nps="1 2 3 4" same_as_one lists --list "$tmp/l1.txt" --list "$tmp/l2.txt"
for np in 1 2 3 4; do
  [ "$(grep -c '"id":"[^"]*no/such.txt"' "$tmp/lists.$np.jsonl")" = 1 ] || fail "lists: the missing path not reported once on $np ranks"
  grep -q '"reason":"the same file as [^"]*s02/essay.txt"' "$tmp/lists.$np.jsonl" ||
    fail "lists: the file named twice not skipped as the same file on $np ranks"
done
printf '%s\n' "$demo/submissions/s20" "$demo/submissions/s21" >"$tmp/l3.txt"
nps="2 4" same_as_one lists_few "$tmp/tiny" --list "$tmp/l3.txt"
# a list the ranks cannot share (a pipe, read once) is refused, with no report
mkfifo "$tmp/fifo"
st=0
run 2 "$bin" sweep --mpi -j 1 --list "$tmp/fifo" -o "$tmp/fifo.jsonl" 2>"$tmp/err" || st=$?
[ "$st" != 0 ] && [ ! -e "$tmp/fifo.jsonl" ] || fail "a --list pipe under --mpi: not refused"
grep -q 'fifo: not a regular file' "$tmp/err" || { cat "$tmp/err" >&2; fail "a --list pipe: no reason given"; }

# --jsonl files are split in byte ranges (each rank counts the lines of its range, then
# reads from the range holding its first line): the same documents and line numbers.
# An id read by several ranks is skipped as one process skips it, named by its line and
# where it was first seen: repeats across ranks and within one, a repeat the sweep would
# refuse (no words), a repeat in a second --jsonl file; a file named twice as a reference,
# and a document and a reference of one id (two corpora: both kept)
python3 - "$tmp/gen.jsonl" "$tmp/dup.jsonl" "$tmp/dupref.jsonl" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1])][:20]
docs += [dict(docs[2], text=docs[2]["text"][:800]), docs[15], dict(docs[17], text="A short other text. It differs."),
         dict(docs[4], text="... !!! ..."), docs[19]]
lines = [json.dumps(d) for d in docs]
lines[10:10] = ["not json", ""]  # a skipped line and a blank one: line numbers must hold in every share
open(sys.argv[2], "w").write("\n".join(lines))  # the last line without its line end
open(sys.argv[3], "w").write(json.dumps(docs[1]) + "\n")
PY
nps="2 3 4" same_as_one dup --no-model --jsonl "$tmp/dup.jsonl" --jsonl "$tmp/dupref.jsonl"
[ "$(grep -c 'duplicate id' "$tmp/dup.one.jsonl")" = 6 ] || fail "dup: not 6 repeated ids skipped by one process"
nps="2 3" same_as_one dupref --no-model "$tmp/tiny/a.txt" "$tmp/tiny/b.txt" --reference "$tmp/tiny/a.txt" \
  --reference "$tmp/tiny/a.txt"

# the CSV and table reports too (their summary's seconds aside)
normtxt() { sed -E 's/,? ?(in )?[0-9]+\.[0-9]+ s$//' "$1" | sort; }
for f in csv table; do
  "$bin" sweep -j 1 -f "$f" --by-dir "$demo/submissions" -o "$tmp/demo.one.$f" 2>/dev/null
  for np in 2 3; do
    run "$np" "$bin" sweep --mpi -j 1 -f "$f" --by-dir "$demo/submissions" -o "$tmp/demo.$np.$f" 2>"$tmp/err" ||
      { cat "$tmp/err" >&2; fail "-f $f: mpirun -np $np failed"; }
    diff <(normtxt "$tmp/demo.one.$f") <(normtxt "$tmp/demo.$np.$f") >&2 || fail "-f $f: $np ranks differ from one process"
  done
done

# documents extracted from other formats (their offsets index extracted text, or an HTML
# file's bytes: rank 0 maps the pairs' offsets of documents other ranks read), and the
# reports that show texts: HTML (texts, grey spans and a submission's files from the ranks
# that read them; the histogram of every compared pair) and PAN (a file per compared
# document), equal to one process's but the command line, date and seconds
mkdir "$tmp/fmt"
{
  for s in s39:docx s12:html s01:odt s02:ipynb s04:html s05:md s06:html s07:md; do
    echo "${s#*:} $tmp/fmt/${s%:*}.${s#*:} $demo/submissions/${s%:*}/essay.txt"
  done
  command -v pdftotext >/dev/null && echo "pdf $tmp/fmt/s29.pdf $demo/submissions/s29/essay.txt"
} | python3 "$src/tests/formats/mkdocs.py" -
cp "$demo/submissions/s08/essay.txt" "$tmp/fmt/s08.txt"
nps="2 3 4" same_as_one formats "$tmp/fmt"
grep -q '"a":"[^"]*s12.html".*"passages"' "$tmp/formats.one.jsonl" || fail "formats: no pair of the HTML file"
grep -q '"a_offsets":"extracted"\|"b_offsets":"extracted"' "$tmp/formats.one.jsonl" ||
  fail "formats: no offsets in extracted text"
# the report without what says when and how it was run
normhtml() { sed -E -e 's/(<dt>(command|date)<\/dt><dd>).*/\1/' -e 's/, [0-9.]+ s<\/dd>/<\/dd>/' "$1"; }
same_html() { # same_html NAME NPS ARGS...
  local name=$1 nps=$2; shift 2
  "$bin" sweep -j 1 "$@" -o "$tmp/$name.one.html" 2>/dev/null
  for np in $nps; do
    run "$np" "$bin" sweep --mpi -j 1 "$@" -o "$tmp/$name.$np.html" 2>"$tmp/err" ||
      { cat "$tmp/err" >&2; fail "$name: -f html, mpirun -np $np failed"; }
    diff <(normhtml "$tmp/$name.one.html") <(normhtml "$tmp/$name.$np.html") >&2 ||
      fail "$name: -f html, $np ranks differ from one process"
  done
}
same_html demo_html "2 3" --by-dir --template "$demo/template.txt" "$demo/submissions"
grep -q 'class="excl"' "$tmp/demo_html.one.html" && grep -q 'class="part"' "$tmp/demo_html.one.html" ||
  fail "demo html: no grey span or submission file to compare"
same_html formats_html "4" "$tmp/fmt"
"$bin" index create "$tmp/fix.dpx" >/dev/null
"$bin" index add "$tmp/fix.dpx" -j 1 "$tmp/fmt" >/dev/null 2>&1
same_html index_html "3" --index "$tmp/fix.dpx"
! grep -q 'text not available' "$tmp/index_html.3.html" || fail "index html: a text not shown"
"$bin" sweep -j 1 -f pan "$tmp/fmt" -o "$tmp/pan.one" 2>/dev/null
run 3 "$bin" sweep --mpi -j 1 -f pan "$tmp/fmt" -o "$tmp/pan.3" 2>"$tmp/err" ||
  { cat "$tmp/err" >&2; fail "-f pan: mpirun -np 3 failed"; }
diff -r "$tmp/pan.one" "$tmp/pan.3" >&2 || fail "-f pan: 3 ranks differ from one process"
grep -q 'detected-plagiarism' "$tmp/pan.one/s39.xml" || fail "-f pan: nothing detected in s39"

# a rank killed outright: mpirun ends the job, which fails, and no report is left
out=$tmp/killed.jsonl
st=0
run 2 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then (sleep 0.3; kill -KILL $$) & fi; exec "$0" "$@"' \
  "$bin" sweep --mpi -j 1 --all-pairs-limit 20 --jsonl "$tmp/gen.jsonl" -o "$out" 2>"$tmp/err" || st=$?
[ "$st" != 0 ] || fail "the job with a killed rank succeeded"
[ ! -e "$out" ] || fail "a report was left by the job with a killed rank"
[ -z "$(compgen -G "$out.tmp.*" || true)" ] || fail "a temporary report was left"
grep -qi 'signal 9\|killed' "$tmp/err" || { cat "$tmp/err" >&2; fail "mpirun did not say a rank was killed"; }

# a rank failing by itself (rank 0 cannot create the report) names itself
st=0
run 2 "$bin" sweep --mpi -j 1 "$demo/submissions" -o "$tmp/no/such/dir/r.jsonl" 2>"$tmp/err" || st=$?
[ "$st" != 0 ] || fail "the job whose rank 0 cannot write succeeded"
grep -q 'rank 0 of 2' "$tmp/err" || { cat "$tmp/err" >&2; fail "the failing rank is not named"; }
echo "ok: --mpi reports equal one process's on 1-4 ranks; failures end the job without a report"
