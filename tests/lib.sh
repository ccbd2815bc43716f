# shellcheck shell=bash disable=SC2034  # bin and src are for the scripts that source this
# Helpers shared by the command-line test scripts (tests/cli/*.sh, tests/hostile/*.sh).
# A script sources it right after `set -euo pipefail`:
#   . "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
# and then has $bin (the program under test), $src (the source tree) and $tmp, a fresh
# directory removed on exit. DOPPEL_MODEL is unset so that the caller's environment cannot
# pick the model a test runs with.
bin=${DOPPEL_BIN:?}
src=${DOPPEL_SOURCE_ROOT:?}
tmp=$(mktemp -d)
# made writable first: some tests leave unreadable files and directories in it
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
unset DOPPEL_MODEL

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect CODE CMD...: runs CMD and checks its exit code; its stdout is left in $tmp/out,
# its stderr in $tmp/err (and shown when the code is not CODE)
expect() {
  local want=$1; shift
  local got=0
  "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" = "$want" ] || { cat "$tmp/err" >&2; fail "exit $got, expected $want: $*"; }
}

# same ACTUAL EXPECTED WHAT: the two strings are equal, else fails naming WHAT
same() { [ "$1" = "$2" ] || fail "$3: got [$1], expected [$2]"; }

# unprivileged: sets the array `as` to the prefix that runs a command where unreadable
# files are unreadable: nothing for a user, setpriv to nobody for root (who reads them
# anyway; $tmp is opened to nobody then), or (skip) when nobody cannot run $bin
unprivileged() {
  as=()
  if [ "$(id -u)" = 0 ]; then
    chmod 755 "$tmp"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    "${as[@]}" "$bin" --version >/dev/null 2>&1 || as=(skip)
  fi
}
