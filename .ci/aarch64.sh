#!/usr/bin/env bash
# The aarch64 build: cross-compiled with Debian's gcc-aarch64-linux-gnu against the arm64
# libraries (multiarch), its test programs run under qemu-user (the cross file's
# exe_wrapper), the demo sweep under qemu checked as tests/cli/demo.sh checks it, and the
# demo essays' fp32 sentence vectors (the reference; the default on x86 is int8) compared
# with the x86 build's (within 1e-5).
#   .ci/aarch64.sh NATIVE_BUILD_DIR     (a native build with the program, e.g. build-test)
set -euo pipefail
cd "$(dirname "$0")/.."
native=${1:?usage: .ci/aarch64.sh NATIVE_BUILD_DIR}

export DEBIAN_FRONTEND=noninteractive
pkgs=(gcc-aarch64-linux-gnu qemu-user libc6-dev:arm64 libutf8proc-dev:arm64 libpcre2-dev:arm64
  libopenblas-dev:arm64 libjansson-dev:arm64 libcmocka-dev:arm64 libzip-dev:arm64 libxml2-dev:arm64)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

b=build-aarch64
[ -f "$b/build.ninja" ] ||
  meson setup "$b" --werror --cross-file cross/aarch64-linux-gnu.ini -Dmpi=disabled -Dbench=false
meson compile -C "$b"
meson test -C "$b" --print-errorlogs --timeout-multiplier 4

wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
printf '#!/bin/sh\nexec qemu-aarch64 %q "$@"\n' "$PWD/$b/doppel" >"$wrap/doppel"
chmod +x "$wrap/doppel"
echo "+ demo sweep under qemu-aarch64"
DOPPEL_BIN=$wrap/doppel DOPPEL_SOURCE_ROOT=$PWD bash tests/cli/demo.sh

echo "+ sentence vectors: aarch64 against x86-64"
cat corpora/demo/submissions/*/essay.txt >"$wrap/lines.txt"
"$wrap/doppel" embed --precision fp32 -m corpora/models/default.dpm -f f32 -o "$wrap/arm.f32" "$wrap/lines.txt"
"$native/doppel" embed --precision fp32 -m corpora/models/default.dpm -f f32 -o "$wrap/x86.f32" "$wrap/lines.txt"
python3 - "$wrap/arm.f32" "$wrap/x86.f32" <<'PY'
import struct, sys
a, b = (open(p, "rb").read() for p in sys.argv[1:3])
assert len(a) == len(b) and len(a) > 0, (len(a), len(b))
n = len(a) // 4
worst = max(abs(x - y) for x, y in zip(struct.unpack(f"<{n}f", a), struct.unpack(f"<{n}f", b)))
print(f"{n} values, largest difference {worst:.3g}")
sys.exit(worst > 1e-5)
PY
