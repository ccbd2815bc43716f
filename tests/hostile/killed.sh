#!/usr/bin/env bash
# Nothing lost: SIGKILL at random moments while doppel writes a file leaves, under the
# file's name, the previous file whole (or the new one whole), never a part of one.
#  - train writing a checkpoint at every step: each kill's checkpoint resumes, and the
#    run resumed to the end gives the same model, byte for byte, as one never killed;
#  - sweep writing a large HTML report over an earlier one;
#  - index add rewriting an existing index.
# Temporary files (NAME.tmp.<pid>.XXXXXX) a kill leaves behind are never read as NAME;
# the next write of NAME removes those of writers gone for 10 minutes. SIGINT or SIGTERM
# mid-write leaves none.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
data=$src/tests/train/data
cd "$tmp"

# ms_sleep N: sleeps N milliseconds
ms_sleep() { sleep "$(printf '0.%03d' "$1")"; }
# killed PID: SIGKILLs PID; true when it was still running (so the kill cut it short)
killed() {
  local st=0
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || st=$?
  [ "$st" = 137 ]
}
temps() { { compgen -G "$1.tmp.*" || true; } | wc -l; }
# temps_of NAME PID: how many temporary files of NAME the process PID left
temps_of() { { compgen -G "$1.tmp.$2.*" || true; } | wc -l; }
# writing NAME PID: waits until PID has a temporary file of NAME or has ended; builtins
# only (no fork), so the wait ends within microseconds of the file's creation
writing() { until compgen -G "$1.tmp.$2.*" >/dev/null || ! kill -0 "$2" 2>/dev/null; do :; done; }

# --- train: a checkpoint at every step (every 0.6 ms), killed at 4 random moments, and
# once for certain while writing a checkpoint (a file size limit below its size makes the
# kernel kill the writer, SIGXFSZ, once the temporary file passes it)
tiny=(--embed-dim 16 --hidden 16 --out-dim 32 --buckets 8192)
run=(--data "$data/stsb_train_600.tsv:stsb" --steps 3000 --batch 8 --seed 3 --threads 1 "${tiny[@]}")
"$bin" train "${run[@]}" --out whole.dpm 2>/dev/null
kills=0
for round in $(seq 4); do
  resume=()
  [ -f k.ckpt ] && resume=(--resume k.ckpt)
  : >train.err
  "$bin" train "${run[@]}" "${resume[@]}" --out k.dpm --checkpoint k.ckpt --checkpoint-minutes 0.00001 \
    2>train.err &
  pid=$!
  # the checkpoint it resumed from loaded: it has written one of its own
  for _ in $(seq 200); do grep -q '(checkpoint)' train.err && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
  grep -q '(checkpoint)' train.err || { cat train.err >&2; fail "round $round: no checkpoint written"; }
  ms_sleep $((RANDOM % 100))
  killed "$pid" || fail "round $round: the run ended before the kill (raise --steps)"
  kills=$((kills + 1))
  [ -f k.ckpt ] || fail "round $round: no checkpoint after the kill"
  [ ! -f k.dpm ] || fail "round $round: a model was written by a killed run"
done
cp k.ckpt before.ckpt
before=$(temps k.ckpt)
st=0
{ ( ulimit -f $(( $(stat -c %s k.ckpt) / 2048 ))
    exec "$bin" train "${run[@]}" --resume k.ckpt --out k.dpm --checkpoint k.ckpt --checkpoint-minutes 0.00001 ); } \
  >/dev/null 2>&1 || st=$?
[ "$st" = 153 ] || fail "train under a file size limit: exit $st, expected 153 (SIGXFSZ)"
[ "$(temps k.ckpt)" -gt "$before" ] || fail "the killed run left no temporary file: it was not writing"
cmp -s k.ckpt before.ckpt || fail "killed while writing a checkpoint: k.ckpt is not the previous checkpoint"
echo "train: killed $kills times at random and once mid-checkpoint"
"$bin" train "${run[@]}" --resume k.ckpt --out k.dpm 2>train.err || { cat train.err >&2; fail "final resume"; }
cmp -s whole.dpm k.dpm || fail "killed $kills times and resumed: the model differs from an uninterrupted run"

