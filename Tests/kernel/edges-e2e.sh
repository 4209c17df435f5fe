#!/bin/bash
# Tests/kernel/edges-e2e.sh — the hc_sr04 and encoder kinds on gpio-sim with the real iotoyd.
# The echo: a background loop at real-time priority raises and drops the echo line's pull (an
# edge each, stamped by the kernel inside the sysfs write), pulses of nominally 3, 6 and 12 ms
# (15 to 30 ms under TCG) after random gaps of 30-130 ms, and writes for each pulse the bounds
# of its width from bash's clock read just before and after each write:
# [fall_before - rise_after, fall_after - rise_before] µs. The loop cannot see a 10 µs trigger,
# so it runs on its own schedule and iotoyd takes the first whole pulse after a trigger (its
# waits are bounded by max_cm's round trip). The gaps are random because with a fixed one the
# pings (about every 250 ms under TCG) can lock in phase with the pulses and miss them all, as
# a CI run did (51 pulses, 0 caught). The loop runs until 12 samples caught a pulse (so one
# outside its bounds is within the allowance below), 4 s at least, 30 s at most. The
# change feed of /range/distance gives each sample with its time; the pulse a sample measured
# is the last one that ended before it, and the distance must lie within that pulse's bounds
# at 343 m/s: the width comes from the kernel's edge timestamps, not the daemon's clock. Then:
# with the loop stopped a GET is 200 with null and a reason; the encoder's lines toggled in
# quadrature count x4, both ways, and count resets by PUT 0 only.
# Prints "N passed, M failed".
#
#   Tests/kernel/edges-e2e.sh [--binary PATH] [run.sh options]
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    binary=$HERE/../../.build/debug/iotoyd
    if [ "${1:-}" = --binary ]; then binary=$2; shift 2; fi
    binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
    [ -x "$binary" ] || { echo "edges-e2e: no iotoyd at $binary (swift build first)" >&2; exit 1; }
    exec "$HERE/run.sh" "$@" -- "$HERE/edges-e2e.sh" "$binary"
fi

BIN=$1 BOARD=$HERE/edges-board.yaml
W=/tmp/edges-e2e
. "$HERE/lib.sh"
ECHO_PULL=$SIM/sim_gpio$(offset_of GPIO6)/pull

"$BIN" serve "$BOARD" --port 0 --bind 127.0.0.1 > $W/out 2> $W/err & daemon=$!
until_ok 60 grep -q serving $W/out || { bad "iotoyd did not start"; cat $W/out $W/err; echo "$pass passed, $fail failed"; exit 1; }
PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' $W/out)
check "the trigger line is held low between pings" 0 "$(sim_value GPIO5)"

# ---- the echo loop (builtins only: no fork between the clock reads and the writes). One pulse
# every 30 ms or more, so each ping that catches one is told apart from the next by time.
mkfifo $W/never
echo_loop() {
    local widths=(3000 6000 12000) i=0 w rise_before rise_after fall_before fall_after
    exec 9<> $W/never
    while :; do
        w=${widths[i % 3]}; i=$((i + 1))
        rise_before=${EPOCHREALTIME/./}; echo pull-up > "$ECHO_PULL"; rise_after=${EPOCHREALTIME/./}
        read -t "0.$(printf %06d $w)" -u 9
        fall_before=${EPOCHREALTIME/./}; echo pull-down > "$ECHO_PULL"; fall_after=${EPOCHREALTIME/./}
        echo "$fall_after $((fall_before - rise_after)) $((fall_after - rise_before))" >> $W/pulses
        read -t "0.$(printf %06d $((30000 + RANDOM * 3 % 100000)))" -u 9
    done
}
# The change feed of /range/distance: every sample with the daemon's wall-clock timestamp.
exec 7<>/dev/tcp/127.0.0.1/$PORT
printf 'GET /range/distance HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n' >&7
cat <&7 > $W/stream & reader=$!
: > $W/pulses
echo_loop & loop=$!
# Real-time priority: nothing (iotoyd, the feed) runs between the loop's clock reads and its
# writes, so the bounds stay as tight as a sysfs write under TCG allows.
chrt -f -p 10 $loop > /dev/null || bad "chrt: the echo loop runs without real-time priority"
caught() { grep -c '"value":[0-9]' $W/stream; }
started=$SECONDS
until { [ $((SECONDS - started)) -ge 4 ] && [ "$(caught)" -ge 12 ]; } || [ $((SECONDS - started)) -ge 30 ]; do
    sleep 0.5
