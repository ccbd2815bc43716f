#!/usr/bin/env bash
# What the sweep says while it runs and how its reports are laid out (issue 16, item 5):
# progress on a terminal cleared before each warning, "encoded N of M documents";
# a line per stage when stderr is a log; a summary line with -o; skipped documents
# listed once; a --by-dir submission counted once and one in unreadable formats named
# by them; -o's format never guessed silently and its directory checked before the
# sweep; JSON scores as their float holds them; CSV in the table's order.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
subs=$src/corpora/demo/submissions
mkdir "$tmp/c"
for s in s01 s02 s12 s39 s29; do cp "$subs/$s/essay.txt" "$tmp/c/$s.txt"; done
printf '\0\1\2\3binary' > "$tmp/c/blob.bin"

# ---- a terminal: progress, cleared before warnings (util-linux script gives a pty)
if command -v script > /dev/null; then
  script -qec "$bin sweep --no-model $tmp/c -f jsonl -o $tmp/tty.jsonl" /dev/null > "$tmp/tty.out" < /dev/null
  grep -q "encoded [0-9]* of 6 documents" "$tmp/tty.out" || fail "no 'encoded N of M documents': $(cat -v "$tmp/tty.out")"
  # every warning starts a line of its own: after a newline or the erase-line sequence
  python3 - "$tmp/tty.out" <<'PY'
import sys
out = open(sys.argv[1], "rb").read()
at = out.find(b"doppel: warning:")
assert at >= 0, out
while at >= 0:
    before = out[:at]
    assert before.endswith(b"\n") or before.endswith(b"\r\x1b[K") or at == 0, before[-60:]
    at = out.find(b"doppel: warning:", at + 1)
PY
else
  echo "SKIP (terminal part): no script(1)"
fi

# ---- a log: a line per stage, a summary line when the report is in a file
expect 0 "$bin" sweep --no-model "$tmp/c" -o "$tmp/r.jsonl"
grep -q "^doppel: read 5 documents (1 skipped) in [0-9.]* s$" "$tmp/err" || fail "no reading stage line: $(cat "$tmp/err")"
grep -q "^doppel: compared 10 pairs, [0-9]* reported, in [0-9.]* s$" "$tmp/err" || fail "no comparing stage line: $(cat "$tmp/err")"
grep -q "^doppel: 5 documents, 1 skipped, 10 pairs compared, [0-9]* reported: $tmp/r.jsonl$" "$tmp/err" ||
  fail "no summary line with -o: $(cat "$tmp/err")"
[ "$(grep -c 'blob.bin' "$tmp/err")" = 1 ] || fail "the skipped file not warned once: $(cat "$tmp/err")"
# the table lists skipped documents itself: no second warning on stderr
expect 0 "$bin" sweep --no-model "$tmp/c" -f table
[ "$(cat "$tmp/out" "$tmp/err" | grep -c 'blob.bin')" = 1 ] || fail "table: blob.bin not listed once: $(cat "$tmp/out" "$tmp/err")"
grep -q "^in $tmp/c/$" "$tmp/out" || fail "table: the common directory not said once: $(cat "$tmp/out")"
! grep -q "^$tmp" "$tmp/out" || fail "table: a full path on a row"
awk 'length($0) > 80 { exit 1 }' "$tmp/out" || fail "table wider than 80 columns"
grep -q "s12.txt *s39.txt *[0-9.]* *[0-9]*% *[0-9]*% *1 verbatim" "$tmp/out" || fail "table: no passage kinds: $(cat "$tmp/out")"

# ---- --by-dir: a bad submission counted once; one without readable text named by its formats
mkdir -p "$tmp/d/s1" "$tmp/d/s2" "$tmp/d/s3" "$tmp/d/s4"
cp "$subs/s12/essay.txt" "$tmp/d/s1/"; cp "$subs/s39/essay.txt" "$tmp/d/s2/"; cp "$subs/s29/essay.txt" "$tmp/d/s3/"
cp "$tmp/c/blob.bin" "$tmp/d/s3/extra.bin"
printf 'PK\3\4\0\0\0\0binary' > "$tmp/d/s4/essay.docx"; printf '%%PDF-1.4\n\0\0\0\1\2' > "$tmp/d/s4/essay.pdf"
expect 0 "$bin" sweep --no-model --by-dir "$tmp/d" -o "$tmp/bd.jsonl"
grep -q '"type":"summary","documents":3,"skipped":1,' "$tmp/bd.jsonl" || fail "by-dir counts: $(tail -n 1 "$tmp/bd.jsonl")"
grep -qF "$tmp/d/s3/extra.bin: left out of its submission: binary" "$tmp/err" || fail "by-dir left-out file: $(cat "$tmp/err")"
grep -qF "$tmp/d/s4: skipped: no text doppel can read: its files are .docx, .pdf; doppel reads plain text" "$tmp/err" ||
  fail "by-dir unreadable formats: $(cat "$tmp/err")"

# ---- -o: no silent format, no late failure
expect 2 "$bin" sweep --no-model "$tmp/c" -o "$tmp/out.xyz"
grep -q "'.xyz' names no report format" "$tmp/err" || fail "-o out.xyz: $(cat "$tmp/err")"
[ ! -e "$tmp/out.xyz" ] || fail "-o out.xyz was written"
expect 0 "$bin" sweep --no-model "$tmp/c" -o "$tmp/noext"
grep -q "$tmp/noext: writing JSON Lines" "$tmp/err" || fail "-o without an extension: the format not said"
expect 3 "$bin" sweep --no-model "$tmp/c" -o "$tmp/missing/dir/x.html"
grep -q "$tmp/missing/dir/x.html" "$tmp/err" || fail "missing directory not named: $(cat "$tmp/err")"
! grep -q "doppel: read\|doppel: compared" "$tmp/err" || fail "the sweep ran before the output was checked"

# ---- JSON scores as the float holds them; CSV in the table's order (score, highest first)
python3 - "$tmp/r.jsonl" <<'PY'
import json, re, struct, sys
for line in open(sys.argv[1]):
    for num in re.findall(r'"(?:score|a_coverage|b_coverage)":([0-9.e-]+)', line):
        digits = len(re.sub(r"^0\.0*|\.|e.*$", "", num))
        assert digits <= 9, ("more digits than a float holds", num)
        f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
        f = f32(float(num))
        # the shortest form: one digit fewer would read back as another float
        assert digits == 1 or f32(float("%.*g" % (digits - 1, f))) != f, num
PY
"$bin" sweep --no-model -t 0 "$tmp/c" -f csv -o "$tmp/r.csv" 2> /dev/null
"$bin" sweep --no-model -t 0 "$tmp/c" -f table > "$tmp/r.table"
[ "$(sed 1d "$tmp/r.csv" | cut -d, -f1,2 | sed "s|$tmp/c/||g" | tr -d '\r')" = \
  "$(sed -n '3,12p' "$tmp/r.table" | awk '{ print $1 "," $2 }')" ] || fail "CSV and table in different orders"
sed 1d "$tmp/r.csv" | cut -d, -f3 | sort -c -r -g || fail "CSV not by score"
echo "output: ok"
