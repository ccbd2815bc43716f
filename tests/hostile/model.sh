#!/usr/bin/env bash
# doppel info on broken model files: truncated at every 1/16 of the length (and inside
# the header), one bit flipped in each region, a future format version. Each must exit 3
# with one message naming the file and the byte; none may crash.
set -euo pipefail
. "${DOPPEL_SOURCE_ROOT:?}/tests/lib.sh"
cd "$tmp"

# info_fails FILE PATTERN: doppel info --model FILE exits 3 and its whole stderr is
# one line "doppel: FILE: byte N: ..." matching the extended regex PATTERN after "byte "
info_fails() {
  local got=0
  "$bin" info --model "$1" >out 2>err || got=$?
  [ "$got" = 3 ] || { cat err >&2; fail "$1: exit $got, expected 3"; }
  [ "$(wc -l <err)" = 1 ] && grep -Eqx "doppel: $1: byte $2" err || fail "$1: message [$(cat err)], expected byte $2"
  [ ! -s out ] || fail "$1: printed on stdout"
}

"$bin" init-model -o m.dpm --buckets 64 --embed-dim 8 --hidden 4 --out-dim 6 --layers 2 --dtype int8
size=$(stat -c %s m.dpm)
"$bin" info --model m.dpm >/dev/null || fail "the intact model"

# truncated: at k/16 of the length, and inside the 96-byte header
for k in $(seq 0 15); do
  n=$((size * k / 16))
  head -c $n m.dpm >trunc$k.dpm
  if [ $n -lt 8 ]; then
    info_fails trunc$k.dpm "$n: file ends at byte $n, inside the magic number"
  else
    info_fails trunc$k.dpm "$n: file ends at byte $n but its header says it has $size bytes"
  fi
done
head -c 50 m.dpm >head50.dpm
info_fails head50.dpm "50: file ends at byte 50, inside the 96-byte header"

# one byte changed (bit 4 flipped) in the magic, header, tensor table, metadata,
# weights and the checksum itself
flip() { # flip SRC POS DST
  cp "$1" "$3"
  local b
  b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf %02x $((b ^ 16)))" | dd of="$3" bs=1 seek="$2" conv=notrunc status=none
}
flip m.dpm 3 magic.dpm
info_fails magic.dpm '0: not a doppel model file \(no "DOPPELM" magic number\)'
crc_at=$((size - 4))
for pos in 20 100 200 400 1000 2000 $((size - 10)) $((size - 1)); do
  flip m.dpm $pos flip$pos.dpm
  info_fails flip$pos.dpm "$crc_at: checksum mismatch \(stored CRC-32C [0-9a-f]{8}, content gives [0-9a-f]{8}\): the file is corrupt"
done

# a future format version (byte 8): named as such, before the checksum is looked at
cp m.dpm v2.dpm
printf '\x02' | dd of=v2.dpm bs=1 seek=8 conv=notrunc status=none
info_fails v2.dpm "8: model file format version 2; this build of doppel reads version 1 \(it was written by a newer doppel\)"

# not a model at all: a text file, an empty file, a directory
printf 'hello\n' >text.dpm
info_fails text.dpm '0: not a doppel model file \(no "DOPPELM" magic number\)'
: >empty.dpm
info_fails empty.dpm "0: file ends at byte 0, inside the magic number"
got=0
"$bin" info --model "$tmp" 2>err || got=$?
[ "$got" = 3 ] && grep -q "^doppel: $tmp: " err || fail "directory as model: exit $got, $(cat err)"
echo ok