done
kill $loop; wait $loop 2>/dev/null
echo "pull-down" > "$ECHO_PULL"
sleep 0.3
kill $reader; exec 7<&-
# Each non-null sample: its distance (cm) and timestamp (µs).
sed -n 's/^data: //p' $W/stream | sed -n 's/.*"timestamp":\([0-9.]*\).*"value":\([0-9.]*\)[,}].*/\1 \2/p' \
    | awk '{ printf "%.0f %s\n", $1 * 1000000, $2 }' > $W/samples
echo "     pulses made: $(wc -l < $W/pulses), samples with a distance: $(wc -l < $W/samples)"
[ "$(wc -l < $W/samples)" -ge 3 ] && ok "at least three pings caught a pulse ($(wc -l < $W/samples))" || bad "samples: $(head -c 800 $W/stream)"
# The pulse each sample measured ended before the sample was stamped: the last one, or — when
# the sample was stamped late under TCG (one run in four saw this) — the one before it; the
# width bounds of that pulse at 343 m/s (0.01715 cm per µs) must hold the distance.
matched=0 unmatched=0
while read -r stamp distance; do
    verdict=$(awk -v t="$stamp" -v d="$distance" '$1 <= t { before = last; last = $0 } END {
        n = split(last, p, " "); m = split(before, q, " ")
        if (last != "" && d >= p[2] * 0.01715 && d <= p[3] * 0.01715)
            printf "ok %.1f cm in [%.1f, %.1f] (its pulse: %d-%d us)", d, p[2] * 0.01715, p[3] * 0.01715, p[2], p[3]
        else if (before != "" && d >= q[2] * 0.01715 && d <= q[3] * 0.01715)
            printf "ok %.1f cm in [%.1f, %.1f] (the pulse before the last, the sample stamped late: %d-%d us)", d, q[2] * 0.01715, q[3] * 0.01715, q[2], q[3]
        else printf "bad %.1f cm, the last pulse %s, the one before %s", d, last, before }' $W/pulses)
    case "$verdict" in ok*) matched=$((matched + 1)); echo "     ${verdict#ok }" ;; *) unmatched=$((unmatched + 1)); echo "     ${verdict#bad }" ;; esac
done < $W/samples
# Under TCG the bounds come from bash's clock around a sysfs write; a run now and then has one
# sample outside (1 of 34 seen, its line printed above): at most one in ten may be, never most.
[ $matched -ge 3 ] && [ $((unmatched * 10)) -le $((matched + unmatched)) ] \
    && ok "the distances lie within the width bounds of the pulse they measured ($matched in, $unmatched out)" \
    || bad "distances within their pulse's bounds: $matched, outside: $unmatched"

# ---- no echo: 200, null, a reason (the loop has stopped: two pings since)
code_seen=$(code GET /range/distance)
check "a ping without an echo answers 200" 200 "$code_seen"
check "… with a null distance" null "$(value)"
code GET /range/reason > /dev/null
has "… and the reason" 'no echo: the echo line did not rise within 29.2 ms of the trigger' $W/body

# ---- the encoder: quadrature on A (GPIO23) and B (GPIO24), x4
step() { pull "$1" "$2"; }
for _ in 1 2 3; do step GPIO23 up; step GPIO24 up; step GPIO23 down; step GPIO24 down; done
until_ok 5 get_value_is /wheel/count 12 && ok "three forward cycles count 12" || bad "count after three cycles: $(cat $W/body)"
step GPIO24 up; step GPIO23 up; step GPIO24 down; step GPIO23 down
until_ok 5 get_value_is /wheel/count 8 && ok "one cycle back counts 8" || bad "count after one back: $(cat $W/body)"
until_ok 5 get_value_is /wheel/revolutions 1 && ok "8 counts at counts_per_rev 8 are 1 revolution" || bad "revolutions: $(cat $W/body)"
check "errors: no edge was lost" 200 "$(code GET /wheel/errors)"; check "… none" 0 "$(value)"
check "PUT 5 to count is 422" 422 "$(code PUT /wheel/count 5)"
check "PUT 0 to count resets it" 200 "$(code PUT /wheel/count 0)"
until_ok 5 get_value_is /wheel/rate 0 && ok "the rate is 0 once the edges stop" || bad "rate: $(cat $W/body)"

kill -TERM $daemon; wait $daemon
check "iotoyd stops cleanly on SIGTERM" 0 $?
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
