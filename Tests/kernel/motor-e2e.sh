#!/bin/bash
# Tests/kernel/motor-e2e.sh — the motor and pwm_out kinds on the kernel's pwm-sim and gpio-sim:
# `iotoyd serve motor-board.yaml`, then over HTTP a speed is ramped onto pwm0's duty cycle with
# the direction and standby lines read back from gpio-sim, the direction flips with the duty
# through 0, a speed past the limits is refused with nothing written, brake and coast set what
# a TB6612FNG needs, the failsafe deadline lets the wheel coast, an inverted PWM output's duty is
# 1 − duty at the pin, and SIGTERM leaves the channels unexported. Prints "N passed, M failed".
#
#   Tests/kernel/motor-e2e.sh [--binary PATH] [run.sh options]
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    binary=$HERE/../../.build/debug/iotoyd
    if [ "${1:-}" = --binary ]; then binary=$2; shift 2; fi
    binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
    [ -x "$binary" ] || { echo "motor-e2e: no iotoyd at $binary (swift build first)" >&2; exit 1; }
    exec "$HERE/run.sh" "$@" -- "$HERE/motor-e2e.sh" "$binary"
fi

BIN=$1 BOARD=$HERE/motor-board.yaml
W=/tmp/motor-e2e
. "$HERE/lib.sh"
[ "$IOTOY_PWMCHIP" = pwmchip0 ] || { echo "motor-e2e: the board expects pwm-sim as pwmchip0, not $IOTOY_PWMCHIP"; exit 1; }
P=$IOTOY_PWM_SYSFS/pwm0 L=$IOTOY_PWM_SYSFS/pwm1

"$BIN" serve "$BOARD" --port 0 --bind 127.0.0.1 > $W/out 2> $W/err & daemon=$!
until_ok 20 grep -q 'http://127.0.0.1:' $W/out || { bad "iotoyd did not start: $(cat $W/err)"; echo "$pass passed, $fail failed"; exit 1; }
PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' $W/out)
until_ok 10 get_value_is /wheel/speed 0 || bad "the wheel did not start: $(cat $W/body)"

# ---- at start: stopped, coasting (standby off), 20 kHz
check "pwm0 at start: period 50 µs, duty 0, enabled" "50000 0 1" "$(cat $P/period) $(cat $P/duty_cycle) $(cat $P/enable)"
check "standby (GPIO6) off at start: the bridge coasts" 0 "$(sim_value GPIO6)"

# ---- forward, ramped: the duty follows the applied speed
check "PUT /wheel/speed 0.5" 200 "$(code PUT /wheel/speed 0.5)"
forward() { [ "$(cat $P/duty_cycle)" = 25000 ] && [ "$(sim_value GPIO5)" = 1 ] && [ "$(sim_value GPIO6)" = 1 ]; }
until_ok 5 forward && ok "ramped to half speed: duty 25 µs of 50, direction (GPIO5) forward, standby on" \
    || bad "forward: duty $(cat $P/duty_cycle), dir $(sim_value GPIO5), standby $(sim_value GPIO6)"
until_ok 5 get_value_is /wheel/applied_speed 0.5 && ok "applied_speed reached 0.5" || bad "applied_speed: $(cat $W/body)"

# ---- a speed past the limits: refused, nothing written
before=$(cat $P/duty_cycle)
check "PUT /wheel/speed 1.5 is refused (422)" 422 "$(code PUT /wheel/speed 1.5)"
check "… and pwm0 is untouched" "$before" "$(cat $P/duty_cycle)"

# ---- reverse: the duty comes down through 0 before the direction line flips
check "PUT /wheel/speed -0.25" 200 "$(code PUT /wheel/speed -0.25)"
reverse() { [ "$(cat $P/duty_cycle)" = 12500 ] && [ "$(sim_value GPIO5)" = 0 ]; }
until_ok 5 reverse && ok "quarter speed in reverse: duty 12.5 µs, direction (GPIO5) reverse" \
    || bad "reverse: duty $(cat $P/duty_cycle), dir $(sim_value GPIO5)"

# ---- brake and coast
check "POST /wheel/brake" 200 "$(code POST /wheel/brake)"
check "brake: duty 0, standby on (a TB6612FNG's short brake)" "0 1" "$(cat $P/duty_cycle) $(sim_value GPIO6)"
check "POST /wheel/coast" 200 "$(code POST /wheel/coast)"
check "coast: duty 0, standby off" "0 0" "$(cat $P/duty_cycle) $(sim_value GPIO6)"

# ---- the failsafe: no command and no heartbeat for 2 s, the wheel coasts
check "PUT /wheel/speed 1" 200 "$(code PUT /wheel/speed 1)"
until_ok 5 sh -c "[ \"\$(cat $P/duty_cycle)\" = 50000 ]" && ok "full speed: duty 50 µs" || bad "full speed: duty $(cat $P/duty_cycle)"
stopped() { [ "$(cat $P/duty_cycle)" = 0 ] && [ "$(sim_value GPIO6)" = 0 ]; }
until_ok 6 stopped && ok "no heartbeat for 2 s: the failsafe let the wheel coast (duty 0, standby off)" \
    || bad "after the failsafe deadline: duty $(cat $P/duty_cycle), standby $(sim_value GPIO6)"
has "the failsafe is logged" "failsafe" $W/err

# ---- an inverted PWM output: 1 kHz, the pin on for 1 − duty
check "pwm1 at start (duty 0, inverted): fully on" "1000000 1000000 1" "$(cat $L/period) $(cat $L/duty_cycle) $(cat $L/enable)"
check "PUT /lamp 0.25" 200 "$(code PUT /lamp 0.25)"
check "pwm1 on for 75 % of the period" 750000 "$(cat $L/duty_cycle)"

kill -TERM $daemon; wait $daemon; rc=$?
check "SIGTERM: iotoyd exits 0" 0 $rc
check "pwm0 and pwm1 are unexported" "no no" "$([ -d $P ] && echo yes || echo no) $([ -d $L ] && echo yes || echo no)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
