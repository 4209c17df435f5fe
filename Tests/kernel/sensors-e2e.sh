#!/bin/bash
# Tests/kernel/sensors-e2e.sh — the iio and hwmon kinds on the kernel's own drivers, and
# iotoyd's INA219 driver, on i2c-stub. Binds the bmp280 driver as bme280 to a copy of the
# userspace e2e's BME280 register image (0x75) and tmp102 to a TMP102 image (0x48), preloads
# the INA219 datasheet example's registers (0x41), then: `iotoyd probe` lists the IIO and
# hwmon devices with values and board-file lines; `iotoyd serve sensors-board.yaml` answers,
# over HTTP, the kernel driver's values equal to iotoyd's own BME280 driver's on the same
# image, the TMP102's temperature (and a new one written into its register), the INA219's
# Table 3 values; unbinding the kernel driver makes the iio resource 503 naming the device,
# binding it again brings it back. Prints "N passed, M failed".
#
#   Tests/kernel/sensors-e2e.sh [--binary PATH] [run.sh options]
#
# Needs i2c-stub at 0x76, 0x75, 0x48 and 0x41 (test.sh and the line below pass them).
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    binary=$HERE/../../.build/debug/iotoyd
    if [ "${1:-}" = --binary ]; then binary=$2; shift 2; fi
    binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
    [ -x "$binary" ] || { echo "sensors-e2e: no iotoyd at $binary (swift build first)" >&2; exit 1; }
    exec "$HERE/run.sh" --i2c-addrs 0x76,0x40,0x75,0x48,0x41 "$@" -- "$HERE/sensors-e2e.sh" "$binary"
fi

BIN=$1 BOARD=$HERE/sensors-board.yaml
W=/tmp/sensors-e2e
. "$HERE/lib.sh"
[ "$IOTOY_I2C_BUS" = 0 ] || { echo "sensors-e2e: the board expects i2c-stub on bus 0, not $IOTOY_I2C_BUS"; exit 1; }
for a in 0x76 0x75 0x48 0x41; do
    case ",$IOTOY_I2C_ADDRS," in *",$a,"*) ;; *) echo "sensors-e2e: i2c-stub has no chip at $a (addresses: $IOTOY_I2C_ADDRS)"; exit 1 ;; esac
done
ADAPTER=/sys/bus/i2c/devices/i2c-0

# ---- register images, then the kernel drivers (they read calibration and configuration at probe)
preload_bme280 0x76
preload_bme280 0x75
# TMP102 (16-bit registers, most significant byte first: i2c-stub's cells hold them swapped):
# the power-on configuration 60A0h (the driver checks it, then sets extended mode, EM), and
# 25.5 °C in the datasheet's 13-bit extended format: 408 × 0.0625 °C, left-adjusted, bit 0 = EM:
# 0CC1h.
i2cset -y 0 0x48 0x01 0xa060 w && i2cset -y 0 0x48 0x00 0xc10c w || { echo "i2cset tmp102 failed"; exit 1; }
# INA219, the datasheet's example (SBOS448 Table 3): shunt 07D0h, bus 5D98h, power 1766h,
# current 2710h; the driver writes configuration and calibration itself.
for r in "0x01 0xd007" "0x02 0x985d" "0x03 0x6617" "0x04 0x1027"; do
    # shellcheck disable=SC2086
    i2cset -y 0 0x41 $r w || { echo "i2cset ina219 $r failed"; exit 1; }
done
bind() { echo "$1 $2" > $ADAPTER/new_device; }
unbind() { echo "$1" > $ADAPTER/delete_device; }
bind bme280 0x75
bind tmp102 0x48
iio_dir() { ls -d /sys/bus/i2c/devices/0-0075/iio:device* 2>/dev/null | head -n1; }
until_ok 5 sh -c 'ls -d /sys/bus/i2c/devices/0-0075/iio:device* >/dev/null 2>&1' && ok "the bmp280 driver bound as bme280 at 0x75" \
    || { bad "bme280 did not bind: $(dmesg | tail -n 5)"; }
until_ok 5 sh -c 'ls -d /sys/bus/i2c/devices/0-0048/hwmon/hwmon* >/dev/null 2>&1' && ok "the tmp102 driver bound at 0x48" \
    || { bad "tmp102 did not bind: $(dmesg | tail -n 5)"; }
D=$(iio_dir)
check "the kernel reads the image's temperature (m°C)" 25080 "$(cat "$D/in_temp_input" 2>&1)"
answer=$(i2cget -y 0 0x75 0xd0 b 2>&1); case "$answer" in *busy*|*Busy*) ok "userspace i2c-dev at the bound address is refused (EBUSY)";; *) bad "i2cget at the bound 0x75: $answer";; esac

