# Tests/kernel/lib.sh — what the guest-side test scripts share (sourced by e2e.sh and
# systemd-e2e.sh, after they set W, their scratch directory, and before PORT is known):
# counting and printing checks, bounded retries, gpio-sim lines by name, one HTTP request over
# bash's /dev/tcp (a curl costs 0.4 s of process start-up under TCG), the BME280 image.
mkdir -p "$W"
pass=0 fail=0
T0=$(date +%s%N)
elapsed() { local t=$(( ($(date +%s%N) - T0) / 100000000 )); echo "[$((t / 10)).$((t % 10))s]"; }
ok() { pass=$((pass + 1)); echo "ok   $(elapsed) $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $(elapsed) $*"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi; }
has() { if grep -q -- "$2" "$3"; then ok "$1"; else bad "$1: no '$2' in $3:"; sed 's/^/     /' "$3" | tail -n 20; fi; }
# until_ok SECONDS COMMAND...: retry COMMAND every 50 ms for at most SECONDS.
until_ok() { local end=$(( $(date +%s%N) + $1 * 1000000000 )); shift
    until "$@"; do [ "$(date +%s%N)" -lt $end ] || return 1; sleep 0.05; done; }
offset_of() { local i=0 n; for n in $IOTOY_GPIOSIM_LINES; do [ "$n" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; }
SIM=$IOTOY_GPIOSIM_SYSFS
sim_value() { cat "$SIM/sim_gpio$(offset_of "$1")/value"; }
pull() { echo "pull-$2" > "$SIM/sim_gpio$(offset_of "$1")/pull"; }

# code METHOD PATH [BODY]: one HTTP/1.1 request to 127.0.0.1:$PORT (the body as text); prints
# the status, leaves the answer's body in $W/body.
code() {
    local body=${3-} line status text=
    exec 3<>/dev/tcp/127.0.0.1/$PORT 2>/dev/null || { echo 000; return; }
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "$2" "${#body}" "$body" >&3
    IFS= read -r line <&3; status=${line#HTTP/1.1 }
    while IFS= read -r line <&3 && [ -n "${line%$'\r'}" ]; do :; done
    while IFS= read -r line <&3 || [ -n "$line" ]; do text+=$line$'\n'; done
    exec 3<&-
    printf '%s' "$text" > $W/body
    echo "${status%% *}"
}
value() { sed -n 's/.*"value":\([^,}]*\).*/\1/p' $W/body; }
get_value_is() { [ "$(code GET "$1")" = 200 ] && [ "$(value)" = "$2" ]; }

# preload_bme280 [ADDRESS]: the BME280 register image at i2c-stub's ADDRESS (0x76) on bus 0: the datasheet's calibration (T1..T3,
# P1..P9 of the worked example, H1..H6 = 75, 362, 0, 313, 50, 30), chip id 0x60, raw adc_P
# 415148, adc_T 519888, adc_H 30000 (25.08 °C, 1006.53 hPa). The driver reads bytes and I2C
# blocks only, which see the low byte of each of i2c-stub's 16-bit cells: block writes set
# exactly those.
preload_bme280() {
    local address=${1:-0x76} rows=("0x88 0x70 0x6b 0x43 0x67 0x18 0xfc 0x7d 0x8e 0x43 0xd6 0xd0 0x0b 0x27 0x0b 0x8c 0x00 0xf9 0xff 0x8c 0x3c 0xf8 0xc6 0x70 0x17 0x00 0x4b"
                "0xd0 0x60" "0xe1 0x6a 0x01 0x00 0x13 0x29 0x03 0x1e" "0xf7 0x65 0x5a 0xc0 0x7e 0xed 0x00 0x75 0x30") row
    for row in "${rows[@]}"; do
        # shellcheck disable=SC2086
        i2cset -y 0 "$address" $row i || { echo "i2cset $address $row failed"; exit 1; }
    done
}
