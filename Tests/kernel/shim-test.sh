#!/bin/bash
# Tests/kernel/shim-test.sh — build the CGPIOD shim's C test against libgpiod v1 (the host's
# libgpiod-dev) and v2 (Debian 13's, from prepare.sh's cache) and run both in the guest.
# Prints "N passed, M failed" per version; exits non-zero on any failure. With
# IOTOY_SHIM_TEST_BUILD_ONLY=1 it only builds (test.sh runs the binaries in its own guest).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${IOTOY_KERNEL_CACHE:-$HERE/cache}
OUT=${IOTOY_SHIM_TEST_DIR:-$ROOT/.build/kernel/shim-test}
if [ -z "${IOTOY_HARNESS:-}" ]; then
    mkdir -p "$OUT"
    SRC=$ROOT/Sources/CGPIOD
    build() { # build VERSION-DIR (pkg-config decides which libgpiod)
        gcc -std=gnu11 -Wall -Wextra -Werror -O1 -I"$SRC/include" $(pkg-config --cflags libgpiod) \
            -o "$OUT/$1" "$HERE/gpiod-shim-test.c" "$SRC/iotoy_gpiod_v1.c" "$SRC/iotoy_gpiod_v2.c" \
            $(pkg-config --libs libgpiod)
    }
    build v1
    [ -f "$CACHE/gpiod2.env" ] || { echo "shim-test: no libgpiod v2 in $CACHE (run prepare.sh)" >&2; exit 1; }
    ( . "$CACHE/gpiod2.env"; build v2 )
    [ -z "${IOTOY_SHIM_TEST_BUILD_ONLY:-}" ] || exit 0
    exec "$HERE/run.sh" "$@" -- "$HERE/shim-test.sh" "$OUT"
fi

OUT=${1:-$OUT}
echo "== libgpiod v1 (the host's)"
"$OUT/v1" 1; r1=$?
echo "== libgpiod v2 (Debian 13's)"
( . "${IOTOY_KERNEL_CACHE:-$HERE/cache}/gpiod2.env"; "$OUT/v2" 2 ); r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ]
