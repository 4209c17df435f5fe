#!/bin/bash
# Tests/kernel/e2e.sh — the real iotoyd on the kernel's simulators: serves harness-board.yaml
# inside the guest and checks, through HTTP and the simulators' own files, that a PUT drives a
# gpio-sim line, a pull change reaches GET and the change feed with the kernel's timestamp,
# the BME280 register image reads as the datasheet's compensated values, servo angles become
# pwm-sim duty cycles and PCA9685 registers, a missing sensor and a busy line answer 503 while
# the rest serves (and recover), and shutdown releases everything. Also runs `iotoyd probe`
# and `iotoyd selftest`. Prints "N passed, M failed".
#
#   Tests/kernel/e2e.sh [--binary PATH] [--api 1|2] [run.sh options]
#
# --binary defaults to .build/debug/iotoyd, --api (the libgpiod API the binary was built
# against) to 1. For libgpiod v2, source cache/gpiod2.env first (run.sh passes
# LD_LIBRARY_PATH into the guest).
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    binary=$HERE/../../.build/debug/iotoyd api=1
    while [ $# -gt 0 ]; do
        case "$1" in
            --binary) binary=$2; shift 2 ;;
            --api) api=$2; shift 2 ;;
            *) break ;;
        esac
    done
    binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
    [ -x "$binary" ] || { echo "e2e: no iotoyd at $binary (swift build first)" >&2; exit 1; }
    exec "$HERE/run.sh" "$@" -- "$HERE/e2e.sh" "$binary" "$api"
fi