# --- sweep: a large HTML report killed mid-write over an earlier report
mkdir docs
for i in $(seq 60); do
  for j in $(seq 20); do
    printf 'Sentence %d of the shared pool talks about topic %d and its many consequences for everyone. ' \
      $(((i * 7 + j * 13) % 97)) $(((i + j) % 11))
  done >"docs/d$i.txt"
done
sweep=(sweep --no-model --max-docs 1000 docs -o r.html)
"$bin" "${sweep[@]}"
[ "$(wc -c <r.html)" -gt 4000000 ] || fail "the report is too small to be killed mid-write"
cp r.html prev.html
kills=0
killed_pids=()
for attempt in $(seq 10); do
  [ "$kills" -ge 3 ] && break
  "$bin" "${sweep[@]}" &
  pid=$!
  until [ "$(temps r.html)" -gt "$kills" ] || ! kill -0 "$pid" 2>/dev/null; do :; done
  ms_sleep $((RANDOM % 50)) # the temp file exists from the start: any moment is mid-write
  if killed "$pid"; then
    kills=$((kills + 1))
    killed_pids+=("$pid")
    cmp -s r.html prev.html || fail "sweep killed mid-write: r.html is not the previous report"
  else
    cp r.html prev.html # finished first: its report is the previous one now
  fi
done
[ "$kills" -ge 3 ] || fail "sweep: only $kills of 10 runs were still writing when killed"
echo "sweep: killed $kills times mid-write"
same_names=$(ls | grep -c '^r\.html' || true)
[ "$same_names" = $((kills + 1)) ] || fail "files named r.html*: $(ls | grep '^r\.html' | tr '\n' ' ')"
for p in "${killed_pids[@]}"; do
  [ "$(temps_of r.html "$p")" = 1 ] || fail "no temporary file named after killed writer $p: $(ls | tr '\n' ' ')"
done
# The next write removes them only once they are old (a pid is reused in time, and on a
# shared filesystem it may be another host's), and only those of writers that are gone.
"$bin" "${sweep[@]}"
[ "$(temps r.html)" = "$kills" ] || fail "recent temporary files of killed writers were removed"
: >"r.html.tmp.$$.abcdef" # this shell: a writer still running
: >r.html.tmp.keep        # not a name doppel makes
touch -d '-11 minutes' r.html.tmp.*
"$bin" "${sweep[@]}"
left=$(ls -d r.html.tmp.* | tr '\n' ' ')
[ "$left" = "r.html.tmp.$$.abcdef r.html.tmp.keep " ] || fail "after a write over old temporary files: $left"
rm r.html.tmp.$$.abcdef r.html.tmp.keep
cp r.html prev.html
# SIGINT or SIGTERM mid-write: the run removes its temporary file and dies of the signal.
set -m # job control: without it a script's background jobs ignore SIGINT
sigs="INT TERM"
# started with SIGINT ignored (a background job of a script): doppel keeps ignoring it, as
# programs do, so only SIGTERM can be tried
(( 0x$(awk '/^SigIgn/ {print $2}' /proc/$$/status) & 2 )) && sigs=TERM
for sig in $sigs; do
  caught=0
  # a loaded machine may let the run finish first (exit 0, the same report): try again
  for round in $(seq 10); do
    "$bin" "${sweep[@]}" 2>/dev/null &
    pid=$!
    writing r.html "$pid"
    ms_sleep $((RANDOM % 50))
    kill -"$sig" "$pid" 2>/dev/null || true
    st=0
    wait "$pid" 2>/dev/null || st=$?
    [ "$(temps_of r.html "$pid")" = 0 ] || fail "sweep stopped by SIG$sig left its temporary file"
    if [ "$st" = 0 ]; then # a new report (its timing differs), whole
      tail -c 200 r.html | grep -q '</html>' || fail "sweep finished before SIG$sig: r.html is cut short"
      cp r.html prev.html
      continue
    fi
    cmp -s r.html prev.html || fail "sweep stopped by SIG$sig: r.html is not the previous report"
    [ "$st" = $((128 + $(kill -l "$sig"))) ] || fail "sweep stopped by SIG$sig: exit $st"
    caught=1
    break
  done
  [ "$caught" = 1 ] || fail "sweep: SIG$sig reached none of 10 runs before they ended"
