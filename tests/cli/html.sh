#!/usr/bin/env bash
# The HTML report as a browser shows it: headless Chromium renders a sweep of the demo
# corpus; every highlighted span must be a passage of the JSON Lines report of the same
# sweep, with the original bytes of that span as its text; a screenshot is saved.
# Skipped (exit 77) where Chromium is absent; .ci/run installs it.
set -euo pipefail
bin=$DOPPEL_BIN
demo=$DOPPEL_SOURCE_ROOT/corpora/demo/submissions
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "SKIP: chromium not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" sweep --no-model "$demo" -o "$tmp/r.jsonl"
"$bin" sweep --no-model "$demo" -o "$tmp/r.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
"$chromium" "${flags[@]}" --dump-dom "file://$tmp/r.html" > "$tmp/dom.html" 2> "$tmp/chromium.err"
"$chromium" "${flags[@]}" --window-size=1280,1600 --screenshot="$tmp/report.png" "file://$tmp/r.html" \
  >> "$tmp/chromium.err" 2>&1
[ -s "$tmp/report.png" ] || { echo "FAIL: no screenshot"; cat "$tmp/chromium.err"; exit 1; }
cp "$tmp/report.png" "${MESON_BUILD_ROOT:-.}/html-report.png" 2>/dev/null || true

python3 - "$tmp/dom.html" "$tmp/r.jsonl" <<'PY'
import json, sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    """Collects, per rendered side, the document id (h4) and each highlight's data and text."""
    def __init__(self):
        super().__init__()
        self.sides, self.in_h4, self.hl = [], False, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h4":
            self.in_h4 = True
            self.sides.append({"id": "", "hl": []})
        elif tag == "a" and "hl" in a.get("class", "").split():
            self.hl = {"start": int(a["data-start"]), "end": int(a["data-end"]), "text": ""}
    def handle_endtag(self, tag):
        if tag == "h4":
            self.in_h4 = False
        elif tag == "a" and self.hl is not None:
            self.sides[-1]["hl"].append(self.hl)
            self.hl = None
    def handle_data(self, data):
        if self.in_h4:
            self.sides[-1]["id"] += data
        elif self.hl is not None:
            self.hl["text"] += data

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
    for h in side["hl"]:
        shown.add((side["id"], h["start"], h["end"]))
        want = original[h["start"]:h["end"]].decode("utf-8")
        # a highlight cut short by an earlier overlapping one shows the tail of its span
        assert h["text"] and want.endswith(h["text"]), (side["id"], h["start"], h["end"], h["text"][:60])
assert expected, "the sweep reported no passages"
assert shown == expected, (sorted(expected - shown)[:5], sorted(shown - expected)[:5])
print(f"html: {len(shown)} highlighted spans match the report's passages")
PY
