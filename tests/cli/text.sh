#!/usr/bin/env bash
# doppel tokenize / doppel sentences: exact outputs on the committed files in
# tests/text/data, warnings for invalid input, exit codes 2 and 3.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
cd "$DOPPEL_SOURCE_ROOT/tests/text/data"

# same_file NAME EXPECTED-FILE ACTUAL-FILE
same_file() { diff -u "$2" "$3" >&2 || fail "$1"; }

# one output line per input line: CRLF, CR, NEL and LF all end a line
"$DOPPEL_BIN" tokenize mixed.txt > "$tmp/out"
printf '%s\n' "hello , world ! don't stop ." "strasse 3.14" "café" "" "中 文 👍" > "$tmp/want"
same_file "tokenize mixed.txt" "$tmp/want" "$tmp/out"

# stdin, and a last line without a line end
printf 'A b\n\nC' | "$DOPPEL_BIN" tokenize - > "$tmp/out"
printf 'a b\n\nc\n' > "$tmp/want"
same_file "tokenize stdin" "$tmp/want" "$tmp/out"

# cp1252 is detected; offsets point into the file's own bytes
"$DOPPEL_BIN" tokenize --offsets cp1252.txt > "$tmp/out"
cat > "$tmp/want" <<'JSON'
{"token":"“","start":0,"end":1}
{"token":"café","start":1,"end":5}
{"token":"”","start":5,"end":6}
{"token":"costs","start":7,"end":12}
{"token":"€","start":13,"end":14}
{"token":"5","start":15,"end":16}
{"token":".","start":16,"end":17}
{"token":"fin","start":18,"end":21}
{"token":".","start":21,"end":22}
JSON
same_file "tokenize --offsets cp1252.txt" "$tmp/want" "$tmp/out"
# every span sliced from the file decodes to its token's spelling
head -c 5 cp1252.txt | tail -c 4 > "$tmp/slice"
printf 'Caf\xe9' | cmp -s - "$tmp/slice" || fail "cp1252 slice"

# forced encodings
printf 'cafe costs 5 . fin .\n' > "$tmp/want"
"$DOPPEL_BIN" tokenize --strip-accents --encoding=latin1 cp1252.txt > "$tmp/out"
same_file "tokenize --strip-accents --encoding latin1" "$tmp/want" "$tmp/out"
[ "$("$DOPPEL_BIN" tokenize --encoding utf-8 cp1252.txt 2>/dev/null)" = "� caf � costs � 5 . fin ." ] ||
    fail "forced utf-8"

# UTF-16LE with BOM: offsets count the file's 2-byte units
"$DOPPEL_BIN" tokenize --offsets utf16le.txt > "$tmp/out"
printf '%s\n' '{"token":"hi","start":2,"end":6}' '{"token":".","start":6,"end":8}' \
    '{"token":"ok","start":10,"end":14}' > "$tmp/want"
same_file "tokenize --offsets utf16le.txt" "$tmp/want" "$tmp/out"

# sentences
"$DOPPEL_BIN" sentences prose.txt > "$tmp/out"
cat > "$tmp/want" <<'JSON'
{"start":0,"end":18,"text":"Dr. Smith arrived."}
{"start":19,"end":26,"text":"He sat."}
{"start":28,"end":56,"text":"New paragraph\nwithout a stop"}
JSON
same_file "sentences prose.txt" "$tmp/want" "$tmp/out"
[ "$(head -c 56 prose.txt | tail -c 28)" = $'New paragraph\nwithout a stop' ] || fail "prose slice"

"$DOPPEL_BIN" sentences --encoding auto cp1252.txt > "$tmp/out"
printf '%s\n' '{"start":0,"end":17,"text":"“Café” costs € 5."}' '{"start":18,"end":22,"text":"Fin."}' > "$tmp/want"
same_file "sentences cp1252.txt" "$tmp/want" "$tmp/out"

# invalid UTF-8: output with U+FFFD, a warning naming file, byte and count, exit 0
"$DOPPEL_BIN" tokenize invalid.txt > "$tmp/out" 2> "$tmp/err"
printf 'ok � � bad � end . été à la plage , naïve\n' > "$tmp/want"
same_file "tokenize invalid.txt" "$tmp/want" "$tmp/out"
printf 'doppel: warning: invalid.txt: byte 3: 3 invalid byte sequences replaced by U+FFFD\n' > "$tmp/want"
same_file "warning for invalid.txt" "$tmp/want" "$tmp/err"
"$DOPPEL_BIN" sentences invalid.txt > "$tmp/out" 2> "$tmp/err"
same_file "sentences warning" "$tmp/want" "$tmp/err"
[ "$(cat "$tmp/out")" = '{"start":0,"end":41,"text":"ok �� bad� end. été à la plage, naïve"}' ] ||
    fail "sentences invalid.txt"

# exit codes: 2 for usage, 3 for a missing file
expect_exit() {
    local want=$1 pattern=$2
    shift 2
    set +e
    "$DOPPEL_BIN" "$@" > /dev/null 2> "$tmp/err"
    local got=$?
    set -e
    [ "$got" -eq "$want" ] || fail "exit $got, expected $want: $*"
    grep -qF -- "$pattern" "$tmp/err" || { cat "$tmp/err" >&2; fail "message for: $*"; }
}
expect_exit 2 "unknown option '--bogus'" tokenize --bogus prose.txt
expect_exit 2 "unknown option '--offsets'" sentences --offsets prose.txt
expect_exit 2 "got 'ebcdic'" sentences --encoding ebcdic prose.txt
expect_exit 2 "option '--encoding' needs an argument" tokenize --encoding
expect_exit 2 "expects one FILE" tokenize a.txt b.txt
expect_exit 3 "doppel: no-such-file.txt: cannot open" tokenize no-such-file.txt
expect_exit 3 "doppel: no-such-file.txt: cannot open" sentences no-such-file.txt
expect_exit 3 "doppel: .: not a regular file" sentences .
"$DOPPEL_BIN" tokenize --help | grep -q -- '--offsets' || fail "tokenize --help"
"$DOPPEL_BIN" sentences --help | grep -q -- '--encoding' || fail "sentences --help"
echo "text CLI: all checks passed"
