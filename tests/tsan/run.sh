#!/usr/bin/env bash
# Builds the suite under ThreadSanitizer into build-tsan and runs the concurrency test
# (tests/tsan/test_threads.c). OpenBLAS is not instrumented, so it runs single-threaded:
# the threads under test are doppel's own.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ ! -f build-tsan/build.ninja ]; then
  meson setup build-tsan --werror -Db_sanitize=thread -Db_lundef=false -Dbench=false >/dev/null
fi
meson compile -C build-tsan -j2 tests/test_tsan_threads >/dev/null
OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  meson test -C build-tsan --print-errorlogs --timeout-multiplier 4 tsan_threads
