#!/usr/bin/env bash
# The library as a user gets it: `meson install` into a scratch root, then
#  - a C program built with the installed headers only (<doppel.h>, <doppel_io.h>) and
#    `pkg-config --cflags --libs doppel-io doppel` (examples/sweep/sweep_jsonl.c) writes
#    the same JSON Lines as `doppel sweep` on the demo set (--by-dir, the template, the
#    default model; all but the summary's "seconds", the run's wall time);
#  - the installed headers compile on their own, in C and as C++ would see them;
#  - the installed Python package imports, with PYTHONPATH as the README says.
#   installed.sh BUILD_DIR PREFIX LIBDIR INCLUDEDIR DATADIR
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
build=$1 prefix=$2 libdir=$3 includedir=$4 datadir=$5
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $includedir in /*) ;; *) includedir=$prefix/$includedir ;; esac
case $datadir in /*) ;; *) datadir=$prefix/$datadir ;; esac
root=$tmp/root
meson install -C "$build" --destdir "$root" --no-rebuild --quiet >/dev/null

[ -f "$root$includedir/doppel.h" ] && [ -f "$root$includedir/doppel_io.h" ] || fail "headers not installed"
# nothing but the public headers: no private ones beside them
[ "$(cd "$root$includedir" && ls)" = "$(printf 'doppel.h\ndoppel_io.h')" ] || fail "installed headers: $(ls "$root$includedir")"

export PKG_CONFIG_PATH=$root$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
flags=$(pkg-config --cflags --libs doppel-io doppel) || fail "pkg-config doppel-io doppel"
case " $flags " in *" -I$src"*|*" -I$build"*) fail "pkg-config points into the source or build tree: $flags" ;; esac
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror "$src/examples/sweep/sweep_jsonl.c" \
  -o "$tmp/sweep_jsonl" $flags || fail "the example does not build against the installed headers"
printf '#include <doppel_io.h>\nint main(void) { return doppel_version_number() < 10100; }\n' > "$tmp/h.c"
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$tmp/h.c" -o "$tmp/h" $flags || fail "<doppel_io.h> alone"
LD_LIBRARY_PATH=$root$libdir "$tmp/h" || fail "the installed library is older than its header"

demo=$src/corpora/demo
model=$src/corpora/models/default.dpm
LD_LIBRARY_PATH=$root$libdir "$tmp/sweep_jsonl" --by-dir --template "$demo/template.txt" --model "$model" \
  "$demo/submissions" > "$tmp/lib.jsonl" 2> "$tmp/lib.err" || { cat "$tmp/lib.err" >&2; fail "sweep_jsonl"; }
"$bin" sweep --by-dir --template "$demo/template.txt" --model "$model" -f jsonl "$demo/submissions" \
  > "$tmp/cli.jsonl" 2>/dev/null
noseconds() { sed -E 's/,"seconds":[0-9.e+-]+//' "$1"; }
diff <(noseconds "$tmp/lib.jsonl") <(noseconds "$tmp/cli.jsonl") || fail "the library program's JSONL differs from doppel sweep's"
[ "$(grep -c '"type":"pair"' "$tmp/lib.jsonl")" -ge 5 ] || fail "too few pairs to compare: $(cat "$tmp/lib.jsonl")"
grep -q '"type":"summary","documents":40,"skipped":0,"pairs_compared":780,' "$tmp/lib.jsonl" \
  || fail "summary: $(tail -n 1 "$tmp/lib.jsonl")"

# the Python package, as installed
py=/usr/bin/python3
[ -x $py ] || py=python3
if $py -c 'import numpy' 2>/dev/null; then
  got=$(cd "$tmp" && PYTHONPATH=$root$datadir/doppel/python $py -c 'import doppel; print(doppel.version())') \
    || fail "import doppel from the installed package"
  [ "$got" = "$("$bin" --version | sed -E 's/^doppel //; s/ .*//')" ] || fail "python version $got"
fi
echo ok
