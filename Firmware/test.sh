#!/usr/bin/env bash
# Builds the firmware (Uno, host, simavr runner) and tests it:
#  - the host-built TestHost over its pty, byte for byte (test/check.py testhost);
#  - the real BotHost and LegController ELFs in simavr via sim/runner, with the
#    servo pins' pulse widths read from the runner's pulse log.
# Installs nothing (see install-deps.sh). Last line: "<n> passed, <m> failed".
set -u
cd "$(dirname "$0")"
TMP=$(mktemp -d /tmp/iotoy-fw-test.XXXXXX)
RESULTS="$TMP/results"
: > "$RESULTS"
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

result() { echo "$1" | tee -a "$RESULTS"; }

build() {  # build <name> <make target>
    if make --no-print-directory "$2" > "$TMP/build-$2.log" 2>&1; then
        result "PASS build: $1"
    else
        result "FAIL build: $1 (see below)"
        tail -20 "$TMP/build-$2.log"
    fi
}

wait_link() {  # wait_link <path>: until the pty link exists (5 s)
    for _ in $(seq 50); do [ -e "$1" ] && return 0; sleep 0.1; done
    return 1
}

suite() {  # suite <name> <check.py args...>: run one check.py suite
    local name=$1; shift
    if ! python3 test/check.py "$@" > "$TMP/suite.out" 2>&1; then
        grep -q '^FAIL' "$TMP/suite.out" || echo "FAIL $name: check.py crashed" >> "$TMP/suite.out"
    fi
    grep -v '^PASS\|^FAIL' "$TMP/suite.out" | tail -20
    grep '^PASS\|^FAIL' "$TMP/suite.out" | tee -a "$RESULTS" | grep '^FAIL' || true
    echo "$name: $(grep -c '^PASS' "$TMP/suite.out") checks passed"
}

echo "== build"
build "Uno examples (avr-gcc)" avr
make --no-print-directory sizes 2>/dev/null
build "host examples" host
build "simavr runner" sim

if [ -x build/avr/TestHost.elf ] || [ -f build/avr/TestHost.elf ]; then
    big=$(for e in TestHost BotHost LegController; do avr-size "build/avr/$e.elf" | awk 'NR==2 {
        if ($1+$2 > 24576 || $2+$3 > 1024) print FILENAME }'; done)
    if [ -z "$big" ]; then result "PASS size: each example under 24 KB flash and 1 KB static RAM"
    else result "FAIL size: too big"; fi
fi

echo "== TestHost, host build, over a pty"
if [ -x build/host/testhost ]; then
    build/host/testhost --pty-link "$TMP/testhost.pty" --unplug-ms 500 > "$TMP/testhost.out" 2>&1 &
    PIDS+=($!)
    if wait_link "$TMP/testhost.pty"; then
        suite testhost testhost "$TMP/testhost.pty" "${PIDS[-1]}"
    else
        result "FAIL testhost: no pty link"
    fi
else
    result "FAIL testhost: not built"
fi

run_sim() {  # run_sim <suite> <elf>
    local name=$1 elf=$2 extra
    if [ ! -x build/sim/runner ] || [ ! -f "$elf" ]; then result "FAIL $name: not built"; return; fi
    : > "$TMP/$name.pulses"
    build/sim/runner --pty-link "$TMP/$name.pty" --pulse-log "$TMP/$name.pulses" --pins 9,10 "$elf" \
        > "$TMP/$name.out" 2>&1 &
    PIDS+=($!)
    if wait_link "$TMP/$name.pty"; then
        suite "$name" "$name" "$TMP/$name.pty" "$TMP/$name.pulses"
    else
        result "FAIL $name: runner gave no pty"; cat "$TMP/$name.out"
    fi
    kill "${PIDS[-1]}" 2>/dev/null
}

echo "== TestHost ELF in simavr (the real AVR build, byte for byte)"
run_sim sim-testhost build/avr/TestHost.elf
echo "== BotHost ELF in simavr"
run_sim bothost build/avr/BotHost.elf
echo "== LegController ELF in simavr"
run_sim leg build/avr/LegController.elf

passed=$(grep -c '^PASS' "$RESULTS")
failed=$(grep -c '^FAIL' "$RESULTS")
echo "$passed passed, $failed failed"
if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then exit 0; else exit 1; fi
