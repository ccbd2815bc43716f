#!/usr/bin/env bash
# libdoppel.so exports exactly the functions <doppel.h> declares (every one, and nothing
# else: no dp_* internals), and `pkg-config --cflags doppel` gives only doppel's own
# include directory (no private dependency's flags).
#   exports.sh LIBDOPPEL_SO PKGCONFIG_DIR
set -euo pipefail
lib=${1:?} pcdir=${2:?}
header=${DOPPEL_SOURCE_ROOT:?}/include/doppel.h
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwDdBbRrVvi]$/ {print $3}' | sort)
declared=$(grep -oE '^DOPPEL_API [^(]*\(' "$header" | grep -oE '[A-Za-z_0-9]+ *\($' | tr -d ' (' | sort)
[ -n "$declared" ] || { echo "FAIL: no DOPPEL_API declarations found in $header"; exit 1; }
others=$(grep -v '^doppel_' <<<"$exported" || true)
[ -z "$others" ] || { echo "FAIL: libdoppel.so exports symbols outside doppel_*:"; echo "$others"; exit 1; }
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[ -z "$missing" ] || { echo "FAIL: declared in doppel.h but not exported:"; echo "$missing"; exit 1; }
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
[ -z "$extra" ] || { echo "FAIL: exported but not declared in doppel.h:"; echo "$extra"; exit 1; }
echo "exports: $(wc -l <<<"$exported") doppel_* functions, as declared"

cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags doppel)
for f in $cflags; do
  case $f in -I*/include) ;; *) echo "FAIL: pkg-config --cflags doppel leaks '$f' (all: $cflags)"; exit 1 ;; esac
done
[ "$(wc -w <<<"$cflags")" -le 1 ] || { echo "FAIL: pkg-config --cflags doppel: $cflags"; exit 1; }
echo "pkg-config --cflags doppel: $cflags"
