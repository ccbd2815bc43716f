#!/usr/bin/env bash
# The HTML report: every highlighted span must be a passage of the JSON Lines report of the
# same sweep, around the text of that span decoded as doppel decodes it, and every pane must
# show its whole document. Checked on texts in UTF-16 and Windows-1252 (shown decoded, no
# U+FFFD), on a corpus of many documents (each pane shows its own document), and, as a
# browser shows it (headless Chromium; that part is skipped, exit 77, where Chromium is
# absent; .ci/run installs it), on the demo corpus, with a screenshot saved. A --by-dir
# submission of an index, which keeps no texts, is read again from its directory.
set -euo pipefail
bin=$DOPPEL_BIN
demo=$DOPPEL_SOURCE_ROOT/corpora/demo/submissions
data=$DOPPEL_SOURCE_ROOT/tests/cli/data/html
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# check_html HTML JSONL: the parsed page against the JSON Lines report of the same sweep.
check_html() {
python3 - "$1" "$2" <<'PY'
import json, sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    """Collects, per rendered side, the document id (h4) and each highlight's data and text."""
    def __init__(self):
        super().__init__()
        self.sides, self.in_h4, self.in_pre, self.hl = [], False, False, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h4":
            self.in_h4 = True
            self.sides.append({"id": "", "hl": [], "text": ""})
        elif tag == "pre":
            self.in_pre = True
        elif tag == "a" and "hl" in a.get("class", "").split():
            self.hl = {"start": int(a["data-start"]), "end": int(a["data-end"]), "text": ""}
    def handle_endtag(self, tag):
        if tag == "h4":
            self.in_h4 = False
        elif tag == "pre":
            self.in_pre = False
        elif tag == "a" and self.hl is not None:
            self.sides[-1]["hl"].append(self.hl)
            self.hl = None
    def handle_data(self, data):
        if self.in_h4:
            self.sides[-1]["id"] += data
        elif self.in_pre:
            self.sides[-1]["text"] += data
            if self.hl is not None:
                self.hl["text"] += data

def codec(original):
    """The encoding doppel's decoder picks for these files: a BOM, else UTF-8, else cp1252."""
    if original.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if original.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    try:
        original.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        return "cp1252", 0

def lines(s):
    return s.replace("\r\n", "\n").replace("\r", "\n")  # as a browser and Python text mode read

dom = Dom()
dom.feed(open(sys.argv[1], encoding="utf-8").read())
expected = set()
for line in open(sys.argv[2]):
    o = json.loads(line)
    if o["type"] == "pair":
        for p in o["passages"]:
            expected.add((o["a"], p["a_start"], p["a_end"]))
            expected.add((o["b"], p["b_start"], p["b_end"]))
shown = set()
for side in dom.sides:
    original = open(side["id"], "rb").read()
    enc, bom = codec(original)
    assert lines(side["text"]) == lines(original[bom:].decode(enc)), (side["id"], side["text"][:60])
    for h in side["hl"]:
        shown.add((side["id"], h["start"], h["end"]))
        want = lines(original[h["start"]:h["end"]].decode(enc))
        # a highlight cut short by an earlier overlapping one shows the tail of its span
        assert h["text"] and want.endswith(lines(h["text"])), (side["id"], h["start"], h["end"], h["text"][:60])
assert expected, "the sweep reported no passages"
assert shown == expected, (sorted(expected - shown)[:5], sorted(shown - expected)[:5])
print(f"html: {len(dom.sides)} panes, {len(shown)} highlighted spans match the report's passages")
PY
}

# Texts in UTF-16LE (with a BOM), Windows-1252 and UTF-8 sharing a passage with accents:
# shown decoded, highlighted in both panes of every pair at the passage's original offsets.
"$bin" sweep --no-model "$data" -o "$tmp/enc.jsonl"
"$bin" sweep --no-model "$data" -o "$tmp/enc.html"
check_html "$tmp/enc.html" "$tmp/enc.jsonl"
! grep -qF $'\xEF\xBF\xBD' "$tmp/enc.html" || fail "U+FFFD in the HTML of decoded texts"
shared='Le café était servi très chaud dans la grande salle du château chaque matin avant que les élèves ne reprennent leurs révisions.'
# the passage's bytes: after "Journal d’un étudiant.\n\n" (24 cp1252 bytes), after the BOM and
# "Une lettre écrite en hiver.\r\n\r\n" (2 + 2 * 31 UTF-16 bytes), after 32 UTF-8 bytes
for span in '24" data-end="151' '64" data-end="318' '32" data-end="166'; do
  n=$(grep -oF "data-start=\"$span\" data-kind=\"verbatim\" title=\"verbatim 1.000\">$shared</a>" "$tmp/enc.html" | wc -l || true)
  [ "$n" = 2 ] || fail "passage at $span highlighted $n times, not in both pairs of its document"