BIN=$1 API=$2 BOARD=$HERE/harness-board.yaml
W=/tmp/e2e
. "$HERE/lib.sh"
uptime_ns() { local s; read -r s _ < /proc/uptime; echo $(( ${s%.*} * 1000000000 + 10#${s#*.} * 10000000 )); }
[ "$IOTOY_I2C_BUS" = 0 ] || { echo "e2e: the board expects i2c-stub on bus 0, not $IOTOY_I2C_BUS"; exit 1; }

# ---- the BME280 register image (lib.sh)
preload_bme280

# ---- probe
"$BIN" probe > $W/probe.txt 2>&1
has "probe: libgpiod API v$API" "API v$API" $W/probe.txt
has "probe: the chip by label with named lines" "\[pinctrl-sim\] 8 lines" $W/probe.txt
has "probe: line names" " GPIO27" $W/probe.txt
answering=$(echo "$IOTOY_I2C_ADDRS" | tr , '\n' | sort | tr '\n' ' ' | sed 's/ $//')
has "probe: i2c-stub's answering addresses" "answering: $answering" $W/probe.txt
has "probe: pwmchip0 with its channel count" "pwmchip0 2 channels" $W/probe.txt

# ---- selftest: everything passes but the sensor nobody wired (once: with v2 the GPIO paths
# are the ones serving exercises below)
if [ "$API" = 1 ]; then
    "$BIN" selftest "$BOARD" > $W/selftest.txt 2>&1; rc=$?
    check "selftest exits 1 when a component fails" 1 $rc
    check "selftest: seven components pass" 7 "$(grep -c '^PASS' $W/selftest.txt)"
    has "selftest: the absent sensor fails, naming bus and address" "^FAIL  /outside .*i2c-0 address 0x77" $W/selftest.txt
    has "selftest: the BME280 reads the datasheet's temperature" "^PASS  /climate .*temperature=25.08" $W/selftest.txt
    has "selftest: the servo goes to its initial angle, then limp" "^PASS  /tail .*value=90.0 (written back); safe state" $W/selftest.txt
fi

# ---- another program holds the relay's line
o23=$(offset_of GPIO23)
gpioset --mode=signal pinctrl-sim "$o23=1" & holder=$!
until_ok 10 sh -c "gpioinfo pinctrl-sim | grep -q 'line *$o23:.*\"gpioset\"'" || bad "gpioset did not take GPIO23"

# ---- serve
"$BIN" serve "$BOARD" --port 0 --bind 127.0.0.1 --log-level debug > $W/out 2> $W/err & daemon=$!
until_ok 60 grep -q serving $W/out || { bad "iotoyd did not start"; cat $W/out $W/err; echo "$pass passed, $fail failed"; exit 1; }
has "serves on Linux hardware" "(Linux hardware)" $W/out
PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' $W/out)

# A line another program holds answers 503, naming it; freed, it recovers (with back-off,
# checked at the end) while the rest serves.
relay_faulted() { [ "$(code GET /relay)" = 503 ] && grep -q "held by" $W/body; }
until_ok 20 relay_faulted && ok "GET /relay answers 503 while gpioset holds GPIO23" || bad "GET /relay: $(cat $W/body)"
has "… naming the line and its holder" "GPIO23.*held by 'gpioset'" $W/body
kill $holder; wait $holder 2>/dev/null

# LED: PUT drives the gpio-sim line.
until_ok 20 get_value_is /led false || bad "GET /led never answered false: $(cat $W/body)"
check "PUT /led true answers 200" 200 "$(code PUT /led true)"
check "gpio-sim sees GPIO17 driven high" 1 "$(sim_value GPIO17)"
code PUT /led false >/dev/null
check "PUT /led false: gpio-sim sees it low" 0 "$(sim_value GPIO17)"

# Button: pressing it (pull-down on an active-low input) reaches GET and the change feed.
until_ok 20 get_value_is /button false || bad "GET /button never answered false: $(cat $W/body)"
before=$(uptime_ns); pull GPIO27 down
until_ok 10 get_value_is /button true && ok "pressed: GET /button answers true" || bad "GET /button after the press: $(cat $W/body)"
after=$(uptime_ns)
until_ok 5 grep -q 'edge /button = true (rising) hardware_ns=' $W/err
ns=$(sed -n 's/.*edge \/button = true (rising) hardware_ns=\([0-9]*\).*/\1/p' $W/err | tail -n1)
if [ -n "$ns" ] && [ "$ns" -ge $((before - 20000000)) ] && [ "$ns" -le $((after + 20000000)) ]; then
    ok "the rising edge reached the change feed with the kernel's timestamp ($ns ns)"
else bad "edge timestamp '$ns' not within [$before, $after] ns: $(grep 'change #' $W/err | tail -n 5)"; fi
pull GPIO27 up
until_ok 10 get_value_is /button false && ok "released: GET /button answers false" || bad "GET /button after the release: $(cat $W/body)"
until_ok 5 grep -q 'edge /button = false (falling) hardware_ns=[0-9]' $W/err && ok "the falling edge reached the change feed" \
    || bad "no falling edge in the change feed"

# BME280: the datasheet's compensated values.
until_ok 20 get_value_is /climate/temperature 25.08 && ok "GET /climate/temperature = 25.08 °C" || bad "temperature: $(cat $W/body)"
get_value_is /climate/pressure 1006.5325 && ok "GET /climate/pressure = 1006.5325 hPa" || bad "pressure: $(cat $W/body)"
get_value_is /climate/humidity 54.997 && ok "GET /climate/humidity = 54.997 %RH" || bad "humidity: $(cat $W/body)"

# Servo on pwm-sim: the duty cycle is the computed pulse.
P=$IOTOY_PWM_SYSFS/pwm0
check "GET /tail starts at its initial 90°" 90 "$(code GET /tail >/dev/null; value)"
check "pwm0 at 90°: period, duty 1500 µs, enabled" "20000000 1500000 1" "$(cat $P/period) $(cat $P/duty_cycle) $(cat $P/enable)"
check "PUT /tail 45 answers 200" 200 "$(code PUT /tail 45)"
check "pwm0 at 45°: duty 1000 µs" 1000000 "$(cat $P/duty_cycle)"
check "PUT /tail 200 is refused (422)" 422 "$(code PUT /tail 200)"
check "… and the channel is untouched" 1000000 "$(cat $P/duty_cycle)"

# Failsafe: a servo commanded, heartbeaten, then left alone goes limp at its deadline, read
# back from pwm-sim's own files; the next command moves it again.
F=$IOTOY_PWM_SYSFS/pwm1
check "PUT /fin 120 answers 200" 200 "$(code PUT /fin 120)"
check "pwm1 pulses at 120°: duty 1833 µs, enabled" "1833333 1" "$(cat $F/duty_cycle) $(cat $F/enable)"
check "POST /_heartbeat answers 200" 200 "$(code POST /_heartbeat)"
has "… renewing /fin's deadline" '"renewed":\["/fin"\]' $W/body
fin_limp() { [ "$(cat $F/enable)" = 0 ]; }
until_ok 20 fin_limp && ok "no command, no heartbeat: pwm1 disabled (limp) at the failsafe deadline" || bad "pwm1 still enabled: $(cat $F/enable)"
has "… and the log says so" "failsafe: actuator put into its safe state" $W/err
check "the next command moves it again (not a latch)" "200 1" "$(code PUT /fin 90) $(cat $F/enable)"

# Servo on the PCA9685 at 0x40: the registers hold the pulse in ticks of the prescaled clock.
check "PUT /leg 180 answers 200" 200 "$(code PUT /leg 180)"
prescale=$(( $(i2cget -y 0 0x40 0xfe b) ))
off=$(( $(i2cget -y 0 0x40 0x08 b) | ($(i2cget -y 0 0x40 0x09 b) & 0x0f) << 8 ))
check "PCA9685 prescale for 50 Hz" 121 $prescale
check "PCA9685 LED0_OFF = 2500 µs in ticks" $(( (2500000 + (prescale + 1) * 20) / ((prescale + 1) * 40) )) $off

# A sensor nobody wired answers 503, naming it; the relay has recovered meanwhile.
check "GET /outside/temperature answers 503" 503 "$(code GET /outside/temperature)"
has "… naming bus, address and the NACK" "i2c-0 address 0x77.*NACK" $W/body
until_ok 20 get_value_is /relay false && ok "the relay recovered once the line was free" || bad "relay after release: $(cat $W/body)"
has "… and the feed says so" "recovered /relay" $W/err

# Shutdown: safe state, lines released, channel unexported.
kill -TERM $daemon; wait $daemon; rc=$?
check "SIGTERM: iotoyd exits 0" 0 $rc
has "… after putting the hardware in its safe state" "hardware in safe state and released" $W/err
check "pwm0 is unexported" no "$([ -d $P ] && echo yes || echo no)"
if gpioinfo pinctrl-sim | grep -E "line +($(offset_of GPIO17)|$(offset_of GPIO27)):" | grep -q iotoyd; then
    bad "iotoyd still holds lines: $(gpioinfo pinctrl-sim)"
else ok "GPIO17 and GPIO27 are released"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
