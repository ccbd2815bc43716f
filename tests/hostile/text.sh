#!/usr/bin/env bash
# doppel tokenize / sentences on hostile input: every kind of invalid UTF-8, NUL bytes,
# empty files, missing and non-regular paths, runs that once overflowed the regex
# engine, and a 100 MB file without a line end (refused by the documented 64 MiB cap
# before it is read, so memory stays small).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
cd "$tmp"

# --- invalid UTF-8, one of each kind; U+FFFD per maximal subpart (Unicode ch. 3):
# stray continuation 80 (1), overlong C0 AF (2), overlong E0 80 AF (3), surrogate
# ED A0 80 (3), above U+10FFFF F4 90 80 80 (4), cut short F0 9F 98 (1), FE FF (2),
# cut short at the end E2 82 (1): 17 in all, the first at byte 1.
printf 'a\x80b \xc0\xafc \xe0\x80\xafd \xed\xa0\x80e \xf4\x90\x80\x80f \xf0\x9f\x98 g \xfe\xffh \xe2\x82' >inv.txt
r=$'\xef\xbf\xbd'
for enc in utf-8 auto; do
  expect 0 "$bin" tokenize --encoding $enc inv.txt
  same "$(cat out)" "a $r b $r $r c $r $r $r d $r $r $r e $r $r $r $r f $r g $r $r h $r" "tokens ($enc)"
  same "$(cat err)" "doppel: warning: inv.txt: byte 1: 17 invalid byte sequences replaced by U+FFFD" "warning ($enc)"
done
expect 0 "$bin" tokenize --offsets --encoding utf-8 inv.txt
same "$(sed -n 1,3p out | tr -d '\n')" '{"token":"a","start":0,"end":1}{"token":"'$r'","start":1,"end":2}{"token":"b","start":2,"end":3}' "offsets around 80"
same "$(grep -c . out)" 25 "token count"
grep -qx '{"token":"'$r'","start":24,"end":27}' out || fail "F0 9F 98 is one U+FFFD over bytes 24..27"
same "$(tail -n 1 out)" '{"token":"'$r'","start":34,"end":36}' "sequence cut by the end of file"
expect 0 "$bin" sentences --encoding utf-8 inv.txt
same "$(grep -c . out)" 1 "one sentence"
grep -q '"start":0,"end":36' out || fail "sentence spans the whole file: $(cat out)"

# --- NUL bytes separate tokens and stay in the text
printf 'one\0two three\0' >nul.txt
expect 0 "$bin" tokenize --offsets nul.txt
same "$(tr -d '\n' <out)" '{"token":"one","start":0,"end":3}{"token":"two","start":4,"end":7}{"token":"three","start":8,"end":13}' "NUL offsets"
same "$(cat err)" "" "NUL: no warning"
expect 0 "$bin" sentences nul.txt
same "$(cat out)" '{"start":0,"end":13,"text":"one\u0000two three"}' "NUL sentence"

# --- empty files: nothing to say, success
: >empty.txt
for cmd in tokenize sentences; do
  expect 0 "$bin" $cmd empty.txt
  same "$(cat out err)" "" "$cmd on an empty file"
  expect 0 "$bin" $cmd - <empty.txt
  same "$(cat out err)" "" "$cmd on empty stdin"
done

# --- paths that are not readable files: exit 3, the message names the path
for cmd in tokenize sentences; do
  expect 3 "$bin" $cmd "$tmp/missing.txt"
  same "$(cat err)" "doppel: $tmp/missing.txt: cannot open: No such file or directory" "$cmd, missing file"
  mkdir -p dir
  expect 3 "$bin" $cmd dir
  same "$(cat err)" "doppel: dir: not a regular file" "$cmd, directory"
  ln -sf loop2 loop1; ln -sf loop1 loop2
  expect 3 "$bin" $cmd loop1
  same "$(cat err)" "doppel: loop1: cannot open: Too many levels of symbolic links" "$cmd, symlink loop"
done
printf 'secret' >locked.txt
chmod 000 locked.txt
unprivileged # root reads it anyway: as root, doppel runs as nobody here when it can
if [ "${as[0]:-}" = skip ]; then
  echo "SKIP (unreadable file): running as root and nobody cannot run $bin"
else
  expect 3 "${as[@]}" "$bin" tokenize locked.txt
  same "$(cat err)" "doppel: locked.txt: cannot open: Permission denied" "unreadable file"
fi

# --- long runs: each one token (these failed the whole document with a regex error)
head -c 200000 /dev/zero | tr '\0' 'x' >word.txt
expect 0 "$bin" tokenize word.txt
same "$(wc -c <out)" 200001 "a 200000-letter word"
{ printf 'n'; for i in $(seq 2000); do printf "'n"; done; } >apos.txt
expect 0 "$bin" tokenize apos.txt
same "$(wc -c <out)" 4002 "2001 letters joined by apostrophes"
{ printf '1'; for i in $(seq 5000); do printf ',1'; done; } >num.txt
expect 0 "$bin" tokenize --offsets num.txt
same "$(cat out)" '{"token":"'"$(cat num.txt)"'","start":0,"end":10001}' "a 10001-byte number"
{ printf 'e'; for i in $(seq 5000); do printf '\xcc\x81'; done; } >marks.txt
expect 0 "$bin" tokenize --offsets marks.txt
same "$(grep -c . out)" 1 "a letter with 5000 combining marks"
grep -q '"start":0,"end":10001}$' out || fail "marks token span"

# --- 100 MB without a line end: refused before reading, memory stays small
(set +o pipefail; yes 'lorem ipsum dolor sit amet, ' | tr -d '\n' | head -c 100000000 >big.txt)
same "$(tr -d -c '\n' <big.txt | wc -c)" 0 "big.txt has no line end"
for cmd in tokenize sentences; do
  expect 3 /usr/bin/time -f '%M' -o rss "$bin" $cmd big.txt
  same "$(cat err)" "doppel: big.txt: byte 67108864: 100000000 bytes, larger than the limit of 67108864 bytes" "$cmd on 100 MB"
  [ "$(tail -n 1 rss)" -lt 65536 ] || fail "$cmd on 100 MB: peak RSS $(tail -n 1 rss) KiB"
  # from a pipe the size is unknown: reading stops at the cap
  expect 3 "$bin" $cmd - <big.txt
  same "$(cat err)" "doppel: <stdin>: byte 67108864: larger than the limit of 67108864 bytes" "$cmd on 100 MB stdin"
done
echo ok
