#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz and runs each from its
# committed seeds under tests/fuzz/corpus/, FUZZ_RUNS inputs with a fixed seed.
# Any crash, leak, sanitizer report or failed invariant fails the script; the input
# that caused it is kept as build-fuzz/findings/<target>/crash-* (or leak-*, oom-*).
#   FUZZ_RUNS=N       inputs per target (default 150000; 20000 for the input-layer
#                     targets office, html and zip, whose inputs go through libzip
#                     and libxml2 and cost more each): with a fixed seed the same
#                     inputs are tried on every machine, so CI cannot go red on a new
#                     random path that a developer's run of the same commit did not try
#   FUZZ_SEED=N       libFuzzer's seed (default 1)
#   FUZZ_SECONDS=N    time cap per target (default 60)
#   FUZZ_TARGETS="a b" only these targets (names without fuzz_)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-150000}
io_runs=${FUZZ_RUNS:-20000}
seed=${FUZZ_SEED:-1}
build=build-fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzz=true -Dtests=false -Dbench=false >/dev/null
fi
targets=${FUZZ_TARGETS:-$(sed -n "s/^fuzz_targets = \[\(.*\)\]/\1/p" tests/fuzz/meson.build | tr -d "',")}
targets=${targets//fuzz_/}
exes=()
for t in $targets; do exes+=("fuzz_$t"); done
if ! meson compile -C "$build" -j2 "${exes[@]/#/tests/fuzz/}" >"$build/compile.log" 2>&1; then
  grep -E "error|undefined" "$build/compile.log" | head -20 >&2
  echo "FAIL: the fuzz targets do not build (see $build/compile.log)" >&2
  exit 1
fi

status=0
for t in $targets; do
  seeds="tests/fuzz/corpus/$t"
  work="$build/corpus/$t"   # grows while fuzzing; new each run, so every run tries the same inputs
  rm -rf "$work"
  findings="$build/findings/$t"
  mkdir -p "$work" "$findings"
  n=$runs
  case $t in office | html | zip) n=$io_runs ;; esac
  echo "fuzz_$t: $n inputs (seed $seed, at most ${seconds}s) from $(ls "$seeds" | wc -l) seeds"
  log="$build/findings/$t.log"
  if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
      "$build/tests/fuzz/fuzz_$t" -seed="$seed" -runs="$n" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 "$work" "$seeds" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units' "$log" | sed 's/^/  /' || true
  else
    status=1
    echo "FAIL fuzz_$t: see $log; inputs kept in $findings:" >&2
    ls "$findings" >&2
    grep -E 'ERROR|invariant failed|runtime error|SUMMARY' "$log" | head -20 >&2 || true
  fi
done
exit $status
