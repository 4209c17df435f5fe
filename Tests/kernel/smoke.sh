#!/bin/bash
# Tests/kernel/smoke.sh — prove the guest's simulators work, with Debian tools only
# (gpiod 1.6 tools, i2c-tools, sysfs). On the host it boots the guest through run.sh and
# re-runs itself inside; it prints "N passed, M failed" and exits non-zero on any failure.
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    exec "$HERE/run.sh" "$@" -- "$HERE/smoke.sh"
fi

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
offset_of() { # offset of a gpio-sim line name in IOTOY_GPIOSIM_LINES
    local i=0 n; for n in $IOTOY_GPIOSIM_LINES; do [ "$n" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done
}
SIM=$IOTOY_GPIOSIM_SYSFS
CHIP=$IOTOY_GPIOSIM_CHIP

# 1. the chip is found by its label and its lines carry names
if gpiodetect | grep -q "^$CHIP \[$IOTOY_GPIOSIM_LABEL\] (8 lines)" \
   && gpioinfo "$CHIP" | grep -q '"GPIO17"' && gpioinfo "$CHIP" | grep -q '"GPIO27"'; then
    ok "gpiodetect/gpioinfo show $IOTOY_GPIOSIM_LABEL with named lines"
else
    bad "gpiodetect/gpioinfo"; gpiodetect; gpioinfo
fi
check "gpiofind GPIO17" "$CHIP $(offset_of GPIO17)" "$(gpiofind GPIO17)"

# 2. an output driven with gpioset shows in the simulator
o17=$(offset_of GPIO17)
gpioset --mode=signal "$IOTOY_GPIOSIM_LABEL" "$o17=1" & gs=$!
v=; for _ in $(seq 50); do v=$(cat "$SIM/sim_gpio$o17/value"); [ "$v" = 1 ] && break; sleep 0.05; done
kill $gs; wait $gs 2>/dev/null
check "gpioset GPIO17=1 reads back from sim_gpio$o17/value" 1 "$v"

# 3. a pull set in the simulator is what gpioget reads
o27=$(offset_of GPIO27)
echo pull-up > "$SIM/sim_gpio$o27/pull";   up=$(gpioget "$IOTOY_GPIOSIM_LABEL" "$o27")
echo pull-down > "$SIM/sim_gpio$o27/pull"; down=$(gpioget "$IOTOY_GPIOSIM_LABEL" "$o27")
check "pull-up/pull-down on GPIO27 read by gpioget" "1 0" "$up $down"

# 4. an edge made by changing the pull reaches a libgpiod event request (irq_sim)
echo pull-down > "$SIM/sim_gpio$o27/pull"
timeout 10 gpiomon --num-events=1 --rising-edge "$IOTOY_GPIOSIM_LABEL" "$o27" > /tmp/gpiomon.out 2>&1 & gm=$!
for _ in $(seq 100); do gpioinfo "$CHIP" | grep -q "line *$o27:.*gpiomon" && break; sleep 0.05; done
echo pull-up > "$SIM/sim_gpio$o27/pull"
wait $gm; r=$?
if [ $r -eq 0 ] && grep -q "RISING EDGE offset: $o27 timestamp: \[ *[0-9]*\.[0-9]*\]" /tmp/gpiomon.out; then
    ok "gpiomon sees the rising edge on GPIO27 with a kernel timestamp"
else bad "gpiomon rising edge (status $r): $(cat /tmp/gpiomon.out)"; fi

# 5. i2c-stub: byte and word round trips on 0x76
B=$IOTOY_I2C_BUS
i2cset -y "$B" 0x76 0xd0 0x60 b && r=$(i2cget -y "$B" 0x76 0xd0 b)
check "i2cset/i2cget byte 0x76:0xd0" 0x60 "$r"
i2cset -y "$B" 0x76 0x88 0x6b70 w && r="$(i2cget -y "$B" 0x76 0x88 w) $(i2cget -y "$B" 0x76 0x88 b)"
check "i2cset/i2cget word 0x76:0x88 (byte read = low byte)" "0x6b70 0x70" "$r"

# 6. pwm-sim: export a channel; period, duty_cycle, polarity, enable read back
P=$IOTOY_PWM_SYSFS
echo 0 > "$P/export"
if [ -d "$P/pwm0" ]; then
    echo 20000000 > "$P/pwm0/period" && echo 1500000 > "$P/pwm0/duty_cycle" \
        && echo inversed > "$P/pwm0/polarity" && echo normal > "$P/pwm0/polarity" \
        && echo 1 > "$P/pwm0/enable"
    r="$(cat "$P/pwm0/period") $(cat "$P/pwm0/duty_cycle") $(cat "$P/pwm0/polarity") $(cat "$P/pwm0/enable")"
    check "pwm export/period/duty_cycle/polarity/enable on $IOTOY_PWMCHIP" "20000000 1500000 normal 1" "$r"
    echo 0 > "$P/pwm0/enable"; echo 0 > "$P/unexport"
else
    bad "pwm export on $IOTOY_PWMCHIP: no pwm0"
fi

# 7. libgpiod v2 (Debian 13's library, tools built by prepare.sh): lines by name
ENV2=${IOTOY_KERNEL_CACHE:-$HERE/cache}/gpiod2.env
if [ -f "$ENV2" ]; then
    echo pull-up > "$SIM/sim_gpio$o27/pull"
    v2=$( . "$ENV2"; PATH=$IOTOY_GPIOD2_BIN:$PATH
          gpioinfo --version | head -n1; gpioinfo -c "$CHIP"; gpioget --numeric GPIO27 ) 2>&1
    if echo "$v2" | grep -q 'v2\.' && echo "$v2" | grep -q '"GPIO27"' && [ "$(echo "$v2" | tail -n1)" = 1 ]; then
        ok "libgpiod v2 tools: gpioinfo names, gpioget GPIO27 by name"
    else bad "libgpiod v2 tools: $v2"; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
