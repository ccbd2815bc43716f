#!/usr/bin/env bash
# doppel sweep on hostile corpora: empty, binary, invalid UTF-8 and UTF-16 files, a
# symlink loop, unreadable files and directories, a 100 MB file without a line end
# (skipped by --max-bytes before it is read: memory stays small), and --jsonl files
# with malformed lines, wrong types and a 100 MB line. Each bad document is skipped
# with a reason, listed in the JSONL report and on the CSV run's stderr; the others
# are compared; the exit code is 0 (3 only when a named input cannot be read at all).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
cd "$tmp"
# pairs FILE: "a b b_start b_end" of each pair of a JSONL report (first passage)
pairs() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["type"] == "pair":
        p = o["passages"][0]
        print(o["a"], o["b"], p["b_start"], p["b_end"])' "$1"; }
big() { (set +o pipefail; yes 'lorem ipsum dolor sit amet, ' | tr -d '\n' | head -c 100000000); }

# 135 bytes shared by every readable document
s='The committee met on Tuesday to discuss the budget for the coming year, and after a long debate it agreed to fund the new library wing.'
same "${#s}" 135 "shared sentence length"

# --- a directory of everything
mkdir c
printf '%s Alice wrote this.\n' "$s" >c/a.txt
printf '%s Bob copied it.\n' "$s" >c/b.txt
: >c/empty.txt
printf '\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0\x10\x10\0\0\0\0\0\0' >c/bin.dat
# 27 bytes of invalid UTF-8 and text before the shared sentence
printf 'caf\xe9 \xff\xfe broken \xc0\xaf utf8 but %s\n' "$s" >c/inv.txt
# UTF-16LE with a byte-order mark: the sentence is bytes 2..272
printf '%s\n' "$s" | iconv -f utf-8 -t utf-16le | { printf '\xff\xfe'; cat; } >c/u16.txt
ln -s loop2 c/loop1
ln -s loop1 c/loop2
big >c/big.txt
same "$(wc -c <c/big.txt) $(tr -d -c '\n' <c/big.txt | wc -c)" "100000000 0" "big.txt: 100 MB, no line end"

expect 0 /usr/bin/time -f '%M' -o rss "$bin" sweep --no-model c -o r.jsonl
[ "$(tail -n 1 rss)" -lt 65536 ] || fail "sweep with a 100 MB file: peak RSS $(tail -n 1 rss) KiB"
skipped='{"type":"skipped","id":"c/big.txt","reason":"larger than 4194304 bytes (--max-bytes)"}
{"type":"skipped","id":"c/bin.dat","reason":"binary"}
{"type":"skipped","id":"c/empty.txt","reason":"empty"}
{"type":"skipped","id":"c/loop1","reason":"symlink loop"}
{"type":"skipped","id":"c/loop2","reason":"symlink loop"}'
same "$(grep '"type":"skipped"' r.jsonl)" "$skipped" "skipped documents in the report"
same "$(pairs r.jsonl)" "c/a.txt c/b.txt 0 135
c/a.txt c/inv.txt 0 162
c/a.txt c/u16.txt 2 272
c/b.txt c/inv.txt 0 162
c/b.txt c/u16.txt 2 272
c/inv.txt c/u16.txt 2 272" "pairs among the readable documents"
grep -q '"type":"summary","documents":4,"skipped":5,"pairs_compared":6,"pairs_reported":6,' r.jsonl ||
  fail "summary: $(tail -n 1 r.jsonl)"
warnings=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["type"] == "skipped":
        print("doppel: warning: %s: skipped: %s" % (o["id"], o["reason"]))' r.jsonl)
same "$(grep -v '^doppel: [0-9a-z]* .* in [0-9.]* s$\|^doppel: [0-9]* documents, .*: r.jsonl$' err)" "$warnings" "warnings name each skipped file and why"
grep -qxF "doppel: 4 documents, 5 skipped, 6 pairs compared, 6 reported: r.jsonl" err || fail "no summary line with -o: $(cat err)"

# the CSV run lists the skipped documents on stderr; the pairs are the same (CSV in score order)
expect 0 "$bin" sweep --no-model c -f csv
same "$(sed 1d out | cut -d, -f1,2 | LC_ALL=C sort)" "$(pairs r.jsonl | cut -d' ' -f1,2 | tr ' ' , | LC_ALL=C sort)" "CSV pairs"
for id in c/big.txt c/bin.dat c/empty.txt c/loop1 c/loop2; do
  reason=$(grep -F "\"id\":\"$id\"" r.jsonl | sed 's/.*"reason":"\(.*\)"}$/\1/')
  grep -qxF "skipped: $id: $reason" err || fail "CSV stderr does not list $id: $(cat err)"
done
grep -q '^summary: 4 documents, 5 skipped, 6 pairs compared, 6 reported' err || fail "CSV summary: $(cat err)"

# a lower --max-bytes names its limit
expect 0 "$bin" sweep --no-model --max-bytes 170 c -o r170.jsonl
same "$(grep '"reason":"larger than 170 bytes (--max-bytes)"' r170.jsonl | cut -d'"' -f8 | tr '\n' ' ')" \
  "c/big.txt c/u16.txt " "big.txt and u16.txt (276 bytes) above 170 bytes"

