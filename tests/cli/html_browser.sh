#!/usr/bin/env bash
# The HTML report driven in headless Chromium (tests/browser/report.py): a pair with two
# passages far apart in different orders, so that following a click needs scrolling.
# Skipped (exit 77) where chromium or chromedriver is absent; .ci/run installs both.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
command -v chromedriver > /dev/null && { command -v chromium > /dev/null || command -v chromium-browser > /dev/null; } ||
  { echo "SKIP: chromium or chromedriver not installed"; exit 77; }
python3 - "$tmp" <<'PY'
import random, sys
rng = random.Random(16)
def words(n, tag):
    return " ".join(f"{tag}{rng.randrange(10**6)}" for _ in range(n))
def para(tag):  # sentences of unique words: no accidental matches
    return ".\n".join(words(12, tag) for _ in range(40)) + ".\n\n"
p1 = "The first shared passage runs through these words and keeps on going without a break until here.\n\n"
p2 = "A second passage, quite different, was copied from another part of the essay into this one.\n\n"
d = sys.argv[1]
open(f"{d}/a.txt", "w").write(p1 + para("x") + p2)
open(f"{d}/b.txt", "w").write(para("y") + p2 + para("z") + p1)
open(f"{d}/c.txt", "w").write(para("w") + p2)
PY
"$bin" sweep --no-model -t 0 "$tmp/a.txt" "$tmp/b.txt" "$tmp/c.txt" -o "$tmp/r.html" 2> /dev/null
"$bin" sweep --no-model -t 0 "$tmp/a.txt" "$tmp/b.txt" "$tmp/c.txt" -o "$tmp/r.jsonl" 2> /dev/null
# the a.txt-b.txt pair's number in the report (pairs by score)
n=$(python3 -c '
import json, sys
pairs = [json.loads(l) for l in open(sys.argv[1]) if "\"type\":\"pair\"" in l]
pairs.sort(key=lambda p: (-p["score"], p["a"], p["b"]))
print(1 + [i for i, p in enumerate(pairs) if p["a"].endswith("a.txt") and p["b"].endswith("b.txt")][0])' "$tmp/r.jsonl")
PYTHONPATH="$src/tests/browser" python3 "$src/tests/browser/report.py" "$tmp/r.html" "$n" "$tmp/pair.png"
cp "$tmp/pair.png" "${MESON_BUILD_ROOT:-.}/html-pair.png" 2>/dev/null || true

# --by-dir submissions with a template sentence and a quotation (--ignore-quotes): the panes
# name each file where it starts and grey the text that is not evidence, with a note; the
# histogram draws every compared pair (3), not only the reported one, with the threshold
mkdir -p "$tmp/subs/alice" "$tmp/subs/bob" "$tmp/subs/carol"
python3 - "$tmp" <<'PY'
import random, sys
rng = random.Random(17)
def para(tag):
    return ".\n".join(" ".join(f"{tag}{rng.randrange(10**6)}" for _ in range(12)) for _ in range(12)) + ".\n\n"
d = sys.argv[1]
tmpl = "Summarise a scientific or scholarly question in four hundred to six hundred words of your own.\n\n"
copied = "This whole paragraph was handed from one student to the other and pasted without a single change.\n\n"
quote = 'As the author wrote, "every student who reads this sentence will quote it word for word in the essay".\n'
open(f"{d}/template.txt", "w").write(tmpl)
open(f"{d}/subs/alice/essay.txt", "w").write(tmpl + para("a") + copied + para("b"))
open(f"{d}/subs/alice/notes.txt", "w").write("Notes by Alice.\n\n" + quote)
open(f"{d}/subs/bob/essay.txt", "w").write(para("c") + copied + tmpl)
open(f"{d}/subs/bob/notes.txt", "w").write("Notes by Bob.\n\n" + quote)
open(f"{d}/subs/carol/essay.txt", "w").write(tmpl + para("d"))
PY
"$bin" sweep --no-model --by-dir --ignore-quotes --template "$tmp/template.txt" "$tmp/subs" -o "$tmp/m.html" 2> /dev/null
PYTHONPATH="$src/tests/browser" python3 "$src/tests/browser/marks.py" "$tmp/m.html" 1 "$tmp/marks.png"
# the same submissions from an index: its texts read again show the same marks
"$bin" index create "$tmp/m.dpx" --no-model --ignore-quotes --template "$tmp/template.txt" > /dev/null
"$bin" index add "$tmp/m.dpx" --by-dir "$tmp/subs" > /dev/null
"$bin" index sweep "$tmp/m.dpx" -o "$tmp/mi.html" 2> /dev/null
PYTHONPATH="$src/tests/browser" python3 "$src/tests/browser/marks.py" "$tmp/mi.html" 1 "$tmp/marks-index.png"
cp "$tmp/marks.png" "${MESON_BUILD_ROOT:-.}/html-marks.png" 2>/dev/null || true
