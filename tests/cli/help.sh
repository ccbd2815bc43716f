#!/usr/bin/env bash
# Every command's --help lays its options out one way (names from column 2, a long
# option alone from column 6, the text from column 25, or two spaces after names that
# reach past column 22), and the defaults a help names are the ones the command uses
# (init-model's, against the model it writes without options).
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"

cmds=$("$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ "$(echo "$cmds" | wc -l)" -ge 12 ] || fail "the command list of doppel --help: $cmds"
check() { # NAME: the help on $tmp/out
  awk -v name="$1" '
    match($0, /^ +-/) && RLENGTH < 9 {
      if (!match($0, /^(  -[A-Za-z0-9], --|      --)/)) { print name ": names not at column 2 or 6: " $0; bad = 1; next }
      if (!match($0, /[^ ]  +[^ ]/)) { print name ": no text after the names: " $0; bad = 1; next }
      names_end = RSTART + 1; text = RSTART + RLENGTH - 1
      if ((names_end <= 23 && text != 26) || (names_end > 23 && text != names_end + 2)) {
        print name ": text at column " text - 1 ", not 25: " $0; bad = 1
      }
      n++
    }
    END { if (!n) { print name ": no option lines"; bad = 1 } exit bad }' "$tmp/out" >&2 || fail "$1's help layout"
}
for c in $cmds; do
  expect 0 "$bin" "$c" --help
  check "$c"
done
for s in create add remove query merge; do
  expect 0 "$bin" index "$s" --help
  check "index $s"
done

# init-model's help names the defaults of the model it writes
expect 0 "$bin" init-model --help
mv "$tmp/out" "$tmp/help"
expect 0 "$bin" init-model -o "$tmp/m.dpm"
expect 0 "$bin" info -m "$tmp/m.dpm"
python3 - "$tmp/help" "$tmp/out" <<'PY' || fail "init-model's help and its model differ"
import json, re, sys
help, info = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
def said(opt):
    """the last (...) of option opt's text, continuation lines included"""
    m = re.search(r"^ +" + re.escape(opt) + r" .*?(?=^ {1,6}-|\Z)", help, re.M | re.S)
    return re.findall(r"\(([^()]*)\)", m.group(0))[-1] if m else None
want = {"--embed-dim": info["embed_dim"], "--hidden": info["hidden"], "--layers": info["layers"],
        "--out-dim": info["out_dim"], "--buckets": info["buckets"], "--pooling": info["pooling"],
        "--minn N, --maxn": "%d, %d" % (info["minn"], info["maxn"]), "--dtype": info["dtype"]}
for opt, v in want.items():
    if said(opt) != str(v):
        sys.exit("%s: the help says %s, the model has %s" % (opt, said(opt), v))
PY
echo "PASS: help layout of $(echo $cmds | wc -w) commands and index's subcommands; init-model's defaults"
