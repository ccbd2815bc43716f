#!/usr/bin/env bash
# libdoppel.so exports exactly the functions <doppel.h> declares (every one, and nothing
# else: no dp_* internals), and `pkg-config --cflags doppel` gives only doppel's own
# include directory (no private dependency's flags); the same for libdoppel-io.so,
# <doppel_io.h> and doppel-io.
#   exports.sh LIB_SO PKGCONFIG_DIR [HEADER MACRO PKGNAME]   (default: doppel.h DOPPEL_API doppel)
set -euo pipefail
lib=${1:?} pcdir=${2:?} header=${DOPPEL_SOURCE_ROOT:?}/include/${3:-doppel.h} macro=${4:-DOPPEL_API} pc=${5:-doppel}
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwDdBbRrVvi]$/ {print $3}' | sort)
declared=$(grep -oE "^$macro [^(]*\\(" "$header" | grep -oE '[A-Za-z_0-9]+ *\($' | tr -d ' (' | sort)
[ -n "$declared" ] || { echo "FAIL: no $macro declarations found in $header"; exit 1; }
others=$(grep -v '^doppel_' <<<"$exported" || true)
[ -z "$others" ] || { echo "FAIL: $lib exports symbols outside doppel_*:"; echo "$others"; exit 1; }
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[ -z "$missing" ] || { echo "FAIL: declared in $header but not exported:"; echo "$missing"; exit 1; }
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
[ -z "$extra" ] || { echo "FAIL: exported but not declared in $header:"; echo "$extra"; exit 1; }
echo "exports: $(wc -l <<<"$exported") doppel_* functions, as declared"

cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags "$pc")
for f in $cflags; do
  case $f in -I*/include) ;; *) echo "FAIL: pkg-config --cflags $pc leaks '$f' (all: $cflags)"; exit 1 ;; esac
done
[ "$(wc -w <<<"$cflags")" -le 1 ] || { echo "FAIL: pkg-config --cflags $pc: $cflags"; exit 1; }
echo "pkg-config --cflags $pc: $cflags"