# --exit-code still reports found pairs despite the skipped files
expect 1 "$bin" sweep --no-model --exit-code c -o /dev/null
[ -c /dev/null ] || fail "-o /dev/null replaced the device with a file"
# a report that cannot be written is a runtime error, whether -o or stdout
expect 3 "$bin" sweep --no-model c -o /dev/full
same "$(tail -n 1 err)" "doppel: /dev/full: cannot write output: No space left on device" "-o /dev/full"
[ -c /dev/full ] || fail "-o /dev/full replaced the device with a file"
mkdir many
for i in $(seq 300); do : >"many/e$i.txt"; done # their skipped lines fill the stdio buffer
got=0
"$bin" sweep --no-model many -f jsonl >/dev/full 2>err || got=$?
same "$got" 3 "exit code, stdout on /dev/full"
same "$(tail -n 1 err)" "doppel: cannot write output: No space left on device" "stdout on /dev/full"

# --- unreadable file and directory: root reads them anyway, so as root doppel runs as
# nobody here (when setpriv is there and nobody can run it)
unprivileged
if [ "${as[0]:-}" = skip ]; then
  echo "SKIP (unreadable files): running as root and nobody cannot run $bin"
else
  mkdir u u/closed
  cp c/a.txt c/b.txt u/
  cp c/b.txt u/closed/
  printf 'secret' >u/locked.txt
  chmod 000 u/locked.txt u/closed
  expect 0 "${as[@]}" "$bin" sweep --no-model u -f csv
  grep -qxF 'skipped: u/closed: unreadable directory: Permission denied' err || fail "unreadable directory: $(cat err)"
  grep -qxF 'skipped: u/locked.txt: unreadable: cannot open: Permission denied' err || fail "unreadable file: $(cat err)"
  same "$(sed 1d out | cut -d, -f1,2)" "u/a.txt,u/b.txt" "the readable files are still compared"
fi

# --- a named input that does not exist: nothing to do, exit 3
expect 3 "$bin" sweep --no-model c/nope
same "$(cat err)" "doppel: c/nope: no such file or directory" "missing PATH"
expect 3 "$bin" sweep --no-model --jsonl nope.jsonl
same "$(cat err)" "doppel: nope.jsonl: cannot open: No such file or directory" "missing --jsonl file"

# --- --jsonl: malformed lines are skipped as FILE:LINE, the rest is read
{
  printf '{"id": "a", "text": "%s Alice."}\n' "$s"
  printf '{"id": "b", "text": \n'
  printf '{"id": [], "text": "x"}\n'
  printf '{"id": "c", "text": 5}\n'
  printf '\n'
  printf '{"id": 7, "text": "%s Seven."}\n' "$s"
  printf '{"id": "bad", "text": "caf\xe9"}\n'
  printf '{"id": "nul", "text": "\\u0000\\u0000\\u0001\\u0002\\u0003\\u0004"}\n'
  printf 'not json at all\n'
  printf '{"id": "", "text": "%s"}\n' "$s"
  printf '{"id": "u16", "text": "\\ud83d\\ude00 %s"}' "$s"
} >in.jsonl
expect 0 "$bin" sweep --no-model --jsonl in.jsonl -o j.jsonl
skipped='{"type":"skipped","id":"in.jsonl:2","reason":"malformed line: unexpected token near end of file"}
{"type":"skipped","id":"in.jsonl:3","reason":"malformed line: no string or integer \"id\""}
{"type":"skipped","id":"in.jsonl:4","reason":"malformed line: no string \"text\""}
{"type":"skipped","id":"in.jsonl:7","reason":"malformed line: unable to decode byte 0xe9 near '"'"'\"caf'"'"'"}
{"type":"skipped","id":"nul","reason":"binary"}
{"type":"skipped","id":"in.jsonl:9","reason":"malformed line: '"'"'['"'"' or '"'"'{'"'"' expected near '"'"'not'"'"'"}
{"type":"skipped","id":"in.jsonl:10","reason":"malformed line: \"id\" is empty or holds a NUL"}'
same "$(grep '"type":"skipped"' j.jsonl)" "$skipped" "skipped --jsonl lines"
# offsets into a --jsonl document are into its text's UTF-8 bytes: the emoji is 4
same "$(pairs j.jsonl)" "a 7 0 135
a u16 0 140
7 u16 0 140" "pairs of the well-formed lines"
grep -q '"type":"summary","documents":3,"skipped":7,' j.jsonl || fail "jsonl summary: $(tail -n 1 j.jsonl)"
expect 0 "$bin" sweep --no-model --jsonl in.jsonl -f csv
for id in in.jsonl:2 in.jsonl:3 in.jsonl:4 in.jsonl:7 nul in.jsonl:9 in.jsonl:10; do
  grep -q "^skipped: $id: " err || fail "CSV stderr does not list $id: $(cat err)"
done
same "$(sed 1d out | cut -d, -f1,2 | LC_ALL=C sort)" "7,u16
a,7
a,u16" "CSV pairs of the well-formed lines"

# --- --jsonl with a 100 MB line: skipped as FILE:LINE without holding it whole
{ printf '{"id": "huge", "text": "'; big; printf '"}\n'; printf '{"id": "after", "text": "%s"}\n' "$s"; } >big.jsonl
expect 0 /usr/bin/time -f '%M' -o rss "$bin" sweep --no-model --jsonl big.jsonl --jsonl in.jsonl -f csv
# at most 6 x 4 MiB + 64 KiB of the line is held (~25 MB; more under ASan); holding
# it whole, and its parsed text, took over 200 MB
[ "$(tail -n 1 rss)" -lt 131072 ] || fail "--jsonl with a 100 MB line: peak RSS $(tail -n 1 rss) KiB"
grep -qxF 'skipped: big.jsonl:1: larger than 4194304 bytes (--max-bytes)' err || fail "100 MB line: $(cat err)"
same "$(sed 1d out | cut -d, -f1,2 | LC_ALL=C sort | tr '\n' ' ')" "7,u16 a,7 a,u16 after,7 after,a after,u16 " "the line after the huge one is read"
echo ok
