#!/usr/bin/env bash
# -f pan: PAN detection XML, one file per compared document in the directory -o DIR,
# offsets and lengths in code points of the decoded text. Checked against XML written by
# hand (offsets counted by hand: the planted sentence is 118 characters; the suspicious
# document's prefix "🙂 Ünïcödé façade — naïve café. " is 31 code points, 33 UTF-16 units,
# 42 UTF-8 bytes; the source's "Prélude. " is 9 code points), then against the decoded
# texts themselves (UTF-8 with multibyte characters, UTF-16 LE and BE with a BOM). The
# directory is written whole: an existing non-empty one is refused unless --force.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

mkdir -p "$tmp/src" "$tmp/susp"
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
planted = ("The old lighthouse keeper climbed the spiral stairs every evening before the sun "
           "went down over the grey northern sea.")
src = "Prélude. " + planted + " He wrote each ship he saw into a leather book."
susp = "🙂 Ünïcödé façade — naïve café. " + planted + " Then other words follow."
open(f"{t}/src/source-document00001.txt", "wb").write(b"\xfe\xff" + src.encode("utf-16-be"))
open(f"{t}/susp/suspicious-document00001.txt", "wb").write(b"\xff\xfe" + susp.encode("utf-16-le"))
open(f"{t}/susp/suspicious-document00002.txt", "w", encoding="utf-8").write(
    "Tomatoes grow best in full sun — with café grounds mixed into the soil.\n")
# the same pair as UTF-8 files, compared with each other (no sources)
open(f"{t}/a.txt", "w", encoding="utf-8").write(susp)
open(f"{t}/b.txt", "w", encoding="utf-8").write(src)
PY

cat >"$tmp/want1.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<document reference="suspicious-document00001.txt">
<feature name="detected-plagiarism" this_offset="31" this_length="118" source_reference="source-document00001.txt" source_offset="9" source_length="118"/>
</document>
XML
cat >"$tmp/want2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<document reference="suspicious-document00002.txt">
</document>
XML

expect 2 "$bin" sweep --no-model --reference "$tmp/src" "$tmp/susp" -f pan
expect 0 "$bin" sweep --no-model --reference "$tmp/src" "$tmp/susp" -f pan -o "$tmp/det"
same "$(ls "$tmp/det" | tr '\n' ' ')" "suspicious-document00001.xml suspicious-document00002.xml " "files written"
cmp "$tmp/det/suspicious-document00001.xml" "$tmp/want1.xml" || fail "detections differ from the hand-written XML"
cmp "$tmp/det/suspicious-document00002.xml" "$tmp/want2.xml" || fail "a document without detections"

# offsets against the decoded texts, whatever their encoding
check() {
  python3 - "$@" <<'PY'
import re, sys, xml.etree.ElementTree as ET
out, susp_dir, src_dir = sys.argv[1:4]
def text(path):
    b = open(path, "rb").read()
    if b[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return b.decode("utf-16")
    return b.decode("utf-8-sig")
planted = "The old lighthouse keeper climbed"
n = 0
for name in sys.argv[4:]:
    doc = ET.parse(f"{out}/{name}").getroot()
    this = text(f"{susp_dir}/{doc.get('reference')}")
    for f in doc.iter("feature"):
        o, l = int(f.get("this_offset")), int(f.get("this_length"))
        so, sl = int(f.get("source_offset")), int(f.get("source_length"))
        src = text(f"{src_dir}/{f.get('source_reference')}")
        a, b = this[o:o + l], src[so:so + sl]
        assert a.startswith(planted) and a.endswith("sea.") and a == b, (name, a, b)
        n += 1
assert n == len(sys.argv[4:]), n
PY
}
check "$tmp/det" "$tmp/susp" "$tmp/src" suspicious-document00001.xml

# without sources both documents of a pair get the detection
expect 0 "$bin" sweep --no-model "$tmp/a.txt" "$tmp/b.txt" -f pan -o "$tmp/both/"
same "$(ls "$tmp/both" | tr '\n' ' ')" "a.xml b.xml " "files written without sources"
check "$tmp/both" "$tmp" "$tmp" a.xml b.xml

# written whole: a non-empty directory is refused (and kept), --force replaces it, an
# empty one is used, and no temporary directory is left
expect 3 "$bin" sweep --no-model "$tmp/a.txt" "$tmp/b.txt" -f pan -o "$tmp/det"
grep -q "not empty (--force replaces it)" "$tmp/err" || fail "refusal message: $(cat "$tmp/err")"
cmp "$tmp/det/suspicious-document00001.xml" "$tmp/want1.xml" || fail "a refused run changed the directory"
expect 0 "$bin" sweep --no-model "$tmp/a.txt" "$tmp/b.txt" -f pan -o "$tmp/det" --force
same "$(ls "$tmp/det" | tr '\n' ' ')" "a.xml b.xml " "files after --force"
mkdir "$tmp/empty"
expect 0 "$bin" sweep --no-model "$tmp/a.txt" "$tmp/b.txt" -f pan -o "$tmp/empty"
[ -f "$tmp/empty/a.xml" ] || fail "an empty directory is not used"
same "$(ls "$tmp" | grep -c '\.tmp\.' || true)" "0" "temporary directories left"