done
grep -qF 'Journal d’un étudiant.' "$tmp/enc.html" || fail "cp1252 text not decoded"

# Many documents, each pair sharing its own words: every pane shows its own document.
mkdir "$tmp/many"
for i in $(seq -w 0 199); do
  u="k${i}a k${i}b k${i}c k${i}d k${i}e k${i}f k${i}g k${i}h k${i}i k${i}j"
  printf 'a%sp a%sq a%sr.\n%s.\na%sx a%sy a%sz.\n' "$i" "$i" "$i" "$u" "$i" "$i" "$i" > "$tmp/many/d${i}a.txt"
  printf 'b%sp b%sq b%sr.\n%s.\nb%sx b%sy b%sz.\n' "$i" "$i" "$i" "$u" "$i" "$i" "$i" > "$tmp/many/d${i}b.txt"
done
"$bin" sweep --no-model "$tmp/many" -o "$tmp/many.jsonl"
"$bin" sweep --no-model "$tmp/many" -o "$tmp/many.html"
[ "$(grep -c '"type":"pair"' "$tmp/many.jsonl")" = 200 ] || fail "many: not the 200 pairs"
check_html "$tmp/many.html" "$tmp/many.jsonl"

# An index keeps no texts: a --by-dir submission of it (a directory) is read again as it
# was indexed, its files joined, and shown with its passage highlighted beside the new one.
mkdir -p "$tmp/old/s1" "$tmp/new/s2"
cp "$data/utf8.txt" "$tmp/old/s1/a.txt"
printf 'The second file of this submission.\n' > "$tmp/old/s1/b.txt"
cp "$data/cp1252.txt" "$tmp/new/s2/b.txt"
"$bin" index create "$tmp/old.dpx" --no-model > /dev/null
"$bin" index add "$tmp/old.dpx" --by-dir "$tmp/old" > /dev/null
"$bin" sweep --no-model --reference "$tmp/old.dpx" --by-dir "$tmp/new" -o "$tmp/dir.html"
grep -qF 'The second file of this submission.' "$tmp/dir.html" || fail "by-dir index document: its text is not shown"
! grep -qF 'text not available' "$tmp/dir.html" || fail "by-dir index document: a pane without text"
n=$(grep -oF ">$shared</a>" "$tmp/dir.html" | wc -l || true)
[ "$n" = 2 ] || fail "by-dir: the shared passage highlighted $n times, not in both panes"
rm -r "$tmp/old/s1"
"$bin" sweep --no-model --reference "$tmp/old.dpx" --by-dir "$tmp/new" -o "$tmp/gone.html"
grep -qF '(text not available: no readable file at '"$tmp/old/s1"' (where it was indexed))' "$tmp/gone.html" ||
  fail "a submission gone since indexing: no note in its pane"

# As a browser shows it.
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "SKIP: chromium not installed"; exit 77; }
"$bin" sweep --no-model "$demo" -o "$tmp/r.jsonl"
"$bin" sweep --no-model "$demo" -o "$tmp/r.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
"$chromium" "${flags[@]}" --dump-dom "file://$tmp/r.html" > "$tmp/dom.html" 2> "$tmp/chromium.err"
"$chromium" "${flags[@]}" --window-size=1280,1600 --screenshot="$tmp/report.png" "file://$tmp/r.html" \
  >> "$tmp/chromium.err" 2>&1
[ -s "$tmp/report.png" ] || { echo "FAIL: no screenshot"; cat "$tmp/chromium.err"; exit 1; }
cp "$tmp/report.png" "${MESON_BUILD_ROOT:-.}/html-report.png" 2>/dev/null || true

check_html "$tmp/dom.html" "$tmp/r.jsonl"
