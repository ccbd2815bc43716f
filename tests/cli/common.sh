#!/usr/bin/env bash
# Common passages are shown, not hidden: twelve essays sharing one copied paragraph (more
# than --max-docs 10 documents) give no pair from it, but one "common" record listing all
# twelve with the paragraph's span (JSONL; a section and a count in the table), and the
# paragraph still counts in each document's size: one more sentence shared by two of them
# stays a small share of either document. An index of the twelve, swept, lists it the same way,
# and so does a query of the twelfth against an index of the other eleven.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

mkdir "$tmp/class"
# The opening sentences of twelve unrelated demo essays (no planted case among them), then
# one paragraph written for this test; s05 and s06 also share one sentence.
python3 - "$src/corpora/demo/submissions" "$tmp/class" <<'PY'
import json, re, sys
src, out = sys.argv[1], sys.argv[2]
para = ("Rivers carry far more than water. Every spring the melting snow on the high slopes "
        "loosens gravel, sand and the fine silt that later settles across the valley floor, "
        "and the farmers downstream have long counted on that slow delivery of new soil. "
        "When engineers build a dam, the lake behind it traps most of this sediment, so the "
        "river below runs clear and hungry and begins to eat away at its own banks. Within a "
        "few decades the delta at the mouth can shrink, salt water creeps inland, and fields "
        "that once flooded gently every year must be fed with fertiliser instead. Planners now "
        "try to flush sediment through the gates during high water, but no scheme yet moves "
        "as much as the untamed river did on its own.")
shared = "The committee finally agreed that every ballot would be counted twice by separate clerks before noon."
spans = {}
for s in "s01 s02 s05 s06 s07 s08 s15 s16 s18 s19 s22 s26".split():
    text = open(f"{src}/{s}/essay.txt", encoding="utf-8").read()
    own = " ".join(re.split(r"(?<=[.!?])\s+", text.strip())[:3])
    doc = own + "\n\n"
    start = len(doc.encode())
    doc += para
    spans[s] = [start, len(doc.encode())]
    if s in ("s05", "s06"):
        doc += "\n\n" + shared
    open(f"{out}/{s}.txt", "w", encoding="utf-8").write(doc + "\n")
json.dump(spans, open(f"{out}/../spans.json", "w"))
PY

expect 0 "$bin" sweep "$tmp/class" -f jsonl
python3 - "$tmp/out" "$tmp/spans.json" "$tmp/class" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spans = json.load(open(sys.argv[2]))
common = [r for r in recs if r["type"] == "common"]
summary = recs[-1]
assert summary["type"] == "summary" and summary["schema_version"] == 2, summary
assert summary["common_passages"] == 1 == len(common), (summary, common)
c = common[0]
ids = sorted(os.path.basename(m["id"])[:-4] for m in c["members"])
assert c["documents"] == 12 and ids == sorted(spans), c
for m in c["members"]:
    want = spans[os.path.basename(m["id"])[:-4]]
    assert [m["start"], m["end"]] == want, (m, want)
pairs = [r for r in recs if r["type"] == "pair"]
# the paragraph is no pair's evidence; the one extra shared sentence (17 words) is a small
# share of documents of about 190 words each (not of their 50 or so words outside the paragraph)
assert all(sorted(os.path.basename(x) for x in (p["a"], p["b"])) == ["s05.txt", "s06.txt"] for p in pairs), pairs
for p in pairs:
    assert p["a_coverage"] < 0.12 and p["b_coverage"] < 0.12, p
print("common: ok")
PY

expect 0 "$bin" sweep --no-model "$tmp/class" -f table
grep -q "passage 1, shared by 12 documents:" "$tmp/out" || fail "table: no common passage section"
grep -q "$tmp/class/s26.txt \[" "$tmp/out" || fail "table: a member is not listed"
grep -q " 1 common passages in " "$tmp/out" || fail "table: no common passage count in the summary line"

# an index's sweep lists them too (doppel index sweep is doppel sweep --index)
"$bin" index create "$tmp/class.dpi" --no-model 2>/dev/null
"$bin" index add "$tmp/class.dpi" "$tmp/class" >/dev/null 2>&1
expect 0 "$bin" index sweep "$tmp/class.dpi" -f jsonl
python3 - "$tmp/out" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
common = [r for r in recs if r["type"] == "common"]
assert len(common) == 1 and common[0]["documents"] == 12 and recs[-1]["common_passages"] == 1, recs
PY

# a query sharing it with more than --max-docs indexed documents lists it too (JSONL, table,
# HTML): eleven essays indexed, the twelfth queried; the query's own span is the paragraph's
mkdir "$tmp/eleven"
cp "$tmp/class/"*.txt "$tmp/eleven/" && rm "$tmp/eleven/s26.txt"
"$bin" index create "$tmp/eleven.dpi" --no-model 2>/dev/null
"$bin" index add "$tmp/eleven.dpi" "$tmp/eleven" >/dev/null 2>&1
expect 0 "$bin" index query "$tmp/eleven.dpi" "$tmp/class/s26.txt" -f jsonl
python3 - "$tmp/out" "$tmp/spans.json" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spans = json.load(open(sys.argv[2]))
common = [r for r in recs if r["type"] == "common"]
assert len(common) == 1 and common[0]["documents"] == 12 and recs[-1]["common_passages"] == 1, recs
assert not [r for r in recs if r["type"] == "pair"], recs
for m in common[0]["members"]:
    assert [m["start"], m["end"]] == spans[os.path.basename(m["id"])[:-4]], m
assert common[0]["members"][-1]["id"].endswith("class/s26.txt"), common[0]
PY
expect 0 "$bin" index query "$tmp/eleven.dpi" "$tmp/class/s26.txt" -f table
grep -q "passage 1, shared by 12 documents:" "$tmp/out" || fail "index query table: no common passage section"
grep -q "$tmp/class/s26.txt \[" "$tmp/out" || fail "index query table: the query is not listed"
grep -q " 1 common passages in " "$tmp/out" || fail "index query table: no common passage count"
expect 0 "$bin" index query "$tmp/eleven.dpi" "$tmp/class/s26.txt" -f html -o "$tmp/q.html"
grep -q "shared by 12 documents: <q>Rivers carry far more than water." "$tmp/q.html" ||
  fail "index query html: no common passage section"
echo "index query common: ok"