done
set +m
echo "sweep: temporary files of killed writers removed when old; none left by SIGINT, SIGTERM"

# --- index add: killed at random moments and just as the new index is written
mkdir old new
cp docs/d{1..30}.txt old/
for i in $(seq 300); do
  # large documents make a large index, so its writing lasts long enough to be caught
  printf 'New document %d repeats topic %d: %s\n' "$i" $((i % 13)) \
    "$(cat docs/d$((i % 60 + 1)).txt docs/d$(((i + 7) % 60 + 1)).txt docs/d$(((i + 19) % 60 + 1)).txt \
      docs/d$(((i + 31) % 60 + 1)).txt)" >"new/n$i.txt"
done
"$bin" index create prev.dpx --no-model >/dev/null
"$bin" index add prev.dpx old >/dev/null
cp prev.dpx full.dpx
"$bin" index add full.dpx new >/dev/null
cmp -s prev.dpx full.dpx && fail "index add changed nothing"
# Killed mid-write for certain: a file size limit below the new index's size makes the
# kernel kill the writer (SIGXFSZ) once its temporary file passes it.
cp prev.dpx ix.dpx
before=$(temps ix.dpx)
limit_kb=$(( $(stat -c %s full.dpx) / 2048 ))
st=0
{ ( ulimit -f "$limit_kb"; exec "$bin" index add ix.dpx new ); } >/dev/null 2>&1 || st=$?
[ "$st" = 153 ] || fail "index add under a ${limit_kb} KiB file size limit: exit $st, expected 153 (SIGXFSZ)"
[ "$(temps ix.dpx)" -gt "$before" ] || fail "the killed index add left no temporary file: it was not writing"
cmp -s ix.dpx prev.dpx || fail "index add killed mid-write: ix.dpx is not the previous index"
"$bin" index sweep ix.dpx -o /dev/null 2>/dev/null || fail "ix.dpx does not load after a kill mid-write"
# and at random moments: whatever the moment, the old index or the new one, whole
kills=0
for round in $(seq 12); do
  cp prev.dpx ix.dpx
  "$bin" index add ix.dpx new >/dev/null 2>&1 &
  pid=$!
  ms_sleep $((RANDOM % 60))
  killed "$pid" && kills=$((kills + 1))
  cmp -s ix.dpx prev.dpx || cmp -s ix.dpx full.dpx || fail "index add killed (round $round): ix.dpx is neither index"
  "$bin" index sweep ix.dpx -o /dev/null 2>/dev/null || fail "round $round: ix.dpx does not load"
done
echo "index add: killed once mid-write (file size limit) and $kills times at random"
# SIGTERM while the index is written: the write ends first (doppel cannot name its
# temporary file), then the run dies of the signal, leaving no temporary file.
caught=0
for round in $(seq 20); do
  [ "$caught" -ge 2 ] && break
  cp prev.dpx ix.dpx
  "$bin" index add ix.dpx new >/dev/null 2>&1 &
  pid=$!
  writing ix.dpx "$pid"
  kill -TERM "$pid" 2>/dev/null || true
  st=0
  wait "$pid" || st=$?
  [ "$(temps_of ix.dpx "$pid")" = 0 ] || fail "index add stopped by SIGTERM left its temporary file"
  cmp -s ix.dpx full.dpx || fail "index add stopped by SIGTERM mid-write (exit $st): ix.dpx is not the new index"
  [ "$st" = 143 ] && caught=$((caught + 1))
  [ "$st" = 143 ] || [ "$st" = 0 ] || fail "index add stopped by SIGTERM: exit $st"
done
[ "$caught" -ge 2 ] || fail "index add: SIGTERM reached only $caught of 20 runs mid-write"
echo "index add: SIGTERM mid-write $caught times in $round runs, new index whole, no temporary file"
echo ok
