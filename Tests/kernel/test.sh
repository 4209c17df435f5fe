#!/bin/bash
# Tests/kernel/test.sh — everything the kernel harness proves, in one guest boot:
#   1. smoke.sh          the simulators with Debian's tools
#   2. shim-test.sh      the CGPIOD shim's C test, built against libgpiod v1 and v2
#   3. IOToyLinuxTests   the Swift backends against gpio-sim, i2c-stub, pwm-sim (libgpiod v1)
#   4. e2e.sh (v1)       the real iotoyd built against libgpiod v1 (.build/debug/iotoyd)
#   5. e2e.sh (v2)       the real iotoyd built against libgpiod v2 (.build/gpiod2/iotoyd)
#   6. sensors-e2e.sh    the iio and hwmon kinds on the kernel's bmp280 and tmp102 drivers, and
#                        iotoyd's INA219 driver, on i2c-stub
#   7. motor-e2e.sh      the motor and pwm_out kinds on pwm-sim and gpio-sim
# Expects the Swift builds to exist (`make test-kernel` makes them). Prints each part's
# results and "kernel: N passed, M failed" over the parts; exits non-zero if any failed.
#
#   Tests/kernel/test.sh [run.sh options]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${IOTOY_KERNEL_CACHE:-$HERE/cache}
V1=$ROOT/.build/debug
V2=${IOTOY_GPIOD2_BUILD:-$ROOT/.build/gpiod2}

if [ -z "${IOTOY_HARNESS:-}" ]; then
    set -e
    for f in "$V1/iotoyd" "$V1/iotoydPackageTests.xctest" "$V2/iotoyd"; do
        [ -x "$f" ] || { echo "test.sh: $f is missing (run make test-kernel, which builds it)" >&2; exit 1; }
    done
    [ -f "$CACHE/gpiod2.env" ] || { echo "test.sh: no libgpiod v2 in $CACHE (run prepare.sh)" >&2; exit 1; }
    IOTOY_SHIM_TEST_BUILD_ONLY=1 "$HERE/shim-test.sh"
    # i2c-stub: the e2e's BME280 (0x76) and PCA9685 (0x40), sensors-e2e.sh's chips (0x75, 0x48, 0x41).
    exec "$HERE/run.sh" --timeout "${IOTOY_KERNEL_TIMEOUT:-600}" --i2c-addrs 0x76,0x40,0x75,0x48,0x41 "$@" -- "$HERE/test.sh"
fi

start=$(date +%s)
passed=0 failed=0 failures=()
part() { # part NAME COMMAND...
    local name=$1 t0 rc; shift
    echo; echo "=== $name"
    t0=$(date +%s)
    "$@"; rc=$?
    echo "=== $name: $([ $rc -eq 0 ] && echo passed || echo "FAILED ($rc)") in $(( $(date +%s) - t0 )) s"
    if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
swift_tests() { # the test bundle's chatter trimmed to failures and suite results
    "$V1/iotoydPackageTests.xctest" --testing-library swift-testing --filter IOToyLinuxTests 2>&1 \
        | grep -v -e '^◇' -e '^✔ Test .* passed after' -e '^↳ .*Version' -e '^↳ Target'
    return "${PIPESTATUS[0]}"
}
e2e_v2() { ( . "$CACHE/gpiod2.env" && "$HERE/e2e.sh" "$V2/iotoyd" 2 ); }

part "smoke: the simulators with Debian's tools" "$HERE/smoke.sh"
part "the CGPIOD shim against libgpiod v1 and v2" "$HERE/shim-test.sh" "$ROOT/.build/kernel/shim-test"
part "IOToyLinuxTests (libgpiod v1)" swift_tests
part "end to end: iotoyd with libgpiod v1" "$HERE/e2e.sh" "$V1/iotoyd" 1
part "end to end: iotoyd with libgpiod v2" e2e_v2
part "kernel sensor drivers through the iio and hwmon kinds" "$HERE/sensors-e2e.sh" "$V1/iotoyd"
part "motor and pwm_out on pwm-sim and gpio-sim" "$HERE/motor-e2e.sh" "$V1/iotoyd"
part "edge-timed sensors: hc_sr04 from gpio-sim echo edges, encoder x4" "$HERE/edges-e2e.sh" "$V1/iotoyd"

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "kernel harness: $(( $(date +%s) - start )) s in the guest"
echo "kernel: $passed passed, $failed failed"
[ $failed -eq 0 ]