# ---- probe
"$BIN" probe --no-scan > $W/probe.txt 2>&1
has "probe: the IIO device with its I2C location" "iio:device[0-9]* bme280 on i2c-0 address 0x75" $W/probe.txt
has "probe: … its board-file line" "board file: { kind: iio, device: bme280, i2c: i2c0, address: 0x75 }" $W/probe.txt
has "probe: … its temperature in °C" "temperature  *25.08 degC  *in_temp_input" $W/probe.txt
has "probe: … its pressure in hPa" "pressure  *1006.53253906 hPa  *in_pressure_input" $W/probe.txt
has "probe: the hwmon device and its line" "board file: { kind: hwmon, device: tmp102, i2c: i2c0, address: 0x48 }" $W/probe.txt
has "probe: … its temperature" "temperature1  *25.5 degC  *temp1_input" $W/probe.txt

# ---- serve
"$BIN" serve "$BOARD" --port 0 --bind 127.0.0.1 > $W/out 2> $W/err & daemon=$!
until_ok 60 grep -q serving $W/out || { bad "iotoyd did not start"; cat $W/out $W/err; echo "$pass passed, $fail failed"; exit 1; }
PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' $W/out)
until_ok 20 get_value_is /kernel_climate/temperature 25.08 && ok "GET /kernel_climate/temperature = 25.08 (the kernel's bmp280 driver)" \
    || bad "kernel temperature: $(cat $W/body)"
has "… in degC" '"unit":"degC"' $W/body
for q in temperature humidity; do
    code GET /kernel_climate/$q > /dev/null; kernel=$(value)
    code GET /climate/$q > /dev/null; ours=$(value)
    if [ -n "$kernel" ] && [ "$kernel" = "$ours" ]; then ok "$q: the kernel driver's $kernel equals iotoyd's own driver's"
    else bad "$q: kernel '$kernel', iotoyd's '$ours'"; fi
done
# Pressure: both compensate to the same Q24.8 pascals (25767233 / 256); the kernel prints it in
# kPa with 9 decimals, iotoyd's driver rounds to 0.01 Pa (4 decimals of hPa).
code GET /kernel_climate/pressure > /dev/null; kernel=$(value)
check "pressure: the kernel's Q24.8 value, 100653.25390625 Pa, in hPa" 1006.53253906 "$kernel"
code GET /climate/pressure > /dev/null; ours=$(value)
check "… equal to iotoyd's own driver's at its 0.01 Pa resolution" "$ours" "$(printf '%.4f' "$kernel")"
until_ok 10 get_value_is /board/temperature 25.5 && ok "GET /board/temperature = 25.5 (hwmon tmp102, renamed from temperature1)" \
    || bad "tmp102: $(cat $W/body)"
i2cset -f -y 0 0x48 0x00 0x310d w   # 26.375 °C: 422 << 3 | EM = 0D31h
until_ok 10 get_value_is /board/temperature 26.375 && ok "a new TMP102 reading is served at the next poll (26.375)" \
    || bad "tmp102 after the change: $(cat $W/body)"
until_ok 10 get_value_is /power/bus_voltage 11.98 && ok "INA219 on i2c-stub: bus 11.98 V (Table 3)" || bad "ina219 bus: $(cat $W/body)"
check "INA219: shunt 20 mV" 20 "$(code GET /power/shunt_voltage >/dev/null; value)"
check "INA219: current 10 A" 10 "$(code GET /power/current >/dev/null; value)"
check "INA219: power 119.8 W" 119.8 "$(code GET /power/power >/dev/null; value)"
check "INA219: the driver wrote Table 3's calibration 5000h" 0x0050 "$(i2cget -y 0 0x41 0x05 w)"

# ---- the kernel driver goes away and comes back
unbind 0x75
gone() { [ "$(code GET /kernel_climate/temperature)" = 503 ]; }
until_ok 10 gone && ok "unbound: GET /kernel_climate/temperature answers 503" || bad "after unbind: $(cat $W/body)"
has "… naming the device" "bme280 on i2c-0 address 0x75" $W/body
check "the userspace BME280 keeps serving" 200 "$(code GET /climate/temperature)"
bind bme280 0x75
until_ok 20 get_value_is /kernel_climate/temperature 25.08 && ok "bound again: the iio resource recovers" || bad "after rebind: $(cat $W/body)"

kill -TERM $daemon; wait $daemon; rc=$?
check "SIGTERM: iotoyd exits 0" 0 $rc
unbind 0x75; unbind 0x48
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
